"""A damaged results database is set aside, never deleted, and the people's reviews saved.

A card pulled out mid-write, a full disk or a bad sector can damage `results.sqlite`
(truncated, overwritten, one bad page). On opening for a run, SQLite's own `quick_check`
decides; a damaged file (with its -wal and -shm) is renamed `results.damaged-<time>.sqlite`
beside it, the run rebuilds the machine's results from the photos, and the reviews (the only
thing a re-run cannot redo) are read back from the damaged copy row by row, as far as its pages
allow, or else from the last `results.json` / `results.csv` export.
"""

import csv
import json
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from engine.results.cell_safety import FORMULA_START

REVIEW_COLUMNS = ("rel_path", "action", "class_index", "label", "label_group", "created_at")
ReviewRow = tuple[str, str, int | None, str, str, str]
_DAMAGE_CODES = frozenset({11, 26})  # SQLITE_CORRUPT, SQLITE_NOTADB
_PROBE_LIMIT = 100_000  # ids tried one by one between two unreadable pages


@dataclass(frozen=True)
class Recovery:
    """What happened to a damaged database, for the message to the user."""

    damaged: Path  # where the damaged file now is
    reason: str  # what SQLite reported
    reviews: list[ReviewRow]
    reviews_from: str  # "database", the export file's name, or "" when none were found


def damage(path: Path) -> str | None:
    """None when `path` is missing or sound; else what SQLite says is wrong with it."""
    if not path.exists():
        return None
    try:
        conn = sqlite3.connect(path)
        try:
            rows = conn.execute("PRAGMA quick_check").fetchall()
        finally:
            conn.close()
    except sqlite3.DatabaseError as error:
        if not _is_damage(error):
            raise  # locked, unreadable, a failing disk: not a reason to set the file aside
        return str(error)
    problems = [str(row[0]) for row in rows if row and row[0] != "ok"]
    return "; ".join(problems[:3]) or None


def _is_damage(error: sqlite3.DatabaseError) -> bool:
    """SQLITE_CORRUPT or SQLITE_NOTADB (Python 3.10 has no error codes: not an OperationalError)."""
    code = getattr(error, "sqlite_errorcode", None)
    if code is None:
        return not isinstance(error, sqlite3.OperationalError)
    return code & 0xFF in _DAMAGE_CODES


def set_aside_if_damaged(path: Path) -> Recovery | None:
    """Check `path`; if damaged, move it aside, recover reviews, and say what was done."""
    reason = damage(path)
    if reason is None:
        return None
    damaged = _move_aside(path)
    reviews = _reviews_in_database(damaged)
    origin = "database" if reviews else ""
    if not reviews:
        origin, reviews = _reviews_in_exports(path.parent)
    return Recovery(damaged, reason, reviews, origin)


def _move_aside(path: Path) -> Path:
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.stem}.damaged-{stamp}{path.suffix}")
    number = 1
    while target.exists():
        number += 1
        target = path.with_name(f"{path.stem}.damaged-{stamp}-{number}{path.suffix}")
    for suffix in ("-wal", "-shm"):
        companion = path.with_name(path.name + suffix)
        if companion.exists():
            companion.replace(target.with_name(target.name + suffix))
    path.replace(target)
    return target


def _reviews_in_database(damaged: Path) -> list[ReviewRow]:
    """Every corrections row that can still be read, in order, reading around bad pages."""
    try:
        conn = sqlite3.connect(f"{damaged.resolve().as_uri()}?mode=ro&immutable=1", uri=True)
    except sqlite3.Error:
        return []
    columns = ", ".join(REVIEW_COLUMNS)
    rows: dict[int, ReviewRow] = {}
    try:
        low = _scan(conn, f"SELECT id, {columns} FROM corrections ORDER BY id", rows)
        if low is not None:  # a bad page: read from the end back to it, then probe between
            high = _scan(conn, f"SELECT id, {columns} FROM corrections ORDER BY id DESC", rows)
            top = high or _max_id(conn) or low + _PROBE_LIMIT
            for row_id in range(low + 1, min(top, low + _PROBE_LIMIT)):
                _scan(conn, f"SELECT id, {columns} FROM corrections WHERE id = {row_id}", rows)
    finally:
        conn.close()
    return [rows[row_id] for row_id in sorted(rows)]


def _max_id(conn: sqlite3.Connection) -> int | None:
    try:
        return conn.execute("SELECT MAX(id) FROM corrections").fetchone()[0]
    except sqlite3.DatabaseError:
        return None


def _scan(conn: sqlite3.Connection, query: str, rows: dict[int, ReviewRow]) -> int | None:
    """Read rows until the first error; the last id read before it (None: read to the end)."""
    last = 0
    try:
        cursor = conn.execute(query)
        for row_id, *values in cursor:
            rows[row_id] = tuple(values)  # type: ignore[assignment]
            last = row_id
    except sqlite3.DatabaseError:
        return last
    return None


def _reviews_in_exports(folder: Path) -> tuple[str, list[ReviewRow]]:
    """The latest review of each file as the last JSON (or else CSV) export recorded it."""
    for name, read in (("results.json", _json_reviews), ("results.csv", _csv_reviews)):
        try:
            reviews = read(folder / name)
        except (OSError, ValueError, KeyError, TypeError, csv.Error):
            continue
        if reviews:
            return name, reviews
    return "", []


def _json_reviews(path: Path) -> list[ReviewRow]:
    document = json.loads(path.read_text(encoding="utf-8"))
    reviews: list[ReviewRow] = []
    for entry in document["images"]:
        human = entry.get("human_label")
        if human:
            class_id = human.get("class_id")
            reviews.append(
                (entry["file"], human["action"], None if class_id is None else int(class_id),
                 human["label"], human["group"], human["reviewed_at"])
            )  # fmt: skip
    return reviews


def _csv_reviews(path: Path) -> list[ReviewRow]:
    """The CSV has no review time or action: the file's own time, and "correct"."""
    when = datetime.fromtimestamp(path.stat().st_mtime).astimezone().isoformat(timespec="seconds")
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return [
            (_unprefixed(row["file"]), "correct", None, _unprefixed(row["reviewed_label"]),
             _unprefixed(row["reviewed_group"]), when)
            for row in csv.DictReader(handle)
            if row.get("classification_method") == "human" and row.get("kind") != "frame"
        ]  # fmt: skip


def _unprefixed(value: str) -> str:
    """Undo the CSV export's `'` before text a spreadsheet would run as a formula."""
    if value.startswith("'") and value[1:].startswith(FORMULA_START):
        return value[1:]
    return value

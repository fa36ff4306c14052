"""The results database: one SQLite file per output folder, written a transaction per batch.

WAL mode and one commit per batch mean a crash or a kill loses at most the batch in flight;
every committed file is skipped on resume. Machine predictions are never overwritten.
"""

import json
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from itertools import groupby
from pathlib import Path

from engine.results.records import Classified, Failed, Outcome

SCHEMA_VERSION = 1
_REVIEW_COLUMNS = "rel_path, action, class_index, label, label_group, created_at"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    status TEXT NOT NULL,
    source TEXT NOT NULL,
    model_id TEXT NOT NULL,
    variant TEXT NOT NULL,
    model_sha256 TEXT NOT NULL,
    backend TEXT NOT NULL,
    versions TEXT NOT NULL,
    settings TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS files (
    id INTEGER PRIMARY KEY,
    rel_path TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    format TEXT,
    size INTEGER,
    mtime_ns INTEGER,
    status TEXT NOT NULL CHECK (status IN ('ok', 'error')),
    width INTEGER,
    height INTEGER,
    taken_at TEXT,
    camera_make TEXT,
    camera_model TEXT,
    camera_serial TEXT,
    error_code TEXT,
    error_detail TEXT,
    run_id INTEGER NOT NULL REFERENCES runs(id)
);
CREATE TABLE IF NOT EXISTS predictions (
    file_id INTEGER NOT NULL REFERENCES files(id) ON DELETE CASCADE,
    rank INTEGER NOT NULL,
    class_index INTEGER NOT NULL,
    label TEXT NOT NULL,
    label_group TEXT NOT NULL,
    score REAL NOT NULL,
    PRIMARY KEY (file_id, rank)
);
CREATE TABLE IF NOT EXISTS corrections (
    id INTEGER PRIMARY KEY,
    rel_path TEXT NOT NULL,
    action TEXT NOT NULL CHECK (action IN ('accept', 'correct')),
    class_index INTEGER,
    label TEXT NOT NULL,
    label_group TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS corrections_by_path ON corrections (rel_path, id);
"""


def utc_now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


@dataclass(frozen=True)
class RunInfo:
    source: str
    model_id: str
    variant: str
    model_sha256: str
    backend: str
    versions: dict[str, str]
    settings: dict[str, object]


@dataclass(frozen=True)
class FileRow:
    """A file as stored, with its predictions (best first); what exports and summaries read."""

    rel_path: str
    kind: str
    format: str | None
    size: int | None
    status: str
    width: int | None
    height: int | None
    taken_at: str | None
    camera_make: str | None
    camera_model: str | None
    camera_serial: str | None
    error_code: str | None
    error_detail: str | None
    predictions: tuple[tuple[int, str, str, float], ...]
    review: "Review | None" = None


@dataclass(frozen=True)
class Review:
    """A person's verdict on a file, kept beside the machine's label, never over it.

    `label` is a class label of the model (English key, `class_index` set) or the reviewer's
    own words for a class the model does not know (`class_index` None), e.g. "empty".
    """

    rel_path: str
    action: str
    class_index: int | None
    label: str
    group: str
    created_at: str


class ResultsDB:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        self._conn.execute("PRAGMA journal_mode=WAL")
        self._conn.execute("PRAGMA synchronous=NORMAL")
        self._conn.execute("PRAGMA foreign_keys=ON")
        self._conn.executescript(_SCHEMA)
        self._conn.execute(
            "INSERT OR IGNORE INTO meta VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),)
        )

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> "ResultsDB":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def start_run(self, run: RunInfo) -> int:
        cursor = self._conn.execute(
            "INSERT INTO runs (started_at, status, source, model_id, variant, model_sha256,"
            " backend, versions, settings) VALUES (?, 'running', ?, ?, ?, ?, ?, ?, ?)",
            (
                utc_now(),
                run.source,
                run.model_id,
                run.variant,
                run.model_sha256,
                run.backend,
                json.dumps(run.versions),
                json.dumps(run.settings, default=str),
            ),
        )
        return int(cursor.lastrowid)

    def finish_run(self, run_id: int, status: str) -> None:
        self._conn.execute(
            "UPDATE runs SET finished_at = ?, status = ? WHERE id = ?", (utc_now(), status, run_id)
        )

    def done_files(self) -> dict[str, tuple[int | None, int | None]]:
        """rel_path → (size, mtime_ns) of every stored file, for resume."""
        rows = self._conn.execute("SELECT rel_path, size, mtime_ns FROM files")
        return {rel: (size, mtime) for rel, size, mtime in rows}

    def record(self, run_id: int, outcomes: Iterable[Outcome]) -> None:
        """Store a batch in one transaction: all of it is committed or none."""
        with self._transaction():
            for outcome in outcomes:
                self._conn.execute("DELETE FROM files WHERE rel_path = ?", (outcome.file.rel,))
                file_id = self._insert_file(run_id, outcome)
                if isinstance(outcome, Classified):
                    self._conn.executemany(
                        "INSERT INTO predictions VALUES (?, ?, ?, ?, ?, ?)",
                        [
                            (file_id, rank, p.class_index, p.label, p.group, p.score)
                            for rank, p in enumerate(outcome.predictions)
                        ],
                    )

    def _insert_file(self, run_id: int, outcome: Outcome) -> int:
        info = outcome.file
        common = (info.rel, info.kind, info.fmt, info.size, info.mtime_ns)
        if isinstance(outcome, Failed):
            values = (*common, "error", None, None, None, None, None, None)
            values += (outcome.code.value, outcome.detail, run_id)
        else:
            exif = outcome.exif
            values = (*common, "ok", outcome.width, outcome.height, exif.taken_at)
            values += (exif.make, exif.model, exif.serial, None, None, run_id)
        cursor = self._conn.execute(
            "INSERT INTO files (rel_path, kind, format, size, mtime_ns, status, width, height,"
            " taken_at, camera_make, camera_model, camera_serial, error_code, error_detail,"
            " run_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            values,
        )
        return int(cursor.lastrowid)

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        self._conn.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self._conn.execute("ROLLBACK")
            raise
        self._conn.execute("COMMIT")

    def iter_files(self) -> Iterator[FileRow]:
        """Every stored file in path order, with predictions and latest review, in one query.

        Streamed row by row, so 20,000+ files export in bounded memory.
        """
        rows = self._conn.execute(
            "SELECT f.id, f.rel_path, f.kind, f.format, f.size, f.status, f.width, f.height,"
            " f.taken_at, f.camera_make, f.camera_model, f.camera_serial, f.error_code,"
            " f.error_detail, p.class_index, p.label, p.label_group, p.score,"
            f" {', '.join('c.' + column for column in _REVIEW_COLUMNS.split(', '))}"
            " FROM files f LEFT JOIN predictions p ON p.file_id = f.id"
            " LEFT JOIN corrections c ON c.id ="
            " (SELECT MAX(id) FROM corrections WHERE rel_path = f.rel_path)"
            " ORDER BY f.rel_path, p.rank"
        )
        for _file_id, group in groupby(rows, key=lambda row: row[0]):
            first, *rest = group
            fields, review = first[1:14], first[18:]
            predictions = tuple(tuple(row[14:18]) for row in (first, *rest) if row[14] is not None)
            yield FileRow(
                *fields,
                predictions=predictions,
                review=Review(*review) if review[0] is not None else None,
            )

    def add_review(
        self, rel_path: str, action: str, label: str, group: str, class_index: int | None
    ) -> None:
        """Store a verdict; the latest one per file counts, earlier ones stay for undo."""
        self._conn.execute(
            "INSERT INTO corrections (rel_path, action, class_index, label, label_group,"
            " created_at) VALUES (?, ?, ?, ?, ?, ?)",
            (rel_path, action, class_index, label, group, utc_now()),
        )

    def undo_review(self) -> Review | None:
        """Remove the most recent verdict (any file) and return it."""
        row = self._conn.execute(
            f"SELECT {_REVIEW_COLUMNS} FROM corrections ORDER BY id DESC LIMIT 1"
        ).fetchone()
        if row is None:
            return None
        self._conn.execute("DELETE FROM corrections WHERE id = (SELECT MAX(id) FROM corrections)")
        return Review(*row)

    def review_of(self, rel_path: str) -> Review | None:
        row = self._conn.execute(
            f"SELECT {_REVIEW_COLUMNS} FROM corrections WHERE rel_path = ?"
            " ORDER BY id DESC LIMIT 1",
            (rel_path,),
        ).fetchone()
        return Review(*row) if row else None

    def error_counts(self) -> dict[str, int]:
        rows = self._conn.execute(
            "SELECT error_code, COUNT(*) FROM files WHERE status = 'error' GROUP BY error_code"
        )
        return dict(rows.fetchall())

    def top_group_counts(self) -> dict[str, int]:
        """Files per group of their best prediction."""
        rows = self._conn.execute(
            "SELECT label_group, COUNT(*) FROM predictions WHERE rank = 0 GROUP BY label_group"
        )
        return dict(rows.fetchall())

    def latest_run(self) -> dict[str, object] | None:
        cursor = self._conn.execute("SELECT * FROM runs ORDER BY id DESC LIMIT 1")
        row = cursor.fetchone()
        if row is None:
            return None
        return dict(zip([c[0] for c in cursor.description], row, strict=True))

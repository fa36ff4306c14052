"""A damaged results.sqlite is kept aside, rebuilt by the run, and its reviews recovered.

Real damage to a real database made by the real job: truncated, overwritten with garbage,
one page overwritten in the middle.
"""

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from engine.pipeline.events import DatabaseRecovered
from engine.results.db import ResultsDB
from tests.engine.pipeline.test_job import SAMPLES, run_job, stored

REVIEWS = 300  # enough rows that the corrections table spans several pages


def reviewed_results(tmp_path: Path) -> Path:
    """Results of the samples with many reviews (the last one per file counts), then exported
    as the CLI does."""
    out = tmp_path / "out"
    run_job(SAMPLES, out)
    with ResultsDB(out / "results.sqlite") as db:
        names = sorted(stored(out))
        for index in range(REVIEWS):
            db.add_review(names[index % len(names)], "correct", f"label {index}", "felines", None)
    command = [sys.executable, "-m", "engine", "export", str(out), "--format", "json"]
    assert subprocess.run(command, capture_output=True, check=False).returncode == 0
    return out


def page_of_table(path: Path, table: str) -> tuple[int, int]:
    """(page size, number of a leaf page of `table` in the middle of it)."""
    with sqlite3.connect(path) as conn:
        page_size = conn.execute("PRAGMA page_size").fetchone()[0]
        pages = [
            row[0]
            for row in conn.execute(
                "SELECT pageno FROM dbstat WHERE name = ? AND pagetype = 'leaf' ORDER BY pageno",
                (table,),
            )
        ]
    return page_size, pages[len(pages) // 2]


def damage(path: Path, how: str) -> None:
    data = bytearray(path.read_bytes())
    if how == "truncated":
        path.write_bytes(bytes(data[: len(data) // 3]))
    elif how == "garbage":
        path.write_bytes(b"this is not a database " * 200)
    else:  # one bad page in the corrections table
        size, page = page_of_table(path, "corrections")
        start = (page - 1) * size
        data[start : start + size] = b"\xa5" * size
        path.write_bytes(bytes(data))


@pytest.mark.parametrize("how", ["truncated", "garbage", "bad page"])
def test_a_damaged_database_is_kept_aside_rebuilt_and_reviews_recovered(tmp_path, how):
    """Item 7: "database disk image is malformed", a DatabaseError traceback, or (one bad
    page) exit 0 leaving a corrupt database."""
    out = reviewed_results(tmp_path)
    latest = {rel: row.review.label for rel, row in stored(out).items()}
    damage(out / "results.sqlite", how)
    events, summary = run_job(SAMPLES, out)
    (recovered,) = [event for event in events if isinstance(event, DatabaseRecovered)]
    assert recovered.damaged.exists() and recovered.damaged.name.startswith("results.damaged-")
    assert summary.status == "finished" and summary.classified == len(latest)
    with sqlite3.connect(out / "results.sqlite") as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    rows = stored(out)
    assert {rel: row.review.label for rel, row in rows.items()} == latest
    if how == "bad page":  # read from the damaged copy itself, around its bad page
        assert recovered.reviews_from == "database"
        assert 0 < recovered.reviews < REVIEWS
    else:
        assert recovered.reviews_from == "results.json"


def test_the_command_says_in_words_what_happened(tmp_path):
    out = reviewed_results(tmp_path)
    damage(out / "results.sqlite", "garbage")
    command = [sys.executable, "-m", "engine", "--lang", "en", "classify", str(SAMPLES)]
    result = subprocess.run(
        [*command, "--out", str(out)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert "The results database was damaged" in result.stderr
    assert "It was kept as" in result.stderr and "rebuilds the results" in result.stderr
    assert "Traceback" not in result.stderr
    assert len(list(out.glob("results.damaged-*.sqlite"))) == 1


def test_exporting_from_a_damaged_database_says_what_to_do(tmp_path):
    out = reviewed_results(tmp_path)
    damage(out / "results.sqlite", "garbage")
    command = [sys.executable, "-m", "engine", "--lang", "en", "export", str(out)]
    result = subprocess.run(
        [*command, "--format", "csv"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 1
    assert "is damaged" in result.stderr and "Traceback" not in result.stderr

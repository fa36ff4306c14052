"""The `ocelote` command as a user runs it: real processes, exit codes, files written."""

import csv
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from engine.bench.copies import link_or_copy
from engine.paths import assets_dir
from tests.helpers import tree_hashes

SAMPLES = assets_dir() / "samples"
SAMPLE_COUNT = len([p for p in SAMPLES.iterdir() if p.suffix.lower() == ".jpg"])
BIG_COPIES = 20


def ocelote(*args: str, **kwargs) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "engine", *args]
    return subprocess.run(command, capture_output=True, text=True, check=False, **kwargs)


def start(*args: str) -> subprocess.Popen:
    command = [sys.executable, "-m", "engine", *args]
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def stored_count(db_path: Path) -> int:
    if not db_path.exists():
        return 0
    with sqlite3.connect(db_path) as conn:
        try:
            return conn.execute("SELECT COUNT(*) FROM files").fetchone()[0]
        except sqlite3.OperationalError:
            return 0


def wait_for_rows(db_path: Path, process: subprocess.Popen, minimum: int = 1) -> None:
    deadline = time.monotonic() + 120
    while stored_count(db_path) < minimum:
        assert process.poll() is None, "the run ended before it could be interrupted"
        assert time.monotonic() < deadline, "no results were committed"
        time.sleep(0.02)


def test_version():
    result = ocelote("--version")
    assert result.returncode == 0
    assert result.stdout.startswith("ocelote ")


def test_classify_writes_database_csv_and_megadetector_json(tmp_path):
    out = tmp_path / "out"
    result = ocelote("--lang", "en", "classify", str(SAMPLES), "--out", str(out), "--batch", "4")
    assert result.returncode == 0, result.stderr
    assert f"Files: {SAMPLE_COUNT}" in result.stdout and "Per group:" in result.stdout
    with (out / "results.csv").open(encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == SAMPLE_COUNT
    assert all(row["label_en"] and row["label_es"] and row["group_es"] for row in rows)
    document = json.loads((out / "results.json").read_text(encoding="utf-8"))
    assert document["info"]["format_version"] == "1.6"
    assert document["detection_categories"] == {"1": "animal", "2": "person", "3": "vehicle"}
    assert len(document["classification_categories"]) == 1000
    assert len(document["images"]) == SAMPLE_COUNT
    for image in document["images"]:
        for detection in image["detections"]:
            assert detection["bbox"] == [0.0, 0.0, 1.0, 1.0]
            scores = [score for _cls, score in detection["classifications"]]
            assert scores == sorted(scores, reverse=True)


def test_summary_speaks_spanish(tmp_path):
    result = ocelote("--lang", "es", "classify", str(SAMPLES), "--out", str(tmp_path / "o"))
    assert result.returncode == 0, result.stderr
    assert "Archivos:" in result.stdout and "Por grupo:" in result.stdout


def test_missing_source_exits_2_with_a_clear_message(tmp_path):
    result = ocelote("--lang", "en", "classify", str(tmp_path / "nope"), "--out", str(tmp_path))
    assert result.returncode == 2
    assert "does not exist" in result.stderr


def test_bad_usage_exits_2():
    assert ocelote("classify").returncode == 2
    assert ocelote("classify", ".", "--variant", "fp64").returncode == 2


@pytest.fixture
def big_card(tmp_path: Path) -> Path:
    """200 photos (hard links to the samples), so a run lasts long enough to interrupt."""
    card = tmp_path / "card"
    for copy in range(BIG_COPIES):
        folder = card / f"DCIM{copy:03d}"
        folder.mkdir(parents=True)
        for sample in SAMPLES.glob("*.[jJ][pP][gG]"):
            link_or_copy(sample, folder / sample.name)
    return card


def test_ctrl_c_exits_130_and_the_run_resumes(tmp_path, big_card):
    out = tmp_path / "out"
    process = start("classify", str(big_card), "--out", str(out), "--batch", "2", "--threads", "1")
    wait_for_rows(out / "results.sqlite", process)
    process.send_signal(signal.SIGINT)
    _stdout, stderr = process.communicate(timeout=60)
    assert process.returncode == 130, stderr
    assert stored_count(out / "results.sqlite") < BIG_COPIES * SAMPLE_COUNT
    assert ocelote("classify", str(big_card), "--out", str(out)).returncode == 0
    assert stored_count(out / "results.sqlite") == BIG_COPIES * SAMPLE_COUNT


def test_sigkill_mid_run_then_resume_gives_every_file_exactly_once(tmp_path, big_card):
    before = tree_hashes(big_card)
    out = tmp_path / "out"
    process = start("classify", str(big_card), "--out", str(out), "--batch", "2", "--threads", "1")
    wait_for_rows(out / "results.sqlite", process)
    os.kill(process.pid, signal.SIGKILL)
    process.communicate(timeout=60)
    partial = stored_count(out / "results.sqlite")
    assert 0 < partial < BIG_COPIES * SAMPLE_COUNT
    result = ocelote("--lang", "en", "classify", str(big_card), "--out", str(out))
    assert result.returncode == 0, result.stderr
    with sqlite3.connect(out / "results.sqlite") as conn:
        paths = [row[0] for row in conn.execute("SELECT rel_path FROM files")]
    assert len(paths) == len(set(paths)) == BIG_COPIES * SAMPLE_COUNT
    assert tree_hashes(big_card) == before

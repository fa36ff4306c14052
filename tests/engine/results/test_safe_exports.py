"""Exports that fail cleanly on a full disk and that a spreadsheet cannot turn into formulas."""

import csv
import os
import shutil
import subprocess
import sys
from pathlib import Path

from openpyxl import load_workbook

from engine.bench.copies import link_or_copy
from engine.models.store import find_card
from engine.results.db import ResultsDB
from engine.results.export_csv import export_csv
from engine.results.export_xlsx import export_xlsx
from tests.engine.pipeline.test_job import SAMPLES, run_job

REPO = Path(__file__).resolve().parents[3]
FULL_DISK = """
import resource, signal, sys
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # writes past the limit fail with EFBIG
resource.setrlimit(resource.RLIMIT_FSIZE, ({limit}, {limit}))
from engine.launch import main
sys.exit(main(sys.argv[1:]))
"""


def test_a_full_disk_during_export_names_the_file_and_keeps_the_old_exports(tmp_path):
    """Item 8: disk full during export gave a raw OSError traceback, and CSV and JSON could
    disagree."""
    card = tmp_path / "card"
    card.mkdir()
    for copy in range(30):
        for sample in SAMPLES.glob("*.jpg"):
            link_or_copy(sample, card / f"{copy:02d}_{sample.name}")
    out = tmp_path / "out"
    first = [sys.executable, "-m", "engine", "classify", str(card), "--out", str(out)]
    assert subprocess.run(first, capture_output=True, check=False).returncode == 0
    old_csv, old_json = (out / "results.csv").read_bytes(), (out / "results.json").read_bytes()
    assert len(old_csv) > 56_000 and len(old_json) > 56_000
    with ResultsDB(out / "results.sqlite") as db:  # the next exports would differ
        db.add_review(sorted(p.name for p in card.iterdir())[0], "accept", "x", "birds", None)
    script = FULL_DISK.format(limit=48_000)  # the database's few pages fit, the exports do not
    result = subprocess.run(
        [sys.executable, "-c", script, "--lang", "en", "classify", str(card), "--out", str(out)],
        capture_output=True, text=True, check=False, cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )  # fmt: skip
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert f"Could not write {out / 'results.csv'}" in result.stderr
    assert "is intact" in result.stderr
    assert (out / "results.csv").read_bytes() == old_csv
    assert (out / "results.json").read_bytes() == old_json  # the two still agree
    assert not list(out.glob("*.partial"))


ODD_NAMES = {
    "formula": '=HYPERLINK("evil","click").jpg',
    "plus": "+cmd.jpg",
    "at": "@SUM(1+1).jpg",
    "control": "cam\x01era\x1f.jpg",
}


def test_names_that_look_like_formulas_or_hold_control_characters(tmp_path):
    """Item 9: a control character gave an IllegalCharacterError traceback; `=` names became
    formulas in the XLSX and were written unescaped into the CSV."""
    source = tmp_path / "card"
    source.mkdir()
    for name in ODD_NAMES.values():
        shutil.copyfile(SAMPLES / "domestic_dog.jpg", source / name)
    run_job(source, tmp_path / "out")
    card = find_card()
    with ResultsDB(tmp_path / "out" / "results.sqlite") as db:
        export_xlsx(db, card, tmp_path / "results.xlsx")
        export_csv(db, card, tmp_path / "results.csv")
    sheet = load_workbook(tmp_path / "results.xlsx")["Files"]
    cells = {cell.value: cell for cell in next(sheet.iter_cols(min_row=2, max_col=1))}
    formula = cells[ODD_NAMES["formula"]]
    assert formula.data_type == "s"  # text, not a formula
    assert "cam\\x01era\\x1f.jpg" in cells
    assert ODD_NAMES["plus"] in cells and ODD_NAMES["at"] in cells
    with (tmp_path / "results.csv").open(encoding="utf-8-sig", newline="") as handle:
        files = {row["file"] for row in csv.DictReader(handle)}
    assert "'" + ODD_NAMES["formula"] in files
    assert "'" + ODD_NAMES["plus"] in files and "'" + ODD_NAMES["at"] in files
    assert ODD_NAMES["control"] in files

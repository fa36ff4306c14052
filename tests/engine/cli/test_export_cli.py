"""`ocelote export` and `ocelote sort` on a real results folder: files written, exit codes.

The parsers are built here from the commands' own `add_parser`, as `engine.cli` does.
"""

import argparse
import csv
import json

import pytest
from openpyxl import load_workbook

from engine.cli import export, sort
from engine.results.db import ResultsDB
from tests.engine.results.export_fixtures import REVIEWED_ANIMAL, classified_card
from tests.helpers import tree_hashes

CAMTRAP = ["--utc-offset=-05:00", "--latitude", "8.93", "--longitude", "-79.56"]


def ocelote(*argv: str) -> int:
    parser = argparse.ArgumentParser(prog="ocelote")
    subparsers = parser.add_subparsers(dest="command")
    export.add_parser(subparsers)
    sort.add_parser(subparsers)
    args = parser.parse_args([str(arg) for arg in argv])
    return args.func(args)


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    return classified_card(tmp_path_factory.mktemp("cli"))


def test_csv_carries_the_human_review(results, tmp_path):
    assert ocelote("export", results.results, "--format", "csv", "--out", tmp_path / "r.csv") == 0
    with (tmp_path / "r.csv").open(encoding="utf-8-sig") as handle:
        rows = {row["file"]: row for row in csv.DictReader(handle)}
    assert rows[REVIEWED_ANIMAL]["reviewed_label"] == "jaguar"
    assert rows[REVIEWED_ANIMAL]["classification_method"] == "human"
    assert rows[REVIEWED_ANIMAL]["label_en"]  # the machine's label stays beside it
    assert {row["classification_method"] for row in rows.values()} == {"human", "machine", ""}


def test_json_keeps_detections_and_adds_human_label(results, tmp_path):
    assert ocelote("export", results.results, "--format", "json", "--out", tmp_path / "r.json") == 0
    images = {i["file"]: i for i in json.loads((tmp_path / "r.json").read_text("utf-8"))["images"]}
    reviewed = images[REVIEWED_ANIMAL]
    assert reviewed["human_label"]["label"] == "jaguar" and reviewed["human_label"]["class_id"]
    assert reviewed["detections"]
    assert sum("human_label" in image for image in images.values()) == 2


def test_xlsx_goes_into_the_results_folder_by_default(results, capsys):
    assert ocelote("export", results.results, "--format", "xlsx") == 0
    assert "Summary" in load_workbook(results.results / "results.xlsx").sheetnames
    assert str(results.results / "results.xlsx") in capsys.readouterr().out


def test_camtrapdp_needs_offset_and_place(results, tmp_path, capsys):
    out = tmp_path / "dp"
    assert ocelote("export", results.results, "--format", "camtrapdp", "--out", out) == 2
    assert "--utc-offset, --latitude, --longitude" in capsys.readouterr().err
    assert not out.exists()
    bad = ["--utc-offset", "EST", *CAMTRAP[1:]]
    assert ocelote("export", results.results, "--format", "camtrapdp", "--out", out, *bad) == 1
    assert ocelote("export", results.results, "--format", "camtrapdp", "--out", out, *CAMTRAP) == 0
    assert (out / "datapackage.json").is_file() and (out / "observations.csv").is_file()


def test_not_a_results_folder_and_bad_usage(tmp_path, capsys):
    assert ocelote("export", tmp_path, "--format", "csv") == 2
    assert "not a results folder" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exited:
        ocelote("export", tmp_path, "--format", "pdf")
    assert exited.value.code == 2


def test_sort_copies_then_skips_and_leaves_the_source_alone(results, tmp_path, capsys):
    before = tree_hashes(results.source)
    out = tmp_path / "sorted"
    assert ocelote("sort", results.results, results.source, "--out", out) == 0
    assert ocelote("sort", results.results, results.source, "--out", out, "--by", "label") == 0
    assert ocelote("sort", results.results, results.source, "--out", out) == 0
    assert "already there: 10" in capsys.readouterr().out
    assert tree_hashes(results.source) == before
    assert ocelote("sort", results.results, tmp_path / "nope", "--out", out) == 2


def test_sort_fails_with_1_on_an_escaping_label(tmp_path, capsys):
    results = classified_card(tmp_path / "card")
    with ResultsDB(results.db_path) as db:
        db.add_review(REVIEWED_ANIMAL, "correct", "../x", "felines", None)
    out = tmp_path / "sorted"
    assert ocelote("sort", results.results, results.source, "--out", out, "--by", "label") == 1
    assert REVIEWED_ANIMAL in capsys.readouterr().err

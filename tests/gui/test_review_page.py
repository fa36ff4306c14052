"""Review with the keyboard; the verdicts reach the CSV and the Camtrap DP exports."""

import csv
import json

from PySide6.QtCore import Qt

from engine.models.store import find_card
from engine.pipeline.job import RESULTS_DB
from engine.results.db import ResultsDB
from engine.results.export_camtrapdp import CamtrapOptions, observation_type
from tests.gui.gui_helpers import JOB_TIMEOUT_MS, SAMPLES, run_folder


def reviewed(window, qtbot):
    """Run the samples and open the review page on the first photo."""
    run_folder(qtbot, window, SAMPLES)
    window.tabs.setCurrentIndex(1)
    page = window.review_page
    page.list.setFocus()
    page.list.setCurrentIndex(page.proxy.index(0, 0))
    return page


def export(qtbot, window, name, target, options=None):
    with qtbot.waitSignal(window.export_finished, timeout=JOB_TIMEOUT_MS) as done:
        window.exports.export(name, target, options)
    assert done.args[0] is not None
    return done.args[0]


def test_keyboard_review_is_stored_beside_the_machine_label(qtbot, window):
    card = find_card()
    page = reviewed(window, qtbot)
    first = page.current_item()
    qtbot.keyClick(page.list, Qt.Key.Key_2)  # second of the top-5
    second = page.current_item()
    assert second.rel_path != first.rel_path  # moved on by itself
    qtbot.keyClick(page.list, Qt.Key.Key_Return)  # accept the machine's label
    third = page.current_item()
    qtbot.keyClicks(page.list, "j")  # type-ahead jumps into the name field
    assert page.editor.text() == "j"
    page.editor.setText(card.label_text(290, "en"))  # what the completer fills in: "jaguar"
    qtbot.keyClick(page.editor, Qt.Key.Key_Return)

    with ResultsDB(window.classify_page.out_dir / RESULTS_DB) as db:
        assert db.review_of(first.rel_path).class_index == first.predictions[1][0]
        assert db.review_of(first.rel_path).action == "correct"
        assert db.review_of(second.rel_path).action == "accept"
        assert db.review_of(third.rel_path).label == "jaguar"
        machine = {row.rel_path: row.predictions[0] for row in db.iter_files()}
    assert machine[first.rel_path] == first.predictions[0]  # never overwritten

    qtbot.keyClick(page.list, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert page.current_item().rel_path == third.rel_path
    assert page.current_item().review is None
    with ResultsDB(window.classify_page.out_dir / RESULTS_DB) as db:
        assert db.review_of(third.rel_path) is None


def test_a_correction_reaches_csv_and_camtrap_dp(qtbot, window, tmp_path):
    page = reviewed(window, qtbot)
    first = page.current_item()
    qtbot.keyClick(page.list, Qt.Key.Key_3)
    wanted = find_card().labels[first.predictions[2][0]]

    csv_path = export(qtbot, window, "csv", tmp_path / "out.csv")
    with open(csv_path, encoding="utf-8-sig", newline="") as handle:
        rows = {row["file"]: row for row in csv.DictReader(handle)}
    assert rows[first.rel_path]["reviewed_label"] == wanted.en
    assert rows[first.rel_path]["classification_method"] == "human"
    assert rows[first.rel_path]["label_en"] != wanted.en or first.predictions[0][0] == wanted.index

    options = CamtrapOptions(utc_offset="-05:00", latitude=4.6, longitude=-74.08)
    package = export(qtbot, window, "camtrapdp", tmp_path / "camtrap", options).path
    descriptor = json.loads((package / "datapackage.json").read_text("utf-8"))
    assert descriptor["profile"].endswith("camtrap-dp-profile.json")
    media = read_rows(package / "media.csv")
    media_id = next(row["mediaID"] for row in media if row["filePath"] == first.rel_path)
    observation = next(
        row for row in read_rows(package / "observations.csv") if row["mediaID"] == media_id
    )
    assert observation["classificationMethod"] == "human"
    assert observation["observationType"] == observation_type(wanted.group, find_card())
    methods = [row["classificationMethod"] for row in read_rows(package / "observations.csv")]
    assert methods.count("human") == 1


def read_rows(path):
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_sort_into_folders_from_the_menu(qtbot, window, tmp_path):
    run_folder(qtbot, window, SAMPLES)
    report = export(qtbot, window, "sort", tmp_path / "sorted")
    assert report.copied + report.skipped == 10
    assert sum(1 for p in (tmp_path / "sorted").rglob("*") if p.is_file()) == 10

"""Camtrap DP from the window: 0, 0 is questioned, every photo is exported, and the status bar
says in words what was dated by a fallback and what was set aside."""

import csv

from PySide6.QtWidgets import QDialog, QMessageBox

from engine.bench.copies import link_or_copy
from engine.results.export_camtrapdp import CamtrapOptions
from gui.camtrap_dialog import CamtrapDialog
from tests.gui.gui_helpers import JOB_TIMEOUT_MS, SAMPLES, run_folder


def test_zero_coordinates_are_questioned(qtbot, monkeypatch):
    answers = [QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes]
    asked: list[str] = []

    def question(_parent, _title, text, *_args):  # noqa: ANN001, ANN202
        asked.append(text)
        return answers[len(asked) - 1]

    monkeypatch.setattr(QMessageBox, "question", question)
    dialog = CamtrapDialog()
    qtbot.addWidget(dialog)
    dialog.accept()
    assert dialog.result() != QDialog.DialogCode.Accepted and "0" in asked[0]
    dialog.accept()
    assert dialog.result() == QDialog.DialogCode.Accepted
    placed = CamtrapDialog()
    qtbot.addWidget(placed)
    placed.latitude.setValue(4.6)
    placed.accept()
    assert len(asked) == 2 and placed.result() == QDialog.DialogCode.Accepted
    placed.missing_time.setCurrentIndex(placed.missing_time.findData("deployment"))
    assert placed.options().missing_time == "deployment"


def test_every_photo_is_exported_and_the_report_says_how(qtbot, window, tmp_path):
    card = tmp_path / "card"
    card.mkdir()
    for name in ("ocelot.jpg", "american_black_bear.jpg", "human.jpg"):  # the bear has no time
        link_or_copy(SAMPLES / name, card / name)
    (card / "broken.jpg").write_bytes(b"")
    run_folder(qtbot, window, card)
    options = CamtrapOptions(utc_offset="-05:00", latitude=4.6, longitude=-74.08)
    with qtbot.waitSignal(window.export_finished, timeout=JOB_TIMEOUT_MS) as done:
        window.exports.export("camtrapdp", tmp_path / "dp", options)
    report = done.args[0]
    with (report.path / "media.csv").open(encoding="utf-8", newline="") as handle:
        files = {row["filePath"] for row in csv.DictReader(handle)}
    assert files == {"ocelot.jpg", "american_black_bear.jpg", "human.jpg"}
    message = window.statusBar().currentMessage()
    assert "3 photos and videos in 1 deployments" in message
    assert "1 had no recorded time and were dated by the file's date" in message
    assert "1 files that could not be read were set aside" in message

"""A folder dropped anywhere on the window opens (or resumes) it; the preview always shows the
selected file of the folder shown, never one of the folder before."""

from pathlib import Path

from PySide6.QtWidgets import QMessageBox

from engine.bench.copies import link_or_copy
from engine.results.folders import results_folder_for
from gui.widgets.gallery import ItemRole
from tests.gui.gui_helpers import (
    JOB_TIMEOUT_MS,
    SAMPLES,
    drop_paths,
    linked_copies,
    run_folder,
)


def some_samples(folder: Path, count: int) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for image in sorted(SAMPLES.glob("*.jpg"))[:count]:
        link_or_copy(image, folder / image.name)
    return folder


def test_a_drop_on_the_results_page_opens_that_folder_and_clears_the_preview(
    qtbot, window, tmp_path
):
    page = window.classify_page
    run_folder(qtbot, window, SAMPLES)
    page.gallery.setCurrentIndex(page.gallery.model().index(0, 0))
    assert page.detail._item is not None
    second = some_samples(tmp_path / "second_card", 3)
    second_results = results_folder_for(tmp_path / "results", second)  # its own, not shared
    with qtbot.waitSignal(page.results_ready, timeout=JOB_TIMEOUT_MS) as ready:
        drop_paths(page.gallery.viewport(), [second])  # not the drop zone: it is hidden now
    assert ready.args[0] == second_results
    assert page.source == second
    assert page.gallery.model().rowCount() == 3
    assert page.detail._item is None
    assert page.detail.image.text() == "Select a photo to see it here"
    assert page.detail.facts.text() == ""


def test_a_drop_during_a_run_asks_then_opens_the_new_folder(qtbot, window, tmp_path, monkeypatch):
    page = window.classify_page
    asked: list[str] = []

    def yes(_parent, _title, text, *_args):  # noqa: ANN001, ANN202
        asked.append(text)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", yes)
    big = linked_copies(tmp_path / "big_card", 10)
    second = some_samples(tmp_path / "second_card", 2)
    with qtbot.waitSignal(page.runner.progress, timeout=JOB_TIMEOUT_MS):
        drop_paths(page.drop_zone, [big])
    second_results = results_folder_for(tmp_path / "results", second)
    with qtbot.waitSignal(
        page.results_ready,
        timeout=JOB_TIMEOUT_MS,
        check_params_cb=lambda out_dir: out_dir == second_results,
    ):
        drop_paths(window.tabs, [second])
    qtbot.waitUntil(lambda: not page.runner.is_running(), timeout=JOB_TIMEOUT_MS)
    assert asked and str(second) in asked[0]
    qtbot.wait(200)  # the cancelled run's results, loaded late, must not replace these
    assert page.source == second
    assert page.gallery.model().rowCount() == 2


def test_an_error_tile_shows_no_picture_of_another_file(qtbot, window, tmp_path):
    card = some_samples(tmp_path / "card", 2)
    (card / "notes.jpg").write_text("not a photo", encoding="utf-8")
    page = window.classify_page
    run_folder(qtbot, window, card)
    shown = page.gallery.model()
    rows = {shown.index(r, 0).data(ItemRole).ok: shown.index(r, 0) for r in range(3)}
    page.gallery.setCurrentIndex(rows[True])
    qtbot.waitUntil(lambda: page.detail.image.image() is not None, timeout=30000)
    page.gallery.setCurrentIndex(rows[False])
    assert page.detail.image.image() is None
    assert page.detail.image.text() == "No picture for this file"


def test_an_empty_folder_says_what_was_found_and_why(qtbot, window, tmp_path):
    card = tmp_path / "empty_card"
    card.mkdir()
    (card / "README.txt").write_text("camera 7", encoding="utf-8")
    (card / "IMG_0001.JPG").write_bytes(b"")
    page = window.classify_page
    with qtbot.waitSignal(page.runner.finished, timeout=JOB_TIMEOUT_MS):
        drop_paths(page.drop_zone, [card])
    qtbot.waitUntil(lambda: "No photos or videos were found" in page.status.text())
    text = page.status.text()
    assert str(card) in text
    assert "Set aside: 1 files. The file is empty (0 bytes)" in text
    assert "JPEG" in text
    assert "Done: 0 files" not in text

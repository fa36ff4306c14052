"""Drop a folder, watch it run, find every photo in the gallery; cancel and resume."""

from engine.pipeline.job import RESULTS_DB
from gui.widgets.gallery import ItemRole
from tests.gui.gui_helpers import (
    JOB_TIMEOUT_MS,
    SAMPLE_COUNT,
    SAMPLES,
    drop_paths,
    linked_copies,
    run_folder,
)


def test_dropping_a_folder_fills_the_gallery(qtbot, window, tmp_path):
    page = window.classify_page
    live: list = []
    page.runner.file_done.connect(live.append)
    summary = run_folder(qtbot, window, SAMPLES)
    assert summary.status == "finished"
    assert len(live) == SAMPLE_COUNT
    assert page.gallery.model().rowCount() == SAMPLE_COUNT == 10
    named = f"{SAMPLES.name} ({SAMPLES.parent.name})"  # the folder and the one it is in
    assert (tmp_path / "results" / named / RESULTS_DB).is_file()
    assert sum(count for _name, count in page.chart.rows()) == SAMPLE_COUNT
    assert "10" in page.status.text()


def test_filters_and_detail_view(qtbot, window):
    page = window.classify_page
    run_folder(qtbot, window, SAMPLES)
    page.filters.errors.setChecked(True)
    assert page.gallery.model().rowCount() == 0
    page.filters.errors.setChecked(False)
    first = page.gallery.model().index(0, 0).data(ItemRole)
    page.filters.group.setCurrentIndex(page.filters.group.findData(first.group))
    shown = page.gallery.model()
    assert all(
        shown.index(r, 0).data(ItemRole).group == first.group for r in range(shown.rowCount())
    )
    page.filters.group.setCurrentIndex(0)
    page.filters.confidence.setValue(100)
    assert shown.rowCount() == 0
    page.filters.confidence.setValue(0)
    page.gallery.setCurrentIndex(shown.index(0, 0))
    assert str(SAMPLES) in page.detail.facts.text()
    assert page.detail.top5.text().count("<b>") == 5


def test_thumbnails_arrive_off_the_gui_thread(qtbot, window):
    run_folder(qtbot, window, SAMPLES)
    model = window.model
    for row in range(model.rowCount()):
        model.index(row).data(0x1)  # DecorationRole: requests the thumbnail
    qtbot.waitUntil(lambda: model.thumbnails_cached() == SAMPLE_COUNT, timeout=30000)


def test_cancel_mid_run_then_resume(qtbot, window, tmp_path):
    page = window.classify_page
    card = linked_copies(tmp_path / "card", 8)
    total = 8 * SAMPLE_COUNT
    with qtbot.waitSignal(page.runner.finished, timeout=JOB_TIMEOUT_MS) as first:
        with qtbot.waitSignal(page.runner.progress, timeout=JOB_TIMEOUT_MS):
            drop_paths(page.drop_zone, [card])
        page.cancel_button.click()
    stopped = first.args[0]
    assert stopped.status == "cancelled"
    assert 0 < stopped.files < total
    assert "again" in page.status.text()
    qtbot.waitUntil(lambda: window.review_page.db is not None, timeout=30000)

    with (
        qtbot.waitSignal(page.runner.started, timeout=JOB_TIMEOUT_MS) as started,
        qtbot.waitSignal(page.results_ready, timeout=JOB_TIMEOUT_MS),
        qtbot.waitSignal(page.runner.finished, timeout=JOB_TIMEOUT_MS) as second,
    ):
        drop_paths(page.drop_zone, [card])
    assert started.args[0].already_done == stopped.files
    assert second.args[0].status == "finished"
    assert second.args[0].files == total
    assert page.gallery.model().rowCount() == total


def test_a_missing_folder_is_explained(qtbot, window, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *args: shown.append(args[2]))
    page = window.classify_page
    with qtbot.waitSignal(page.runner.finished, timeout=JOB_TIMEOUT_MS):
        page.start([tmp_path / "no-such-card"])
    assert shown and "no-such-card" in shown[0]


def test_the_status_line_says_how_many_files_were_found_while_looking(qtbot, window, tmp_path):
    """Issue #15 item 13: finding 100,000 files showed nothing; the window shows the count."""
    card = tmp_path / "card"
    card.mkdir()
    for index in range(1000):
        (card / f"IMG_{index:04d}.JPG").write_bytes(b"")
    page = window.classify_page
    notices: list[str] = []
    page.runner.notice.connect(notices.append)
    page.runner.notice.connect(lambda _text: notices.append(page.status.text()))
    run_folder(qtbot, window, card)
    assert notices[:2] == ["Found 1,000 files…", "Found 1,000 files…"]

"""Closing the window during a run asks first; 'No' keeps working, 'Yes' stops cleanly."""

from PySide6.QtWidgets import QMessageBox

from tests.gui.gui_helpers import JOB_TIMEOUT_MS, drop_paths, linked_copies


def test_close_during_a_run_asks_then_stops_and_closes(qtbot, window, tmp_path, monkeypatch):
    page = window.classify_page
    card = linked_copies(tmp_path / "card", 8)
    asked: list[str] = []
    answer = QMessageBox.StandardButton.No

    def question(*args, **kwargs):
        asked.append(args[1])
        return answer

    monkeypatch.setattr(QMessageBox, "question", question)
    with qtbot.waitSignal(page.runner.progress, timeout=JOB_TIMEOUT_MS):
        drop_paths(page.drop_zone, [card])
    assert not window.close()  # "No": the window stays and the job goes on
    assert len(asked) == 1 and window.isVisible() and page.runner.is_running()

    answer = QMessageBox.StandardButton.Yes
    with qtbot.waitSignal(page.runner.finished, timeout=JOB_TIMEOUT_MS) as finished:
        window.close()
    assert finished.args[0].status == "cancelled"
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=10000)
    assert len(asked) == 2


def test_closing_when_idle_does_not_ask(qtbot, window, monkeypatch):
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: pytest_fail())
    assert window.close()


def pytest_fail():
    raise AssertionError("no question expected when nothing runs")

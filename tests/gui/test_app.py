"""Start-up, the Help menu (log file, About) and the entry point."""

import logging
import sys

from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QApplication, QMessageBox

import engine
from engine.i18n import _
from engine.models.store import find_card
from gui import about, app, jobs
from gui.main_window import MainWindow


def test_start_page_shows_device_plan_and_model(window):
    page = window.classify_page
    assert page.plan is not None  # the probe ran off the GUI thread and came back
    assert page.device_label.text() == _("Device: {device}").format(device=page.plan.device)
    assert page.plan.variant in page.plan_label.text()
    assert find_card().name in page.model_label.text()
    assert not window.tabs.isTabEnabled(1)  # nothing to review before a run
    assert window.windowIcon().isNull() is False


def test_about_box_names_versions_licences_and_model_attribution(window, monkeypatch):
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "about", lambda parent, title, text: shown.append(text))
    window.about_action.trigger()
    text = shown[0]
    assert engine.__version__ in text
    assert "onnxruntime" in text and "Qt" in text and "Apache-2.0" in text
    assert find_card().attribution in text


def test_help_opens_the_log_file(window, monkeypatch, tmp_path):
    log = tmp_path / "logs" / "ocelote.log"
    monkeypatch.setattr(about, "log_file", lambda: log)
    opened: list[str] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url.toLocalFile()))
    monkeypatch.setattr(QMessageBox, "information", lambda *args: opened.append("none yet"))
    window.log_action.trigger()
    assert opened == ["none yet"]
    log.parent.mkdir()
    log.write_text("x")
    window.log_action.trigger()
    assert opened[-1] == str(log)


def test_main_starts_the_window_and_logs(qapp, qtbot, monkeypatch, tmp_path):
    """main() up to the event loop; a nested app.exec() would end the test session's loop."""
    log = tmp_path / "logs" / "ocelote.log"
    monkeypatch.setattr(about, "log_file", lambda: log)
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    shown: list = []

    def fake_exec(*_args) -> int:
        shown.extend(w for w in QApplication.topLevelWidgets() if w.isVisible())
        qtbot.waitUntil(lambda: not jobs.running_threads(), timeout=30000)
        for widget in shown:
            widget.close()
        return 0

    monkeypatch.setattr(QApplication, "exec", fake_exec)
    root = logging.getLogger()
    handlers = list(root.handlers)
    try:
        assert app.main([]) == 0
    finally:
        for handler in root.handlers[len(handlers) :]:
            handler.close()
            root.removeHandler(handler)
    assert any(isinstance(widget, MainWindow) for widget in shown)
    assert "Ocelote window started" in log.read_text(encoding="utf-8")

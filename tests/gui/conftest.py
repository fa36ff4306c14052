"""GUI tests run offscreen, with settings in a temporary folder and no thread left behind."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # before any QApplication exists

from pathlib import Path  # noqa: E402

import pytest  # noqa: E402
from PySide6.QtCore import QSettings  # noqa: E402

from engine import i18n  # noqa: E402
from gui import jobs  # noqa: E402


@pytest.fixture(autouse=True)
def isolated_settings(tmp_path: Path) -> Path:
    """QSettings never touches the real user's settings during tests."""
    folder = tmp_path / "qsettings"
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(folder))
    return folder


@pytest.fixture(autouse=True)
def english_by_default():
    i18n.set_language("en")
    yield
    i18n.set_language("en")


@pytest.fixture(autouse=True)
def no_thread_left_running():
    """napari's rule: a test that leaves a QThread running fails (after stopping it)."""
    yield
    left = jobs.running_threads()
    if left:
        jobs.wait_all(30000)
        pytest.fail(f"{len(left)} QThread(s) still running after the test")


@pytest.fixture
def window(qtbot, tmp_path: Path):
    """The real window, results under tmp_path, device probe finished before the test."""
    from gui.app import build_window
    from gui.settings import Settings

    settings = Settings()
    settings.language = "en"
    settings.results_root = str(tmp_path / "results")
    win = build_window(settings)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitUntil(lambda: not jobs.running_threads(), timeout=30000)
    return win

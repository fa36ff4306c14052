"""Start-up: logging, Qt application, language (before any widget), the window, device probe."""

from __future__ import annotations

import logging
import sys
from types import TracebackType

from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from engine.i18n import _
from engine.models.store import ModelFileError, find_card
from engine.paths import assets_dir
from gui import about, first_start
from gui.i18n import apply_language
from gui.jobs import unexpected_error_text, wait_all
from gui.main_window import MainWindow
from gui.settings import APPLICATION, ORGANIZATION, Settings

log = logging.getLogger(__name__)


def icon() -> QIcon:
    folder = assets_dir() / "icons"
    result = QIcon()
    for name in ("ocelote.svg", "ocelote.png"):
        if (folder / name).is_file():
            result.addFile(str(folder / name))
    return result


def build_window(settings: Settings | None = None) -> MainWindow:
    """The window in the saved language, probing the device off the GUI thread."""
    settings = settings or Settings()
    apply_language(settings.language or None)
    try:
        card = find_card(settings.model_id)
    except (KeyError, ModelFileError):  # removed, or damaged: the bundled one always exists
        card = find_card()
    window = MainWindow(card, settings)
    window.setWindowIcon(icon())
    window.probe_plan()
    return window


def _excepthook(kind: type[BaseException], error: BaseException, trace: TracebackType | None):
    """A bug in a slot: log it, tell the user what to do, keep the window alive."""
    log.error("uncaught exception", exc_info=(kind, error, trace))
    if QApplication.instance() is not None:
        QMessageBox.critical(None, _("Ocelote"), unexpected_error_text())


def main(argv: list[str] | None = None) -> int:
    about.setup_logging()
    app = QApplication.instance() or QApplication(argv if argv is not None else sys.argv)
    app.setOrganizationName(ORGANIZATION)
    app.setApplicationName(APPLICATION)
    app.setWindowIcon(icon())
    sys.excepthook = _excepthook
    try:
        window = build_window()
    except ModelFileError as error:  # the bundled model itself is damaged: say what to do
        QMessageBox.critical(None, _("Ocelote"), str(error))
        return 1
    window.show()
    first_start.offer(window)
    log.info("Ocelote window started")
    code = app.exec()
    wait_all()
    return code


if __name__ == "__main__":
    sys.exit(main())

"""Help menu content: the log file a technician asks for, and the About box."""

from __future__ import annotations

import logging
import logging.handlers
import platform
from pathlib import Path

import onnxruntime
import platformdirs
from PySide6 import __version__ as pyside_version
from PySide6.QtCore import QUrl, qVersion
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QMessageBox, QWidget

import engine
from engine.i18n import _
from engine.models.card import ModelCard
from engine.paths import APP_NAME

LOG_NAME = "ocelote.log"


def log_file() -> Path:
    return Path(platformdirs.user_log_dir(APP_NAME, appauthor=False)) / LOG_NAME


def setup_logging() -> Path:
    """Details for a technician go to a rotating file; the user sees short messages only."""
    path = log_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    handler = logging.handlers.RotatingFileHandler(
        path, maxBytes=2_000_000, backupCount=3, encoding="utf-8"
    )
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    return path


def open_log_file(parent: QWidget | None = None) -> None:
    path = log_file()
    if not path.is_file():
        QMessageBox.information(
            parent, _("Log file"), _("There is no log file yet: {path}").format(path=path)
        )
        return
    QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


def about_text(card: ModelCard) -> str:
    return "<br>".join(
        [
            f"<h3>Ocelote {engine.__version__}</h3>",
            _("Offline camera-trap photo classifier for field teams."),
            "",
            _("Versions: Python {python}, onnxruntime {ort}, Qt {qt} (PySide6 {pyside})").format(
                python=platform.python_version(),
                ort=onnxruntime.__version__,
                qt=qVersion(),
                pyside=pyside_version,
            ),
            _("Licence: Apache-2.0. Qt and PySide6 are used under the LGPLv3."),
            _("Model: {model}").format(model=card.name),
            _("Model attribution: {text}").format(text=card.attribution),
            _("Log file: {path}").format(path=log_file()),
        ]
    )


def show_about(card: ModelCard, parent: QWidget | None = None) -> None:
    QMessageBox.about(parent, _("About Ocelote"), about_text(card))

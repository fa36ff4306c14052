"""Help → Guide: a short illustrated guide, in the window's language, read offline.

The guide is HTML under `docs/guide/<language>/` with the screenshots of `docs/screenshots/`
(both shipped with the program); a QTextBrowser shows it, so no browser or network is needed.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QMessageBox,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from engine.i18n import _, language
from engine.paths import install_root


def guide_file(lang: str) -> Path:
    """The guide in `lang`, else the English one."""
    folder = install_root() / "docs" / "guide"
    chosen = folder / lang / "index.html"
    return chosen if chosen.is_file() else folder / "en" / "index.html"


class GuideDialog(QDialog):
    def __init__(self, path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Ocelote guide"))
        self.browser = QTextBrowser()
        self.browser.setOpenExternalLinks(False)
        self.browser.setSource(QUrl.fromLocalFile(str(path)))
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(900, 640)


def show_guide(parent: QWidget) -> GuideDialog | None:
    path = guide_file(language())
    if not path.is_file():
        QMessageBox.warning(parent, _("Ocelote guide"), _("The guide is missing from this copy."))
        return None
    dialog = GuideDialog(path, parent)
    dialog.show()
    return dialog

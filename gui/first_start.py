"""The first-start panel: when no detector is installed, say in plain words what one does, its
size and licence, and offer to download it, import it from a USB stick, or go on with the basic
model — with one honest sentence on what the basic model cannot do.
"""

from __future__ import annotations

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QDialog, QLabel, QPushButton, QVBoxLayout, QWidget

from engine.i18n import _, fmt_bytes
from engine.models.store import all_cards
from engine.store.catalog import CatalogEntry, entries, recommended
from gui.settings import APPLICATION, ORGANIZATION

SEEN_KEY = "models/first_start_seen"


def detector_installed() -> bool:
    return any(card.kind == "detector" for card in all_cards())


def suggested_detector(has_gpu: bool) -> CatalogEntry:
    """The detector the catalog recommends for this PC (the light one without a GPU)."""
    detectors = [item for item in entries() if item.kind == "detector"]
    return next((item for item in detectors if recommended(item, has_gpu)), detectors[0])


def _settings() -> QSettings:
    return QSettings(QSettings.defaultFormat(), QSettings.Scope.UserScope, ORGANIZATION,
                     APPLICATION)  # fmt: skip


def should_offer() -> bool:
    """No detector installed, and the panel not set aside before."""
    return not detector_installed() and not _settings().value(SEEN_KEY, False, bool)


class FirstStartPanel(QDialog):
    """`choice` after closing: "download", "import" or "basic"."""

    def __init__(self, has_gpu: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.detector = suggested_detector(has_gpu)
        self.choice = "basic"
        self.setWindowTitle(_("Find animals, people and vehicles"))
        self.explain = QLabel()
        self.explain.setWordWrap(True)
        self.download_button = QPushButton()
        self.import_button = QPushButton()
        self.basic_button = QPushButton()
        self.basic_note = QLabel()
        self.basic_note.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.explain)
        for button in (self.download_button, self.import_button, self.basic_button):
            layout.addWidget(button)
        layout.addWidget(self.basic_note)
        self.download_button.clicked.connect(lambda: self._close_with("download"))
        self.import_button.clicked.connect(lambda: self._close_with("import"))
        self.basic_button.clicked.connect(lambda: self._close_with("basic"))
        self.retranslate()

    def retranslate(self) -> None:
        item = self.detector
        licence = item.spdx + (f" — {item.plain_license()}" if item.plain_license() else "")
        self.explain.setText(
            _("A detector looks at every photo before anything else: it sets empty frames aside "
              "(wind, rain, moving grass), finds the people and vehicles, and draws a box around "
              "each animal so the species can be named.")
            + "\n\n"
            + _("Suggested for this PC: {name} ({size}). {purpose}").format(
                name=item.name, size=fmt_bytes(item.size_bytes), purpose=item.text("purpose"))
            + "\n"
            + _("Licence: {licence}").format(licence=licence)
        )  # fmt: skip
        self.download_button.setText(_("Download it now ({size})").format(
            size=fmt_bytes(item.size_bytes)))  # fmt: skip
        self.import_button.setText(_("Import it from a USB stick…"))
        self.basic_button.setText(_("Continue with the basic model"))
        self.basic_note.setText(
            _("The basic model only names the whole photo with everyday ImageNet categories: it "
              "does not find people or vehicles reliably, and it cannot tell an empty frame from "
              "one with an animal.")
        )  # fmt: skip

    def _close_with(self, choice: str) -> None:
        self.choice = choice
        _settings().setValue(SEEN_KEY, True)
        self.accept()


def offer(window) -> FirstStartPanel | None:  # noqa: ANN001 - MainWindow
    """At start-up: open the panel (not blocking the event loop) when it applies; the choice
    is carried out on the window's Models page once the panel closes."""
    if not should_offer():
        return None
    panel = FirstStartPanel(parent=window)
    panel.finished.connect(lambda _result: act_on(window, panel.choice, panel.detector.id))
    panel.open()
    return panel


def act_on(window, choice: str, detector_id: str) -> None:  # noqa: ANN001 - MainWindow
    page = window.models_page
    if choice in ("download", "import"):
        window.show_page(page)
    if choice == "download":
        page.start_install(detector_id)
    elif choice == "import":
        page.choose_import()

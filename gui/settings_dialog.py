"""Settings a ranger may change: language, model variant, threads, where results go."""

from __future__ import annotations

import os

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QWidget,
)

from engine.i18n import _
from engine.models.card import ModelCard
from engine.models.store import all_cards
from gui.i18n import LANGUAGE_NAMES
from gui.settings import Settings
from gui.widgets.ok_cancel import add_ok_cancel


class SettingsDialog(QDialog):
    """Edits a Settings; the caller applies a language change when `exec()` accepts."""

    def __init__(self, settings: Settings, card: ModelCard, parent: QWidget | None = None):
        super().__init__(parent)
        self.settings = settings
        self.setWindowTitle(_("Settings"))
        self.language = QComboBox()
        self.language.addItem(_("System language"), "")
        for code, name in LANGUAGE_NAMES.items():
            self.language.addItem(name, code)
        self.language.setCurrentIndex(max(0, self.language.findData(settings.language)))
        self.model = QComboBox()
        for known in all_cards():
            self.model.addItem(known.name, known.id)
        self.model.setCurrentIndex(max(0, self.model.findData(settings.model_id)))
        self.variant = QComboBox()
        self.variant.addItem(_("Automatic (best for this PC)"), "auto")
        for variant in card.variants_in("onnx"):
            self.variant.addItem(variant.id.upper(), variant.id)
        self.variant.setCurrentIndex(max(0, self.variant.findData(settings.variant)))
        self.threads = QSpinBox(minimum=0, maximum=max(1, os.cpu_count() or 1))
        self.threads.setSpecialValueText(_("All cores"))
        self.threads.setValue(settings.threads)
        self.results_root = QLineEdit(settings.results_root)
        self.results_root.setPlaceholderText(_("Documents/Ocelote (default)"))
        browse = QPushButton(_("Choose…"))
        browse.clicked.connect(self._browse)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.results_root, 1)
        folder_row.addWidget(browse)
        form = QFormLayout(self)
        form.addRow(_("Language:"), self.language)
        form.addRow(_("Model:"), self.model)
        form.addRow(_("Model variant:"), self.variant)
        form.addRow(_("CPU threads:"), self.threads)
        form.addRow(_("Results folder:"), folder_row)
        add_ok_cancel(self, form)

    def _browse(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, _("Where should results go?"))
        if folder:
            self.results_root.setText(folder)

    def accept(self) -> None:
        self.model_changed = self.settings.model_id != str(self.model.currentData())
        self.settings.model_id = str(self.model.currentData())
        self.settings.language = str(self.language.currentData())
        self.settings.variant = str(self.variant.currentData())
        self.settings.threads = self.threads.value()
        self.settings.results_root = self.results_root.text().strip()
        self.settings.sync()
        super().accept()

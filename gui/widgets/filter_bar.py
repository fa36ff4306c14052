"""Filters over the gallery: group, label, minimum confidence, errors only."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QComboBox, QHBoxLayout, QLabel, QSpinBox, QWidget

from engine.i18n import _, language
from engine.models.card import ModelCard
from engine.results.boxes import category_text
from engine.results.four_way import FOUR_WAY
from gui.widgets.items import Item


class FilterBar(QWidget):
    """Emits `changed(group, class_index, min_score, errors_only)`; texts follow the language."""

    changed = Signal(object, object, float, bool)
    answer_changed = Signal(object)  # "empty", "animal", "person", "vehicle" or None (all)

    def __init__(self, card: ModelCard, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.card = card
        self._label_indexes: list[int] = []
        self.group = QComboBox()
        self.label = QComboBox()
        for combo in (self.group, self.label):  # long names must not widen the window
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            combo.setMinimumContentsLength(14)
        self.confidence_caption = QLabel()
        self.confidence = QSpinBox(minimum=0, maximum=100, singleStep=5, suffix=" %")
        self.errors = QCheckBox()
        self.answer = QComboBox()  # with boxes: the ranger's first question
        self.answer.setVisible(False)
        self.answer.currentIndexChanged.connect(
            lambda: self.answer_changed.emit(self.answer.currentData())
        )
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.answer)
        for widget in (self.group, self.label, self.confidence_caption, self.confidence):
            layout.addWidget(widget)
        layout.addWidget(self.errors)
        layout.addStretch()
        self.group.currentIndexChanged.connect(self._emit)
        self.label.currentIndexChanged.connect(self._emit)
        self.confidence.valueChanged.connect(self._emit)
        self.errors.toggled.connect(self._emit)
        self.retranslate()

    def set_card(self, card: ModelCard) -> None:
        self.card = card
        self._label_indexes = []
        self.retranslate()

    def retranslate(self) -> None:
        lang = language()
        self.blockSignals(True)
        chosen = self.group.currentData()
        self.group.clear()
        self.group.addItem(_("All groups"), None)
        for group_id in self.card.groups:
            self.group.addItem(self.card.group_text(group_id, lang), group_id)
        self.group.setCurrentIndex(max(0, self.group.findData(chosen)))
        self.confidence_caption.setText(_("Minimum confidence:"))
        chosen = self.answer.currentData()
        self.answer.clear()
        self.answer.addItem(_("All answers"), None)
        for answer in FOUR_WAY:
            self.answer.addItem(category_text(answer), answer)
        self.answer.setCurrentIndex(max(0, self.answer.findData(chosen)))
        self.errors.setText(_("Only errors"))
        self.blockSignals(False)
        self.set_labels_from(self._label_indexes)

    def set_labels_from(self, indexes: Iterable[int]) -> None:
        """Offer only the labels that occur in these results (1,000 would drown a ranger)."""
        lang = language()
        self._label_indexes = sorted(set(indexes))
        chosen = self.label.currentData()
        self.label.blockSignals(True)
        self.label.clear()
        self.label.addItem(_("All labels"), None)
        entries = sorted((self.card.label_text(i, lang), i) for i in self._label_indexes)
        for text, index in entries:
            self.label.addItem(text, index)
        self.label.setCurrentIndex(max(0, self.label.findData(chosen)))
        self.label.blockSignals(False)

    def update_from_items(self, items: Iterable[Item]) -> None:
        self.set_labels_from(item.class_index for item in items if item.class_index is not None)

    def set_boxes(self, boxes: bool) -> None:
        """With a detector, filter by answer; the slider replaces the whole-photo confidence."""
        self.answer.setVisible(boxes)
        self.answer.setCurrentIndex(0)
        self.confidence.setValue(0)
        self.confidence.setVisible(not boxes)
        self.confidence_caption.setVisible(not boxes)

    def group_names(self) -> list[str]:
        return [self.group.itemText(i) for i in range(self.group.count())]

    def _emit(self) -> None:
        self.changed.emit(
            self.group.currentData(),
            self.label.currentData(),
            self.confidence.value() / 100.0,
            self.errors.isChecked(),
        )

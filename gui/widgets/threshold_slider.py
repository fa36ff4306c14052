"""The confidence slider above the gallery, or, without a detector, one honest sentence.

Boxes are stored down to the detector's floor, so the threshold is a way of reading them:
moving the slider re-reads what is stored (no model runs). The presets are the detector card's
typical and conservative thresholds (MegaDetector's 0.2 and 0.05).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSlider, QVBoxLayout, QWidget

from engine.i18n import _, fmt_number, language
from engine.models.card import ModelCard
from engine.results.boxes import Counts, RunModels, category_text
from gui.widgets.box_painter import label_in

STEPS = 100  # the slider moves in whole percents
SPECIES_SHOWN = 5


def counts_text(counts: Counts, classifier: ModelCard | None) -> str:
    """Boxes per category and the commonest species at the threshold, in one line."""
    boxes = " · ".join(
        f"{category_text(name)} {fmt_number(counts.boxes.get(name, 0))}"
        for name in ("animal", "person", "vehicle")
    )
    lang = language()
    named = [
        f"{label_in(classifier, name, lang) if classifier else name} {fmt_number(count)}"
        for name, count in counts.species.most_common(SPECIES_SHOWN)
    ]
    text = _("Boxes: {boxes}").format(boxes=boxes)
    if named:
        text += " — " + _("species: {names}").format(names=", ".join(named))
    return text


class ThresholdBar(QWidget):
    """`changed(threshold)` as the slider moves; `counts` shows what the page counted."""

    changed = Signal(float)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.models: RunModels | None = None
        self.notice = QLabel(wordWrap=True)
        self.notice.setStyleSheet("font-style: italic;")
        self.title = QLabel()
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setRange(1, STEPS - 1)
        self.slider.valueChanged.connect(self._on_value)
        self.value = QLabel()
        self.typical_button = QPushButton()
        self.typical_button.clicked.connect(lambda: self.set_threshold(self._models().typical))
        self.conservative_button = QPushButton()
        self.conservative_button.clicked.connect(
            lambda: self.set_threshold(self._models().conservative)
        )
        self.counts = QLabel(wordWrap=True)
        self.slider_row = QWidget()
        row = QHBoxLayout(self.slider_row)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.title)
        row.addWidget(self.slider, 1)
        row.addWidget(self.value)
        row.addWidget(self.typical_button)
        row.addWidget(self.conservative_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.notice)
        layout.addWidget(self.slider_row)
        layout.addWidget(self.counts)
        self.set_models(None)

    def _models(self) -> RunModels:
        assert self.models is not None  # the presets are shown only with a detector
        return self.models

    @property
    def threshold(self) -> float:
        return self.slider.value() / STEPS

    def set_models(self, models: RunModels | None) -> None:
        """Results of a run with a detector get the slider; the bundled path, the notice."""
        self.models = models
        boxes = models is not None and models.boxes_decide
        self.slider_row.setVisible(boxes)
        self.counts.setVisible(boxes)
        self.notice.setVisible(models is not None and not boxes)
        if models is not None and boxes:
            self.slider.blockSignals(True)
            self.slider.setValue(round(models.typical * STEPS))
            self.slider.blockSignals(False)
        self.retranslate()

    def set_threshold(self, threshold: float) -> None:
        self.slider.setValue(round(threshold * STEPS))

    def _on_value(self, _value: int) -> None:
        self._show_value()
        self.changed.emit(self.threshold)

    def _show_value(self) -> None:
        self.value.setText(f"{fmt_number(self.threshold * 100)} %")

    def retranslate(self) -> None:
        self.notice.setText(
            _(
                "First sort without boxes: no detector is installed, so each photo gets a "
                "whole-picture guess. Install a detector (Models page) to find animals, "
                "people and vehicles in boxes."
            )
        )
        self.title.setText(_("Confidence"))
        self.slider.setToolTip(
            _("Boxes below this confidence are not counted; no model runs again.")
        )
        self._show_value()
        if self.models is not None and self.models.boxes_decide:
            self.typical_button.setText(
                _("Typical ({value} %)").format(value=fmt_number(self.models.typical * 100))
            )
            self.conservative_button.setText(
                _("Conservative ({value} %)").format(
                    value=fmt_number(self.models.conservative * 100)
                )
            )

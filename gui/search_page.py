"""The "Search" page: a time budget and the speed wanted, then the measured Pareto front of
accuracy vs images/s on this PC, the recommended point, and "Install model" for it.

Thin: the search, the front and the pick are the engine's (`engine.search.nas`).
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from engine.i18n import _, fmt_duration, fmt_number
from engine.models.store import find_card
from engine.search.dataset import Dataset, small_classes_message
from engine.search.nas import SearchResult, Space, search
from engine.search.trainer import export, train
from gui.train_groups import default_group, with_groups
from gui.train_page import LabelledPage, pct
from gui.widgets.pareto import ParetoPlot, PlotPoint


def plot_points(result: SearchResult) -> list[PlotPoint]:
    return [
        PlotPoint(
            p.images_per_s, p.accuracy, p in result.front, p == result.recommended, p.arch.label()
        )
        for p in result.points
    ]


class SearchPage(LabelledPage):
    searched = Signal(object)  # SearchResult, None when cancelled or failed

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.result: SearchResult | None = None
        self.space: Space | None = None  # None: every variant, resolution, layer and head
        self.budget = QSpinBox(minimum=10, maximum=24 * 3600, value=300, singleStep=60)
        self.min_speed = QSpinBox(minimum=0, maximum=10_000_000, value=5000, singleStep=500)
        self.search_button = QPushButton()
        self.summary = QLabel(wordWrap=True)
        self.plot = ParetoPlot()
        self._layout()
        self.source.loaded.connect(self.set_dataset)
        self.search_button.clicked.connect(self.run_search)
        self._connect()

    def _start_button(self) -> QPushButton:
        return self.search_button

    def _layout(self) -> None:
        self.form = QFormLayout()
        self.form_labels = [QLabel(), QLabel(), QLabel()]
        for label, field in zip(
            self.form_labels, (self.budget, self.min_speed, self.name), strict=True
        ):
            self.form.addRow(label, field)
        buttons = QHBoxLayout()
        for button in (self.search_button, self.cancel_button, self.install_button):
            buttons.addWidget(button)
        column = QVBoxLayout(self)
        column.addWidget(self.source)
        column.addWidget(self.note)
        column.addLayout(self.form)
        column.addLayout(buttons)
        column.addWidget(self.progress)
        column.addWidget(self.summary)
        column.addWidget(self.plot, 1)

    def retranslate(self) -> None:
        super().retranslate()
        texts = (_("Time budget (seconds)"), _("At least (photos per hour)"), _("Model name"))
        for label, text in zip(self.form_labels, texts, strict=True):
            label.setText(text)
        self.search_button.setText(_("Search"))
        if self.result is not None:
            self.show_result(self.result)

    def set_dataset(self, dataset: Dataset) -> None:
        """Each class in its group from the taxonomy (the Train page lets a ranger change it)."""
        card = find_card()
        dataset = with_groups(dataset, {c.key: default_group(c, card) for c in dataset.classes})
        self.dataset = dataset
        self.note.setText(small_classes_message(dataset) or "")
        self._set_busy(False)

    def run_search(self) -> None:
        if self.dataset is None or self.task is not None:
            return
        dataset, budget, speed = self.dataset, self.budget.value(), self.min_speed.value()
        space = self.space

        def work(control):  # noqa: ANN001, ANN202
            return search(
                dataset, budget, speed, space,
                progress=control.progress, cancel=control.cancel,
            )  # fmt: skip

        self.progress.setRange(0, budget)
        self.progress.setValue(0)
        self._start(work, self._on_searched, self._on_progress)

    def _on_progress(self, value: int, _total: int) -> None:
        self.progress.setValue(value)

    def _on_searched(self, result: object) -> None:
        self._finished(result, SearchResult, self.searched)

    def show_result(self, result: SearchResult) -> None:
        self.result = result
        best = result.recommended
        self.plot.set_points(plot_points(result), self.min_speed.value() / 3600.0)
        lines = [
            _("Measured {count} architectures on every photo in {time} (budget {budget}).").format(
                count=len(result.points), time=fmt_duration(result.seconds),
                budget=fmt_duration(result.budget_s),
            )
        ]  # fmt: skip
        if best is not None:
            lines.append(
                _("Recommended: {arch}, {head}, {photos} photos per hour.").format(
                    arch=best.arch.label(), head=best.head.label(),
                    photos=fmt_number(best.photos_per_hour),
                )
                + " "
                + _("Accuracy: {accuracy}").format(accuracy=pct(best.accuracy))
            )  # fmt: skip
        if best is not None:
            lines.append(
                _(
                    "Photos per hour here count the model alone on prepared batches; a whole "
                    "folder (reading and decoding photos too) runs slower: see Benchmark → "
                    "Whole job."
                )
            )
        if best is not None and not result.meets_speed:
            lines.append(
                _("No architecture reached the speed asked for; the fastest is recommended.")
            )
        self.summary.setText("\n".join(lines))

    def install(self) -> None:
        """Train the recommended head on every photo (features are cached), then install."""
        if self.result is None or self.result.recommended is None or self.task is not None:
            return
        best, dataset = self.result.recommended, self.result.dataset
        name = self._model_name()
        build = {"images_per_s": round(best.images_per_s, 2)}

        def work(control):  # noqa: ANN001, ANN202
            trained = train(dataset, best.head, best.arch, cancel=control.cancel)
            return export(trained, name, build=build, install_now=True)[1]

        self.progress.setRange(0, 0)
        self._start(work, self._on_installed, self._on_progress)

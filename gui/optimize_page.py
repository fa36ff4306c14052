"""Optimize page: make a variant from the user's photos, see its measured figures, keep or not.

Thin: `engine.optimize.make` does the work on a worker thread (gui.jobs); this page only asks
and shows.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QLocale, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from engine.i18n import _, fmt_number
from engine.models.store import all_cards, find_card
from engine.optimize.make import (
    METHODS,
    Cancelled,
    Candidate,
    NoPhotos,
    Request,
    discard,
    keep,
    make_variant,
)
from engine.optimize.notes import speed_notes
from gui.task_page import TaskPage
from gui.widgets.plots import ScatterPlot

COLUMNS = 7


def _make(card, request: Request, control) -> Candidate | str | None:  # noqa: ANN001
    """On the worker thread: a Candidate, a message for the user, or None when cancelled."""
    try:
        return make_variant(card, request, progress=control.progress, cancel=control.cancel)
    except Cancelled:
        return None
    except NoPhotos:
        return _("No readable images in {source}").format(source=request.photos)


def method_names() -> dict[str, str]:
    """The ways to make a variant, in words (the engine's method ids stay in the data)."""
    return {
        "fp16": _("Half precision (FP16)"),
        "int8": _("8-bit integers (INT8)"),
        "prune-magnitude": _("Prune small weights"),
        "prune-channels": _("Prune whole channels"),
    }


class OptimizePage(TaskPage):
    kept = Signal(str)  # variant id, once it is in the store

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.candidates: list[Candidate] = []
        self.model_box, self.method_box = QComboBox(), QComboBox()
        for card in all_cards():
            self.model_box.addItem(card.name, card.id)
        for method in METHODS:
            self.method_box.addItem("", method)
        self.sparsity = QDoubleSpinBox(minimum=0.05, maximum=0.9, singleStep=0.05, value=0.3)
        self.folder = QLineEdit()
        self.browse, self.run_button = QPushButton(), QPushButton()
        self.cancel_button, self.keep_button, self.delete_button = (
            QPushButton() for _i in range(3)
        )
        self.progress, self.status = QProgressBar(), QLabel()
        self.status.setWordWrap(True)
        self.table = QTableWidget(0, COLUMNS)
        self.plot = ScatterPlot()
        self._layout()
        self.browse.clicked.connect(self._choose_folder)
        self.run_button.clicked.connect(self.start)
        self.cancel_button.clicked.connect(self.cancel)
        self.keep_button.clicked.connect(self.keep_selected)
        self.delete_button.clicked.connect(self.delete_selected)
        self.retranslate()
        self._update_buttons()

    def _layout(self) -> None:
        form = QFormLayout()
        self.form = form
        row = QHBoxLayout()
        row.addWidget(self.folder)
        row.addWidget(self.browse)
        self.form_labels = [QLabel() for _i in range(4)]
        for label, field in zip(
            self.form_labels, (self.model_box, self.method_box, self.sparsity, row), strict=True
        ):
            form.addRow(label, field)
        buttons = QHBoxLayout()
        for button in (self.run_button, self.cancel_button, self.keep_button, self.delete_button):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        results = QHBoxLayout()
        results.addWidget(self.table, 3)
        results.addWidget(self.plot, 2)
        layout.addLayout(results, 1)

    def retranslate(self) -> None:
        labels = (_("Model"), _("Method"), _("Sparsity"), _("Your photos"))
        for label, text in zip(self.form_labels, labels, strict=True):
            label.setText(text)
        self.browse.setText(_("Choose…"))
        self.run_button.setText(_("Make variant"))
        self.cancel_button.setText(_("Cancel"))
        self.keep_button.setText(_("Keep"))
        self.delete_button.setText(_("Delete"))
        self.table.setHorizontalHeaderLabels(
            [
                _("Variant"),
                _("Agreement"),
                _("Accuracy (reviewed)"),
                _("Size MB"),
                _("Images/s (CPU)"),
                _("Memory MB"),
                _("Notes"),
            ]
        )
        self.plot.set_labels(_("Agreement vs speed"), _("images/s"), _("agreement %"))
        names = method_names()
        for row in range(self.method_box.count()):
            self.method_box.setItemText(row, names[self.method_box.itemData(row)])
        self.sparsity.setLocale(QLocale())  # "0,30" in Spanish: the language's decimal mark
        self.table.resizeColumnsToContents()

    def _choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, _("Choose a folder of your photos"))
        if folder:
            self.folder.setText(folder)

    def request(self) -> Request:
        return Request(
            str(self.method_box.currentData()),
            Path(self.folder.text()),
            round(self.sparsity.value(), 2),
            limit=16,
            seconds=1.0,
        )

    def start(self) -> None:
        if self.task is not None or not self.folder.text():
            return
        card, request = find_card(str(self.model_box.currentData())), self.request()
        self.status.setText(_("Making and measuring the variant…"))
        self.run_work(
            lambda control: _make(card, request, control),
            self._on_finished,
            lambda done, total: self.progress.setValue(100 * done // total),
            self.status.setText,
        )
        self._update_buttons()

    def _on_finished(self, candidate: object) -> None:
        self.task = None
        if isinstance(candidate, Candidate):
            self.candidates.append(candidate)
            self.status.setText(" ".join(candidate.evaluation.notes))
            self._show()
        elif isinstance(candidate, str):
            self.status.setText(candidate)
        else:
            self.status.setText(_("Cancelled."))
        self._update_buttons()

    def _row(self, name: str, ev, notes: str) -> list[str]:  # noqa: ANN001 - Evaluation
        acc = ev.accuracy_on_reviewed
        cpu = ev.speed()
        return [
            name,
            fmt_number(ev.agreement * 100, 1) + " %",
            "-" if acc is None else fmt_number(acc * 100, 1) + " %",
            fmt_number(ev.file_bytes / 2**20, 1),
            fmt_number(cpu or 0, 1),
            fmt_number(ev.peak_memory_bytes / 2**20),
            notes,
        ]

    def _show(self) -> None:
        first = self.candidates[0]
        rows = [self._row(first.made_from, first.original, _("original"))]
        rows += [
            self._row(c.variant_id, c.evaluation, self._notes(c, first.original))
            for c in self.candidates
        ]
        self.table.setRowCount(len(rows))
        for r, values in enumerate(rows):
            for c, value in enumerate(values):
                self.table.setItem(r, c, QTableWidgetItem(value))
        self.table.resizeColumnsToContents()  # headers and figures whole, never "Imag…"
        points = [((first.original.speed() or 0), first.original.agreement * 100, first.made_from)]
        points += [
            (c.evaluation.speed() or 0, c.evaluation.agreement * 100, c.variant_id)
            for c in self.candidates
        ]
        self.plot.set_points(points)

    @staticmethod
    def _notes(candidate: Candidate, shown_original) -> str:  # noqa: ANN001 - Evaluation
        """Speed judged against the original row shown, the same for every variant: each run
        measures the original anew, and timing noise once let a slower pruned variant pass."""
        own = [n for n in candidate.evaluation.notes if n not in speed_notes(
            candidate.evaluation, candidate.original
        )]  # fmt: skip
        return " ".join([*speed_notes(candidate.evaluation, shown_original), *own])

    def selected(self) -> Candidate | None:
        row = self.table.currentRow()
        if 1 <= row <= len(self.candidates):
            return self.candidates[row - 1]
        return self.candidates[-1] if self.candidates else None

    def keep_selected(self) -> None:
        candidate = self.selected()
        if candidate is not None:
            keep(find_card(candidate.card_id), candidate)
            self._forget(candidate)
            self.status.setText(
                _("Kept as {id} in the model store.").format(id=candidate.variant_id)
            )
            self.kept.emit(candidate.variant_id)

    def delete_selected(self) -> None:
        candidate = self.selected()
        if candidate is not None:
            discard(candidate)
            self._forget(candidate)

    def _forget(self, candidate: Candidate) -> None:
        self.candidates.remove(candidate)
        if self.candidates:
            self._show()
        else:
            self.table.setRowCount(0)
        self._update_buttons()

    def _update_buttons(self) -> None:
        busy = self.task is not None
        self.run_button.setEnabled(not busy)
        self.cancel_button.setEnabled(busy)
        self.keep_button.setEnabled(not busy and bool(self.candidates))
        self.delete_button.setEnabled(not busy and bool(self.candidates))

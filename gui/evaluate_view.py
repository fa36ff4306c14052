"""Evaluate…: how the open results folder's answers compare with a person's, in the window.

Why: a park should see how a model does on its own cameras before trusting it — above all the
empty filter's trade-off (empties set aside against animals lost) across thresholds. The
figures are the engine's (`engine.evaluate`), the same the `ocelote evaluate` command prints.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QAction, QFont
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMenu,
    QPushButton,
    QRadioButton,
    QSizePolicy,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from engine.evaluate.metrics import UNREADABLE, Scores, TradeOff
from engine.evaluate.report import headline
from engine.evaluate.run import Evaluation, evaluate
from engine.evaluate.truth import TruthError
from engine.i18n import _, fmt_number
from engine.results.boxes import category_text
from gui.jobs import Task, run_task
from gui.widgets.confusion import ConfusionView
from gui.widgets.plots import LinePlot
from gui.widgets.scrolled import scrolled


def _evaluate(results: Path, truth_csv: Path | None) -> Evaluation | TruthError:
    """Off the GUI thread; a bad labels file comes back as its message, not as a crash."""
    try:
        return evaluate(results, truth_csv)
    except TruthError as error:
        return error


def class_name(label: str) -> str:
    return _("unreadable") if label == UNREADABLE else category_text(label)


def trade_off_series(points: list[TradeOff]) -> dict[str, list[tuple[float, float]]]:
    """Two lines in percent: what the filter sets aside well, and what it loses with it."""

    def percent(part: int, whole: int) -> float:
        return 100.0 * part / whole if whole else 0.0

    return {
        _("empty photos set aside (%)"): [
            (p.threshold, percent(p.empties_set_aside, p.empties)) for p in points
        ],
        _("animals lost (%)"): [(p.threshold, percent(p.others_lost, p.others)) for p in points],
    }


def _table(headers: list[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.verticalHeader().hide()
    table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    table.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
    return table


def _fill(table: QTableWidget, rows: list[list[str]]) -> None:
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            item = QTableWidgetItem(text)
            if c:
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            table.setItem(r, c, item)
    table.resizeColumnsToContents()
    height = table.horizontalHeader().height() + sum(table.rowHeight(r) for r in range(len(rows)))
    table.setMinimumHeight(height + 4)
    table.setMaximumHeight(height + 4)
    table.setMaximumWidth(sum(table.columnWidth(c) for c in range(table.columnCount())) + 4)


class EvaluateDialog(QDialog):
    """Pick the truth (reviews or a labels CSV), evaluate off the GUI thread, show the figures."""

    evaluated = Signal(object)  # the Evaluation shown, None when there was nothing to show

    def __init__(self, results: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.results = results
        self.csv_path: Path | None = None
        self.task: Task | None = None
        self.evaluation: Evaluation | None = None
        self.setWindowTitle(_("Evaluate {path}").format(path=results.name))
        self.reviewed = QRadioButton(_("The photos a person reviewed"))
        self.reviewed.setChecked(True)
        self.from_csv = QRadioButton(_("A labels file (CSV)"))
        self.choose_button = QPushButton(_("Choose…"))
        self.choose_button.clicked.connect(self.choose_csv)
        self.run_button = QPushButton(_("Evaluate"))
        self.run_button.clicked.connect(self.run)
        source = QHBoxLayout()
        for widget in (self.reviewed, self.from_csv, self.choose_button):
            source.addWidget(widget)
        source.addStretch(1)
        source.addWidget(self.run_button)
        self.headline = QLabel()
        font = QFont(self.headline.font())
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.3)
        self.headline.setFont(font)
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.classes = _table([_("Class"), _("Photos"), _("Recall"), _("Precision")])
        self.folders = _table([_("Folder"), _("Photos"), _("Accuracy")])
        self.confusion = ConfusionView()
        self.plot = LinePlot(_("Empty filter across thresholds"), _("threshold"), _("photos (%)"))
        self.plot.x_ticks, self.plot.y_max = True, 100.0
        self.plot.setMinimumSize(520, 280)
        plot_note = QLabel(
            _("Animals lost: photos with an animal, a person or a vehicle that the filter "
              "would set aside as empty.")
        )  # fmt: skip
        plot_note.setWordWrap(True)
        self.figures = QWidget()
        grid = QGridLayout(self.figures)
        grid.addWidget(QLabel(_("Per class (per frame):")), 0, 0)
        grid.addWidget(self.classes, 1, 0, Qt.AlignmentFlag.AlignTop)
        grid.addWidget(self.confusion, 1, 1, Qt.AlignmentFlag.AlignTop)
        grid.addWidget(self.plot, 2, 0, 1, 2)
        grid.addWidget(plot_note, 3, 0, 1, 2)
        grid.addWidget(QLabel(_("Per folder (per frame):")), 4, 0)
        grid.addWidget(self.folders, 5, 0, 1, 2, Qt.AlignmentFlag.AlignTop)
        grid.setRowStretch(6, 1)
        self.figures.setEnabled(False)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(source)
        layout.addWidget(self.headline)
        layout.addWidget(self.note)
        layout.addWidget(scrolled(self.figures), 1)
        layout.addWidget(buttons)
        self.resize(760, 720)

    def choose_csv(self) -> None:
        chosen, _filter = QFileDialog.getOpenFileName(
            self, _("Choose a labels file"), str(self.results), _("CSV files (*.csv)")
        )
        if chosen:
            self.use_csv(Path(chosen))

    def use_csv(self, path: Path) -> None:
        """Evaluate against this labels file (file, four_way, optional species)."""
        self.csv_path = path
        self.from_csv.setText(_("A labels file (CSV): {name}").format(name=path.name))
        self.from_csv.setChecked(True)
        self.run()

    def run(self) -> None:
        if self.from_csv.isChecked() and self.csv_path is None:
            self.choose_csv()
            return
        if self.busy():
            return
        truth = self.csv_path if self.from_csv.isChecked() else None
        self.run_button.setEnabled(False)
        self.headline.setText(_("Evaluating…"))
        self.note.clear()
        self.task = run_task(lambda: _evaluate(self.results, truth), self)
        self.task.finished.connect(self._show)
        self.task.failed.connect(self._failed)

    def _failed(self, message: str) -> None:
        self.headline.setText(_("The evaluation failed."))
        self.note.setText(message)

    def _show(self, result: Evaluation | TruthError | None) -> None:
        self.run_button.setEnabled(True)
        self.evaluation = result if isinstance(result, Evaluation) else None
        if isinstance(result, TruthError):
            self.headline.setText(_("These labels cannot be used."))
            self.note.setText(str(result))
        elif isinstance(result, Evaluation) and result.scores["per_frame"].n == 0:
            self.headline.setText(_("None of the labelled photos is in these results."))
            self.note.setText(
                _("Review some photos first, or choose a labels file whose file column "
                  "holds the paths of these results.")
            )  # fmt: skip
            self.evaluation = None
        elif isinstance(result, Evaluation):
            self._fill(result)
        self.figures.setEnabled(self.evaluation is not None)
        self.evaluated.emit(self.evaluation)

    def _fill(self, evaluation: Evaluation) -> None:
        self.headline.setText(headline(evaluation))
        note = _("Threshold {threshold}; {labelled} photos labelled, {missing} not in the results.")
        lines = [
            note.format(
                threshold=fmt_number(evaluation.threshold, 2),
                labelled=fmt_number(evaluation.labelled),
                missing=fmt_number(len(evaluation.missing)),
            )
        ]
        if evaluation.from_reviews:
            lines.insert(0, _("Truth: the photos a person reviewed in Ocelote."))
        self.note.setText(" ".join(lines))
        per_frame: Scores = evaluation.scores["per_frame"]
        _fill(
            self.classes,
            [
                [class_name(c.label), fmt_number(c.support),
                 fmt_number(c.recall, 2), fmt_number(c.precision, 2)]
                for c in per_frame.classes
            ],
        )  # fmt: skip
        names = [f"{i}. {class_name(label)}" for i, label in enumerate(per_frame.labels, 1)]
        self.confusion.set_matrix(names, per_frame.confusion)
        self.plot.set_series(trade_off_series(evaluation.trade_off))
        _fill(
            self.folders,
            [
                [_("(top folder)") if folder == "." else folder, fmt_number(s.n),
                 fmt_number(s.accuracy, 2)]
                for folder, s in evaluation.per_folder.items()
            ],
        )  # fmt: skip

    def busy(self) -> bool:
        return self.task is not None and self.task.is_running()


class EvaluateAction(QObject):
    """The menu entry: opens the dialog on the results folder shown now, evaluated from the
    reviews straight away."""

    def __init__(
        self, window: QMainWindow, menu: QMenu, results: Callable[[], Path | None]
    ) -> None:
        super().__init__(window)
        self.window, self._results = window, results
        self.dialog: EvaluateDialog | None = None
        menu.addSeparator()
        self.action = QAction(window)
        self.action.triggered.connect(self.open)
        menu.addAction(self.action)

    def retranslate(self) -> None:
        self.action.setText(_("Evaluate…"))

    def open(self) -> EvaluateDialog | None:
        results = self._results()
        if results is None:
            return None
        if self.dialog is not None:
            self.dialog.close()
            if not self.dialog.busy():  # a running evaluation ends first, then goes with the window
                self.dialog.deleteLater()
        self.dialog = EvaluateDialog(results, self.window)
        self.dialog.show()
        self.dialog.run()
        return self.dialog

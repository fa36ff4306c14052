"""The "Train" page: pick labelled photos, see the class counts, train a head, judge it by its
cross-validated accuracy, per-class table and confusion matrix, and install it as a model.

Thin: every decision is the engine's (`engine.search`); long work runs through gui.jobs.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, QObject, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
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

from engine.i18n import _, fmt_number, language
from engine.search.dataset import MIN_EXAMPLES, Dataset, class_names, small_classes_message
from engine.search.features import Cancelled
from engine.search.head import HeadSpec
from engine.search.report import accuracy_line
from engine.search.trainer import TrainResult, export, train
from gui.jobs import Task, run_task
from gui.widgets.confusion import ConfusionView

RESULTS, FOLDERS = "results", "folders"


def load_source(kind: str, path: Path) -> Dataset:
    from engine.search.dataset import from_folders, from_results

    return from_results(path) if kind == RESULTS else from_folders(path)


def cancellable(work):  # noqa: ANN001, ANN201 - (TaskControl) -> result | None
    """Cancel is not a failure: the work returns None and nothing is shown as an error."""

    def run(control):  # noqa: ANN001, ANN202
        try:
            return work(control)
        except Cancelled:
            return None

    return run


class CancelOnClose(QObject):
    """Cancels a page's task when its window closes, so the window's short wait suffices."""

    def __init__(self, page: QWidget) -> None:
        super().__init__(page)
        self._page = page
        self._watched: QWidget | None = None

    def watch(self) -> None:
        window = self._page.window()
        if window is not self._watched:
            window.installEventFilter(self)
            self._watched = window

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Close:
            self._page.cancel()
        return False


class SourcePicker(QWidget):
    """Results folder (reviewed photos) or a folder sorted by species; `loaded(Dataset)`."""

    loaded = Signal(object)
    failed = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kind = QComboBox()
        self.path = QLineEdit()
        self.choose = QPushButton()
        self.load_button = QPushButton()
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        for widget in (self.kind, self.path, self.choose, self.load_button):
            row.addWidget(widget)
        self.choose.clicked.connect(self._choose)
        self.load_button.clicked.connect(self.load)
        self.task: Task | None = None

    def retranslate(self) -> None:
        current = self.kind.currentIndex()
        self.kind.clear()
        self.kind.addItem(_("Reviewed results"), RESULTS)
        self.kind.addItem(_("Folder sorted by species"), FOLDERS)
        self.kind.setCurrentIndex(max(0, current))
        self.path.setPlaceholderText(_("Folder"))
        self.choose.setText(_("Choose…"))
        self.load_button.setText(_("Load"))

    def set_source(self, kind: str, path: Path) -> None:
        self.kind.setCurrentIndex(self.kind.findData(kind))
        self.path.setText(str(path))

    def _choose(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, _("Choose a folder"))
        if folder:
            self.path.setText(folder)
            self.load()

    def load(self) -> None:
        """Discovery reads every folder: off the GUI thread too."""
        kind, path = self.kind.currentData(), Path(self.path.text())
        self.load_button.setEnabled(False)
        self.task = run_task(lambda: load_source(kind, path), self)
        self.task.failed.connect(self.failed)
        self.task.finished.connect(self._on_loaded)

    def _on_loaded(self, dataset: object) -> None:
        self.task = None
        self.load_button.setEnabled(True)
        if dataset is not None:
            self.loaded.emit(dataset)


def fill_table(table: QTableWidget, headers: list[str], rows: list[list[str]]) -> None:
    table.clear()
    table.setColumnCount(len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            table.setItem(r, c, QTableWidgetItem(text))
    table.resizeColumnsToContents()


def pct(value: float) -> str:
    return f"{fmt_number(100 * value, 1)} %"


class TrainPage(QWidget):
    trained = Signal(object)  # TrainResult, None when cancelled or failed
    installed = Signal(str)  # the new model id

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.dataset: Dataset | None = None
        self.result: TrainResult | None = None
        self.task: Task | None = None
        self.source = SourcePicker()
        self.counts = QTableWidget()
        self.note = QLabel(wordWrap=True)
        self.head = QComboBox()
        self.name = QLineEdit()
        self.train_button, self.cancel_button = QPushButton(), QPushButton()
        self.install_button = QPushButton()
        self.progress = QProgressBar()
        self.accuracy = QLabel(wordWrap=True)
        self.per_class = QTableWidget()
        self.confusion = ConfusionView()
        self._layout()
        self.source.loaded.connect(self.show_dataset)
        self.source.failed.connect(self._show_error)
        self.train_button.clicked.connect(self.train)
        self.cancel_button.clicked.connect(self.cancel)
        self.install_button.clicked.connect(self.install)
        self._set_busy(False)
        self.retranslate()
        self._close_guard = CancelOnClose(self)

    def showEvent(self, event: QShowEvent) -> None:
        self._close_guard.watch()
        super().showEvent(event)

    def _layout(self) -> None:
        actions = QHBoxLayout()
        for widget in (self.head, self.name, self.train_button, self.cancel_button):
            actions.addWidget(widget)
        actions.addWidget(self.install_button)
        tables = QHBoxLayout()
        tables.addWidget(self.counts)
        tables.addWidget(self.per_class)
        tables.addWidget(self.confusion)
        column = QVBoxLayout(self)
        column.addWidget(self.source)
        column.addWidget(self.note)
        column.addLayout(actions)
        column.addWidget(self.progress)
        column.addWidget(self.accuracy)
        column.addLayout(tables, 1)

    def retranslate(self) -> None:
        self.source.retranslate()
        current = max(0, self.head.currentIndex())
        self.head.clear()
        self.head.addItem(_("Logistic regression"), HeadSpec())
        self.head.addItem(_("Small neural network"), HeadSpec("mlp", 128))
        self.head.setCurrentIndex(current)
        self.name.setPlaceholderText(_("Name of the new model"))
        self.train_button.setText(_("Train"))
        self.cancel_button.setText(_("Cancel"))
        self.install_button.setText(_("Install model"))
        if self.dataset is not None:
            self.show_dataset(self.dataset)
        if self.result is not None:
            self.show_result(self.result)

    def _set_busy(self, busy: bool) -> None:
        self.train_button.setEnabled(not busy and self.dataset is not None)
        self.cancel_button.setEnabled(busy)
        self.install_button.setEnabled(not busy and self.result is not None)
        self.progress.setVisible(busy)

    def _show_error(self, message: str) -> None:
        self.note.setText(message)

    def show_dataset(self, dataset: Dataset) -> None:
        self.dataset = dataset
        names = class_names(dataset, language())
        rows = [
            [names[c.key], fmt_number(c.count), _("too few") if c.count < MIN_EXAMPLES else ""]
            for c in dataset.classes
        ]
        fill_table(self.counts, [_("class"), _("photos"), ""], rows)
        self.note.setText(small_classes_message(dataset) or "")
        self._set_busy(False)

    def train(self) -> None:
        if self.dataset is None or self.task is not None:
            return
        dataset, spec = self.dataset, self.head.currentData()

        def work(control):  # noqa: ANN001, ANN202
            return train(dataset, spec, progress=control.progress, cancel=control.cancel)

        self._start(work, self._on_trained)

    def _start(self, work, done) -> None:  # noqa: ANN001
        self.progress.setRange(0, 0)
        self.task = run_task(cancellable(work), self, control=True)
        self.task.progress.connect(self._on_progress)
        self.task.failed.connect(self._show_error)
        self.task.finished.connect(done)
        self._set_busy(True)

    def _on_progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(1, total))
        self.progress.setValue(done)

    def cancel(self) -> None:
        if self.task is not None:
            self.task.cancel()

    def _on_trained(self, result: object) -> None:
        self.task = None
        if isinstance(result, TrainResult):
            self.show_result(result)
        self._set_busy(False)
        self.trained.emit(result)

    def show_result(self, result: TrainResult) -> None:
        self.result = result
        metrics, names = result.metrics, class_names(result.dataset, language())
        self.accuracy.setText(accuracy_line(metrics))
        labels = [names[c.key] for c in result.dataset.classes]
        rows = [
            [
                name,
                fmt_number(int(metrics.support[i])),
                pct(metrics.precision[i]),
                pct(metrics.recall[i]),
            ]
            for i, name in enumerate(labels)
        ]
        fill_table(self.per_class, [_("class"), _("photos"), _("precision"), _("recall")], rows)
        self.confusion.set_matrix(
            [f"{i + 1}. {n}" for i, n in enumerate(labels)], metrics.confusion
        )

    def install(self) -> None:
        if self.result is None or self.task is not None:
            return
        result, name = self.result, self.name.text().strip() or _("Park model")
        self._start(lambda control: export(result, name, install_now=True)[1], self._on_installed)

    def _on_installed(self, card: object) -> None:
        self.task = None
        self._set_busy(False)
        if card is not None:
            self.note.setText(_("Installed as {model}.").format(model=card.id))
            self.installed.emit(card.id)

"""The "Train" page: pick labelled photos, see the class counts, train a head, judge it by its
cross-validated accuracy, per-class table and confusion matrix, and install it as a model.

Thin: every decision is the engine's (`engine.search`); long work runs through gui.jobs.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal, SignalInstance
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
from engine.models.store import find_card
from engine.search.dataset import MIN_EXAMPLES, Dataset, class_names, small_classes_message
from engine.search.head import HeadSpec
from engine.search.report import accuracy_line
from engine.search.trainer import TrainResult, export, train
from gui.jobs import Task, run_task
from gui.task_page import CancelOnClose, TaskPage, cancellable
from gui.train_groups import default_group, group_box, with_groups
from gui.widgets.confusion import ConfusionView

RESULTS, FOLDERS = "results", "folders"


def load_source(kind: str, path: Path) -> Dataset:
    from engine.search.dataset import from_folders, from_results

    return from_results(path) if kind == RESULTS else from_folders(path)


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


class LabelledPage(TaskPage):
    """Train and Search: labelled photos in, a model to install out; closing the window cancels.

    Subclasses add their start button (`_start_button`), `show_result` and the work itself.
    """

    installed = Signal(str)  # the new model id

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.dataset: Dataset | None = None
        self.result: object | None = None
        self.source = SourcePicker()
        self.note = QLabel(wordWrap=True)
        self.name = QLineEdit()
        self.cancel_button, self.install_button = QPushButton(), QPushButton()
        self.progress = QProgressBar()
        self._close_guard = CancelOnClose(self)

    def _connect(self) -> None:
        """After the subclass built its widgets: the shared buttons, idle state, texts."""
        self.source.failed.connect(self.note.setText)
        self.cancel_button.clicked.connect(self.cancel)
        self.install_button.clicked.connect(self.install)
        self._set_busy(False)
        self.retranslate()

    def showEvent(self, event: QShowEvent) -> None:
        self._close_guard.watch()
        super().showEvent(event)

    def _start_button(self) -> QPushButton:
        raise NotImplementedError

    def retranslate(self) -> None:
        self.source.retranslate()
        self.name.setPlaceholderText(_("Name of the new model"))
        self.cancel_button.setText(_("Cancel"))
        self.install_button.setText(_("Install model"))

    def _set_busy(self, busy: bool) -> None:
        self._start_button().setEnabled(not busy and self.dataset is not None)
        self.cancel_button.setEnabled(busy)
        self.install_button.setEnabled(not busy and self.result is not None)
        self.progress.setVisible(busy)

    def _start(self, work, done, progress) -> None:  # noqa: ANN001
        self.run_work(cancellable(work), done, progress, self.note.setText)
        self._set_busy(True)

    def _finished(self, result: object, kind: type, signal: SignalInstance) -> None:
        """A result of `kind` is shown; None (cancelled or failed) leaves the last one."""
        self.task = None
        if isinstance(result, kind):
            self.show_result(result)
        self._set_busy(False)
        signal.emit(result)

    def show_result(self, result: object) -> None:
        raise NotImplementedError

    def install(self) -> None:
        raise NotImplementedError

    def _model_name(self) -> str:
        return self.name.text().strip() or _("Park model")

    def _on_installed(self, card: object) -> None:
        self.task = None
        self._set_busy(False)
        if card is not None:
            self.note.setText(_("Installed as {model}.").format(model=card.name))
            self.installed.emit(card.id)


class TrainPage(LabelledPage):
    trained = Signal(object)  # TrainResult, None when cancelled or failed

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.result: TrainResult | None = None
        self.counts = QTableWidget()
        self.head = QComboBox()
        self.train_button = QPushButton()
        self.accuracy = QLabel(wordWrap=True)
        self.per_class = QTableWidget()
        self.confusion = ConfusionView()
        self.card = find_card()  # the taxonomy the groups come from
        self._layout()
        self.source.loaded.connect(self.show_dataset)
        self.train_button.clicked.connect(self.train)
        self._connect()

    def _start_button(self) -> QPushButton:
        return self.train_button

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
        super().retranslate()
        current = max(0, self.head.currentIndex())
        self.head.clear()
        self.head.addItem(_("Logistic regression"), HeadSpec())
        self.head.addItem(_("Small neural network"), HeadSpec("mlp", 128))
        self.head.setCurrentIndex(current)
        self.train_button.setText(_("Train"))
        if self.dataset is not None:
            self.show_dataset(self.dataset)
        if self.result is not None:
            self.show_result(self.result)

    def show_dataset(self, dataset: Dataset) -> None:
        """Classes, their photo counts and the group of each (a choice, from the taxonomy)."""
        chosen = self.chosen_groups() if dataset is self.dataset else {}
        self.dataset = dataset
        names = class_names(dataset, language())
        rows = [
            [names[c.key], fmt_number(c.count), "", _("too few") if c.count < MIN_EXAMPLES else ""]
            for c in dataset.classes
        ]
        fill_table(self.counts, [_("class"), _("photos"), _("group"), ""], rows)
        for row, info in enumerate(dataset.classes):
            group = chosen.get(info.key) or default_group(info, self.card)
            self.counts.setCellWidget(row, 2, group_box(self.card, group))
        self.counts.resizeColumnsToContents()
        self.note.setText(small_classes_message(dataset) or "")
        self._set_busy(False)

    def chosen_groups(self) -> dict[str, str]:
        if self.dataset is None:
            return {}
        chosen = {}
        for row, info in enumerate(self.dataset.classes):
            box = self.counts.cellWidget(row, 2)
            if isinstance(box, QComboBox):
                chosen[info.key] = str(box.currentData())
        return chosen

    def train(self) -> None:
        if self.dataset is None or self.task is not None:
            return
        dataset, spec = with_groups(self.dataset, self.chosen_groups()), self.head.currentData()

        def work(control):  # noqa: ANN001, ANN202
            return train(dataset, spec, progress=control.progress, cancel=control.cancel)

        self.progress.setRange(0, 0)
        self._start(work, self._on_trained, self._on_progress)

    def _on_progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(1, total))
        self.progress.setValue(done)

    def _on_trained(self, result: object) -> None:
        self._finished(result, TrainResult, self.trained)

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
        result, name = self.result, self._model_name()
        self.progress.setRange(0, 0)
        self._start(
            lambda control: export(result, name, install_now=True)[1],
            self._on_installed,
            self._on_progress,
        )

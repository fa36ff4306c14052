"""The first page: what this PC will do, the drop zone, the running job and its results."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from engine.i18n import _, fmt_duration, fmt_number, language
from engine.models.card import ModelCard
from engine.pipeline.events import BackendDropped, Progress, Started
from engine.pipeline.job import RESULTS_DB, JobSettings
from engine.results.boxes import category_text
from engine.results.summary import Summary
from gui.device import StartupPlan, plain_plan
from gui.events.bar import EventsBar
from gui.events.tiles import EventTiles
from gui.jobs import JobRunner, run_task
from gui.settings import Settings
from gui.summary_text import summary_text
from gui.widgets.detail import DetailView
from gui.widgets.drop_zone import DropZone
from gui.widgets.filter_bar import FilterBar
from gui.widgets.gallery import GalleryFilter, GalleryModel, ItemRole, make_gallery_view
from gui.widgets.group_chart import GroupChart
from gui.widgets.items import group_text, load_results
from gui.widgets.scrolled import scrolled
from gui.widgets.threshold_slider import ThresholdBar, counts_text


def source_of(paths: list[Path]) -> Path:
    """A dropped folder is the source; dropped files stand for the folder holding them."""
    first = paths[0]
    return first.parent if first.is_file() else first


def _photos_per_answer() -> str:
    return _("Photos per answer")


def _photos_per_group() -> str:
    return _("Photos per group")


class ClassifyPage(QWidget):
    """Drop → run → results. `results_ready(out_dir)` fires once the results are loaded."""

    results_ready = Signal(Path)
    starting = Signal()  # a new run replaces the results shown

    def __init__(self, card: ModelCard, model: GalleryModel, settings: Settings, parent=None):
        super().__init__(parent)
        self.card, self.model, self.settings = card, model, settings
        self.runner = JobRunner(self)
        self.out_dir: Path | None = None
        self.source: Path | None = None
        self.last_summary: Summary | None = None
        self.plan: StartupPlan | None = None
        self.closing = False  # the window closes once the job stops: load nothing more
        self._status = ""
        self._build()
        self.runner.started.connect(self._on_started)
        self.runner.backend_dropped.connect(self._on_backend_dropped)
        self.runner.progress.connect(self._on_progress)
        self.runner.file_done.connect(self.model.add_outcome)
        self.runner.finished.connect(self._on_finished)
        self.runner.failed.connect(self._on_failed)
        self.runner.notice.connect(self.status.setText)
        self.retranslate()

    def _build(self) -> None:
        self.device_label, self.plan_label, self.model_label = QLabel(), QLabel(), QLabel()
        self.plain_plan = QLabel(wordWrap=True)
        self.details_button = QToolButton(checkable=True)
        self.details_button.toggled.connect(self._show_details)
        for label in (self.device_label, self.plan_label, self.model_label):
            label.setWordWrap(True)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.drop_zone = DropZone()
        self.drop_zone.dropped.connect(self.start)
        self.drop_zone.clicked.connect(self.choose_folder)
        self.choose_button = QPushButton()
        self.choose_button.clicked.connect(self.choose_folder)
        self.progress = QProgressBar()
        self.status = QLabel(wordWrap=True)
        self.cancel_button = QPushButton()
        self.cancel_button.clicked.connect(self.cancel)
        self.event_tiles = EventTiles(self)
        self.event_tiles.setSourceModel(self.model)
        self.events_bar = EventsBar(self.event_tiles)
        self.proxy = GalleryFilter(self)
        self.proxy.setSourceModel(self.event_tiles)
        self.proxy.modelReset.connect(self.clear_detail)
        self.gallery = make_gallery_view()
        self.gallery.setModel(self.proxy)
        self.gallery.selectionModel().currentChanged.connect(self._show_current)
        self.gallery.activated.connect(self.events_bar.activate)
        self.filters = FilterBar(self.card)
        self.filters.changed.connect(self.proxy.set_filters)
        self.filters.answer_changed.connect(self.proxy.set_answer)
        self.chart = GroupChart()
        # a review changes a file's group: the chart follows (batched, 20,000 files are many)
        self._chart_timer = QTimer(self, singleShot=True, interval=200)
        self._chart_timer.timeout.connect(self._update_chart)
        self.model.dataChanged.connect(self._on_items_changed)
        self.detail = DetailView(self.card, self.model.loader, self.model.boxes)
        self.threshold_bar = ThresholdBar()
        self.threshold_bar.changed.connect(self._on_threshold)
        self.side_button = QToolButton(checkable=True, checked=True)
        self.side_button.toggled.connect(self._show_side)

        start = QWidget()
        start_layout = QVBoxLayout(start)
        start_layout.addWidget(self.drop_zone, 1)
        start_layout.addWidget(self.choose_button, 0, Qt.AlignmentFlag.AlignHCenter)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        top_row = QHBoxLayout()
        top_row.addWidget(self.filters, 1)
        top_row.addWidget(self.side_button)
        left_layout.addLayout(top_row)
        left_layout.addWidget(self.events_bar)
        left_layout.addWidget(self.threshold_bar)
        left_layout.addWidget(self.gallery, 1)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.addWidget(self.chart)
        right_layout.addWidget(self.detail, 1)
        self.side_panel = scrolled(right)
        self.side_panel.setMinimumWidth(300)
        self.splitter = QSplitter()
        self.splitter.addWidget(left)
        self.splitter.addWidget(self.side_panel)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.stack = QStackedWidget()
        self.stack.addWidget(start)
        self.stack.addWidget(self.splitter)

        plan_row = QHBoxLayout()
        plan_row.addWidget(self.plain_plan, 1)
        plan_row.addWidget(self.details_button, 0, Qt.AlignmentFlag.AlignTop)
        run_row = QHBoxLayout()
        run_row.addWidget(self.progress, 1)
        run_row.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.addLayout(plan_row)
        for label in (self.device_label, self.plan_label, self.model_label):
            layout.addWidget(label)
        layout.addWidget(self.stack, 1)
        layout.addLayout(run_row)
        layout.addWidget(self.status)
        self._show_details(False)
        self._set_running(False)

    def _show_details(self, shown: bool) -> None:
        """The plain line always; the device, variant, backend and model one click away."""
        for label in (self.device_label, self.plan_label, self.model_label):
            label.setVisible(shown)

    def _show_side(self, shown: bool) -> None:
        self.side_panel.setVisible(shown)

    def clear_detail(self) -> None:
        """A new folder (or new results): the preview must not show a file of the one before."""
        self.detail.show_item(None, None)

    def retranslate(self) -> None:
        self._show_plan()
        self.model_label.setText(_("Model: {model}").format(model=self.card.name))
        self.choose_button.setText(_("Choose folder…"))
        self.cancel_button.setText(_("Cancel"))
        self.details_button.setText(_("Details"))
        self.details_button.setToolTip(_("Show the device, model and plan in detail"))
        self.side_button.setText(_("Preview"))
        self.side_button.setToolTip(_("Show or hide the chart and the preview"))
        self.drop_zone.retranslate()
        self.threshold_bar.retranslate()
        self.filters.retranslate()
        self.events_bar.retranslate()
        self.detail.retranslate()
        self._update_chart()
        self.model.refresh_texts()
        if self.last_summary is not None and not self.runner.is_running():
            self.status.setText(self._summary_text(self.last_summary))

    def set_card(self, card: ModelCard) -> None:
        """Another model from now on: results shown (of the model before) are closed."""
        self.card = card
        self.filters.set_card(card)
        self.detail.card = card
        self.out_dir, self.source, self.last_summary = None, None, None
        self.model.reset(None)
        self.threshold_bar.set_models(None)
        self.status.clear()
        self.stack.setCurrentIndex(0)
        self.retranslate()

    def set_plan(self, plan: StartupPlan | None) -> None:
        """The device found and the plan chosen (from a start-up probe off the GUI thread)."""
        self.plan = plan
        self._show_plan()

    def _show_plan(self) -> None:
        if self.plan is None:
            self.plain_plan.setText(_("Looking for this PC's processors…"))
            self.device_label.setText(_("Device: looking for this PC's processors…"))
            self.plan_label.setText("")
            return
        plan = self.plan
        self.plain_plan.setText(plain_plan(plan.device, plan.backend))
        self.device_label.setText(_("Device: {device}").format(device=plan.device))
        text = _("Plan: {variant} on {backend}").format(variant=plan.variant, backend=plan.backend)
        self.plan_label.setText(f"{text} — {plan.reason}" if plan.reason else text)

    # --- running ------------------------------------------------------------------------
    def choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, _("Choose the folder of photos"))
        if folder:
            self.start([Path(folder)])

    def start(self, paths: list[Path]) -> None:
        if self.runner.is_running() or not paths:
            return
        self.source = source_of(paths)
        self.out_dir = self.settings.out_dir_for(self.source)
        self.last_summary = None
        self.starting.emit()
        self.model.reset(self.source)
        self.threshold_bar.set_models(None)
        self.stack.setCurrentIndex(1)
        self.progress.setRange(0, 0)
        self.status.setText(_("Looking for photos in {path}…").format(path=self.source))
        self._set_running(True)
        self.runner.start(
            JobSettings(
                source=self.source,
                out_dir=self.out_dir,
                model_id=self.card.id,
                variant=self.settings.variant,
                threads=self.settings.threads or None,
            )
        )

    def cancel(self) -> None:
        self.cancel_button.setEnabled(False)
        self.status.setText(_("Stopping after the photos in progress…"))
        self.runner.cancel()

    def _set_running(self, running: bool) -> None:
        self.progress.setVisible(running)
        self.cancel_button.setVisible(running)
        self.cancel_button.setEnabled(running)

    def _on_started(self, event: Started) -> None:
        device = self.plan.device if self.plan is not None else ""
        self.plain_plan.setText(plain_plan(device, event.backend))  # the backend really used
        self.plan_label.setText(
            _("Plan: {variant} on {backend} — {reason}").format(
                variant=event.variant.upper(), backend=event.backend, reason=event.reason
            )
        )
        self.progress.setRange(0, max(1, event.total))
        self.progress.setValue(0)
        if event.estimate_seconds:
            self.status.setText(
                _("Estimate before the run: ≈ {time} for {count} files on this PC; the "
                  "run measures its own speed and refines it.").format(
                    time=fmt_duration(event.estimate_seconds), count=fmt_number(event.total)
                )
            )  # fmt: skip
        if event.already_done:
            self.status.setText(
                _("Resuming: {count} files were already done.").format(
                    count=fmt_number(event.already_done)
                )
            )

    def _on_backend_dropped(self, event: BackendDropped) -> None:
        """Said where the plan is shown: the run goes on, on the next backend."""
        notice = _("{backend} was set aside for this session: {reason}").format(
            backend=event.backend, reason=event.reason
        )
        self.plan_label.setText(f"{self.plan_label.text()}\n{notice}")

    def _on_progress(self, event: Progress) -> None:
        self.model.flush()
        self._update_chart()
        self.progress.setValue(event.done)
        left = fmt_duration(event.eta_seconds) if event.eta_seconds is not None else "…"
        self.progress.setFormat(
            _("{done} of {total}").format(
                done=fmt_number(event.done), total=fmt_number(event.total)
            )
        )
        self.status.setText(
            _("{rate} images/s · {left} left").format(rate=fmt_number(event.rate, 1), left=left)
        )

    def _on_finished(self, summary: Summary | None) -> None:
        self.model.flush()
        self._set_running(False)
        self.last_summary = summary
        if summary is not None:
            self.status.setText(self._summary_text(summary))
        if self.closing:
            return
        if self.out_dir is not None and (self.out_dir / RESULTS_DB).is_file():
            self._load_results(self.out_dir)
        elif summary is None:
            self.stack.setCurrentIndex(0)

    def _summary_text(self, summary: Summary) -> str:
        return summary_text(summary, self.source)

    def _on_failed(self, message: str) -> None:
        QMessageBox.warning(
            self,
            _("Could not classify"),
            message + "\n\n" + _("Details are in the log file (Help → Open log file)."),
        )

    # --- results ------------------------------------------------------------------------
    def open_results(self, out_dir: Path, source: Path | None) -> None:
        """Show a results folder (after a run, or one opened from the menu)."""
        self.out_dir, self.source = out_dir, source
        self._load_results(out_dir)

    def _load_results(self, out_dir: Path) -> None:
        task = run_task(lambda: load_results(out_dir / RESULTS_DB, self.card), self)
        task.finished.connect(lambda loaded: self._show_results(out_dir, loaded))
        task.failed.connect(self._on_failed)

    def _show_results(self, out_dir: Path, loaded: tuple | None) -> None:
        if loaded is None or out_dir != self.out_dir:  # a folder dropped since: not shown
            return
        items, source, models = loaded
        self.source = self.source or source
        self.model.reset(self.source, items)
        self.model.set_models(models)
        self.threshold_bar.set_models(models)
        self.filters.set_boxes(models.boxes_decide)
        self.filters.update_from_items(items)
        self.events_bar.load(out_dir / RESULTS_DB, self.source)
        self.stack.setCurrentIndex(1 if items else 0)  # nothing found: the status says why
        self._update_chart()
        self.results_ready.emit(out_dir)

    def _on_items_changed(self, _first, _last, roles=()) -> None:  # noqa: ANN001 - Qt indexes
        if Qt.ItemDataRole.DecorationRole not in roles:  # a thumbnail arriving changes no group
            self._chart_timer.start()

    def _on_threshold(self, threshold: float) -> None:
        """Stored boxes read at another confidence: tiles, preview, counts and chart follow."""
        self.model.set_threshold(threshold)
        if self.proxy.answer is not None:
            self.proxy.refilter()
        self.detail.refresh_boxes()
        self._chart_timer.start()  # a recount of 20,000 files takes a moment: once the slider rests

    def _update_chart(self) -> None:
        boxes = self.model.boxes
        self.chart.title = _photos_per_answer if boxes.boxes_decide else _photos_per_group
        if boxes.boxes_decide:
            counted = boxes.counts(self.model.items())
            answers = {category_text(name): count for name, count in counted.answers.items()}
            errors = sum(1 for item in self.model.items() if not item.ok)
            self.chart.set_counts({**answers, **({_("Errors"): errors} if errors else {})})
            self.threshold_bar.counts.setText(counts_text(counted, boxes.classifier))
            return
        counts: dict[str, int] = {}
        lang = language()
        for item in self.model.items():
            name = group_text(item.group, self.card, lang) if item.ok else _("Errors")
            counts[name] = counts.get(name, 0) + 1
        self.chart.set_counts(counts)

    def _show_current(self, current, _previous) -> None:  # noqa: ANN001 - QModelIndex
        item = current.data(ItemRole) if current.isValid() else None
        self.detail.show_item(item, self.model.path_of(item) if item else None)

    def show_start(self) -> None:
        if not self.runner.is_running():
            self.stack.setCurrentIndex(0)

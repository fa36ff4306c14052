"""Benchmark page: pipeline, backends × batch sizes and OpenCL device runs, with plots, a
verdict, saved results and the history of earlier runs on this PC. The engine measures; this
page starts the runs on a worker thread (gui.jobs) and draws what came back.
"""

from __future__ import annotations

import csv
import json
import time
from dataclasses import asdict
from pathlib import Path

from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from engine.bench import history, verdict
from engine.i18n import _, fmt_datetime, fmt_duration, fmt_number
from gui.task_page import TaskPage
from gui.widgets.plots import BarPlot, LinePlot, save_png


def _pipeline(source: Path, control) -> dict:  # noqa: ANN001 - TaskControl
    from engine.bench.pipeline import run_pipeline_bench

    return asdict(run_pipeline_bench(source, repeat=1))


def _backends(source: Path, control) -> list[dict]:  # noqa: ANN001
    from engine.bench.sweep import run_sweep

    return run_sweep(source, (1, 4, 16), 16, 2.0, control.progress, control.cancel)


def _device(_source: Path, control) -> list[dict]:  # noqa: ANN001
    from engine.bench.opencl_micro import run_device_bench

    return [asdict(record) for record in run_device_bench()]


RUNS = {"pipeline": _pipeline, "backends": _backends, "device": _device}
STAGES = ("peer_style", "decode_only", "inference_only", "bound", "pipeline")


def stage_names() -> dict[str, str]:
    """The pipeline benchmark's stages in words (the engine's field names are identifiers)."""
    return {
        "peer_style": _("one photo at a time"),
        "decode_only": _("reading photos only"),
        "inference_only": _("model only"),
        "bound": _("reading + model"),
        "pipeline": _("whole job"),
    }


def kind_names() -> dict[str, str]:
    return {
        "pipeline": _("Whole job"),
        "backends": _("Model alone, per backend"),
        "device": _("OpenCL devices"),
        "optimize": _("Optimize"),
        "detect": _("Detector"),
    }


def what_it_measures(kind: str) -> str:
    """Why the figures of the three runs differ: each measures a different part of the work."""
    return {
        "pipeline": _(
            "Measures the whole job on your photos: reading, decoding, classifying and saving."
        ),
        "backends": _(
            "Measures the model alone on prepared batches, without reading or decoding photos: "
            "always faster than a whole folder runs."
        ),
        "device": _("Measures the graphics card's raw arithmetic against its paper peak."),
    }.get(kind, "")


VERDICTS = {
    "pipeline": verdict.pipeline_verdict,
    "backends": verdict.backend_verdict,
    "device": verdict.device_verdict,
}


class BenchmarkPage(TaskPage):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.last: tuple[str, object] | None = None
        self.shown: dict[str, object] = {}  # the latest run of each kind shown: saved together
        self._started = 0.0
        self.folder, self.browse = QLineEdit(), QPushButton()
        self.buttons = {kind: QPushButton() for kind in RUNS}
        self.cancel_button, self.save_button = QPushButton(), QPushButton()
        self.progress, self.verdict = QProgressBar(), QLabel()
        self.verdict.setWordWrap(True)
        self.speed_plot, self.peak_plot, self.latency_plot = BarPlot(), BarPlot(), LinePlot()
        self.history = QListWidget()
        self._layout()
        self.browse.clicked.connect(self._choose_folder)
        for kind, button in self.buttons.items():
            button.clicked.connect(lambda _checked=False, k=kind: self.start(k))
        self.cancel_button.clicked.connect(self.cancel)
        self.save_button.clicked.connect(self._ask_save)
        self.history.currentRowChanged.connect(self._show_history)
        self.history.itemClicked.connect(
            lambda _item: self._show_history(self.history.currentRow())
        )
        self.retranslate()
        self.refresh_history()
        self._update_buttons()

    def _layout(self) -> None:
        top = QHBoxLayout()
        top.addWidget(self.folder, 1)
        top.addWidget(self.browse)
        actions = QHBoxLayout()
        for button in (*self.buttons.values(), self.cancel_button, self.save_button):
            actions.addWidget(button)
        plots = QHBoxLayout()
        for plot in (self.speed_plot, self.latency_plot, self.peak_plot):
            plots.addWidget(plot)
        self.plots = QWidget()
        self.plots.setLayout(plots)
        layout = QVBoxLayout(self)
        for item in (top, actions):
            layout.addLayout(item)
        for widget in (self.progress, self.verdict, self.plots, self.history):
            layout.addWidget(widget)

    def retranslate(self) -> None:
        self.browse.setText(_("Choose…"))
        self.folder.setPlaceholderText(_("A folder of photos to measure with"))
        self.buttons["pipeline"].setText(_("Whole job"))
        self.buttons["pipeline"].setToolTip(what_it_measures("pipeline"))
        self.buttons["backends"].setText(_("Model alone, per backend"))
        self.buttons["backends"].setToolTip(what_it_measures("backends"))
        self.buttons["device"].setToolTip(what_it_measures("device"))
        self.buttons["device"].setText(_("OpenCL devices"))
        self.cancel_button.setText(_("Cancel"))
        self.save_button.setText(_("Save results…"))
        self.speed_plot.set_labels(_("Images/s per backend and variant"), "", _("images/s"))
        self.latency_plot.set_labels(_("Latency vs batch size"), _("batch size"), _("ms per batch"))
        self.peak_plot.set_labels(_("Achieved vs paper peak"), "", _("GFLOP/s"))
        if self.last is not None:
            self.show_run(*self.last)
        self.refresh_history()

    def _choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, _("Choose a folder of photos"))
        if folder:
            self.folder.setText(folder)

    def start(self, kind: str) -> None:
        if self.task is not None or (kind != "device" and not self.folder.text()):
            return
        source, work = Path(self.folder.text()), RUNS[kind]
        self.progress.setRange(0, 0)  # busy until the engine reports steps
        self.progress.setFormat("%p %")
        self._started = time.monotonic()
        self.run_work(
            lambda control: work(source, control),
            lambda data, k=kind: self._on_finished(k, data),
            self._on_progress,
            self.verdict.setText,
        )
        self._update_buttons()

    def _on_progress(self, done: int, total: int) -> None:
        """The share done and, from the pace so far, the time left (a sweep takes minutes)."""
        self.progress.setRange(0, total)
        self.progress.setValue(done)
        if 0 < done < total:
            elapsed = time.monotonic() - self._started
            left = fmt_duration(elapsed / done * (total - done))
            self.progress.setFormat(
                _("{done} of {total} · {left} left").format(
                    done=fmt_number(done), total=fmt_number(total), left=left
                )
            )

    def _on_finished(self, kind: str, data: object) -> None:
        self.task = None
        self.progress.setRange(0, 1)
        self.progress.setValue(1)
        if data:
            history.save_run(kind, data)
            self.show_run(kind, data)
            self.refresh_history()
        self._update_buttons()

    def show_run(self, kind: str, data) -> None:  # noqa: ANN001 - dict or list of dicts
        self.last = (kind, data)
        self.shown[kind] = data
        self.verdict.setText(f"{VERDICTS[kind](data)}\n{what_it_measures(kind)}")
        if kind == "pipeline":
            names = stage_names()
            self.speed_plot.set_bars([(names[name], float(data[name])) for name in STAGES])
        elif kind == "backends":
            biggest = max(row["batch"] for row in data)
            self.speed_plot.set_bars(
                [
                    (f"{r['backend']} {r['variant'].upper()}", r["images_per_s"])
                    for r in data
                    if r["batch"] == biggest
                ]
            )
            series: dict[str, list[tuple[float, float]]] = {}
            for r in data:
                if r.get("latency_ms"):
                    series.setdefault(f"{r['backend']} {r['variant'].upper()}", []).append(
                        (r["batch"], r["latency_ms"])
                    )
            self.latency_plot.set_series(series)
        else:
            bars = []
            for r in data:
                name = r.get("board_name") or r.get("device") or "?"
                bars += [
                    (name, r.get("sgemm_gflops") or 0.0),
                    (_("{name} paper").format(name=name), r.get("paper_fp32_gflops") or 0.0),
                ]
            self.peak_plot.set_bars(bars)

    def refresh_history(self) -> None:
        self.runs = history.list_runs()
        self.history.clear()
        for run in self.runs:
            kind = kind_names().get(run.kind, run.kind)
            self.history.addItem(f"{fmt_datetime(run.created_at)} — {kind}")

    def _show_history(self, row: int) -> None:
        if not 0 <= row < len(self.runs):
            return
        run = self.runs[row]
        if run.kind in VERDICTS:
            self.show_run(run.kind, run.data)
            self._update_buttons()
        else:  # a run of another page (Optimize): said in words rather than nothing at all
            self.verdict.setText(
                _("{kind} run of {date}: its figures are on its own page.").format(
                    kind=kind_names().get(run.kind, run.kind), date=fmt_datetime(run.created_at)
                )
            )

    def _ask_save(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, _("Choose where to save the results"))
        if folder:
            self.save_results(Path(folder))

    def save_results(self, folder: Path) -> list[Path]:
        """JSON and CSV of every kind of run shown (the latest of each), and a PNG of the plots."""
        paths: list[Path] = []
        for kind, data in self.shown.items():
            rows = data if isinstance(data, list) else [data]
            json_path, csv_path = folder / f"ocelote-{kind}.json", folder / f"ocelote-{kind}.csv"
            json_path.write_text(json.dumps(data, indent=2), encoding="utf-8")
            with csv_path.open("w", newline="", encoding="utf-8") as handle:
                writer = csv.DictWriter(handle, fieldnames=list(rows[0]) if rows else [])
                writer.writeheader()
                writer.writerows(rows)
            paths += [json_path, csv_path]
        if paths:
            paths.append(folder / "ocelote-benchmark.png")
            save_png(self.plots, paths[-1])
        return paths

    def _update_buttons(self) -> None:
        busy = self.task is not None
        for button in self.buttons.values():
            button.setEnabled(not busy)
        self.cancel_button.setEnabled(busy)
        self.save_button.setEnabled(not busy and self.last is not None)

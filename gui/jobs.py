"""The only place that knows threads: engine work runs off the GUI thread, results come back
as Qt signals, so every handler runs on the GUI thread and the event loop never blocks.

Electrum's lesson: one adapter turns engine events into signals. napari's lesson: every thread
started here is registered, so tests can fail when one is left running.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, QRunnable, QSize, Qt, QThread, QThreadPool, Signal, Slot
from PySide6.QtGui import QImage, QImageReader

from engine.i18n import _
from engine.media.video import read_frames
from engine.pipeline.cancel import CancelToken
from engine.pipeline.events import BackendDropped, Event, FileDone, Finished, Progress, Started
from engine.pipeline.job import ClassifyJob, JobError, JobSettings
from engine.pipeline.notices import Notice, describe_event
from engine.store.errors import StoreError

try:  # exports written by another part of the engine; older engines lack the module
    from engine.results.atomic import ExportError
except ImportError:  # pragma: no cover

    class ExportError(Exception):  # type: ignore[no-redef]
        """Stand-in so the except clause below stays valid."""


log = logging.getLogger(__name__)
# Errors whose message is written for the user; anything else is a bug for the log.
USER_ERRORS = (JobError, StoreError, ExportError, OSError)
_threads: set[QThread] = set()


def running_threads() -> list[QThread]:
    """QThreads started here that still run (tests assert this is empty after each test)."""
    return [thread for thread in _threads if thread.isRunning()]


def wait_all(timeout_ms: int = 10000) -> bool:
    """At exit: let short work (a device probe, an export) end instead of aborting Qt."""
    return all(thread.wait(timeout_ms) for thread in running_threads())


def unexpected_error_text() -> str:
    return _(
        "Something unexpected went wrong. Try again; if it repeats, send the log file "
        "(Help → Open log file) to your technical contact."
    )


class _Worker(QObject):
    """Runs one callable on its thread; `done` carries the result, `failed` a user message."""

    done = Signal(object)
    failed = Signal(str)
    progress = Signal(int, int)

    def __init__(self, work: Callable[..., object], control: TaskControl | None) -> None:
        super().__init__()
        self._work = work
        self._control = control

    @Slot()
    def run(self) -> None:
        try:
            result = self._work(self._control) if self._control else self._work()
        except USER_ERRORS as error:
            log.warning("job failed: %s", error)
            self.failed.emit(str(error))
            result = None
        except Exception:  # noqa: BLE001 - shown to the user, traceback to the log
            log.exception("background work failed")
            self.failed.emit(unexpected_error_text())
            result = None
        self.done.emit(result)
        self.thread().quit()  # from here, so a GUI thread blocked in wait() cannot deadlock


class TaskControl:
    """Handed to work that reports progress and can be cancelled (sorting copies)."""

    def __init__(self, worker_signal: Signal) -> None:
        self.cancel = CancelToken()
        self._signal = worker_signal

    def progress(self, done: int, total: int) -> None:
        self._signal.emit(done, total)


class Task(QObject):
    """One piece of work on its own QThread; `finished` fires after the thread has stopped."""

    finished = Signal(object)  # the work's result, None after a failure
    failed = Signal(str)
    progress = Signal(int, int)

    def __init__(
        self, work: Callable[..., object], parent: QObject | None = None, control: bool = False
    ) -> None:
        super().__init__(parent)
        self._result: object = None
        self._thread = QThread()
        self._worker = _Worker(work, None)
        self.control = TaskControl(self._worker.progress) if control else None
        self._worker._control = self.control
        self._worker.moveToThread(self._thread)
        self._thread.started.connect(self._worker.run)
        self._worker.done.connect(self._on_done)
        self._worker.failed.connect(self.failed)
        self._worker.progress.connect(self.progress)
        self._thread.finished.connect(self._on_thread_finished)

    def start(self) -> None:
        _threads.add(self._thread)
        self._thread.start()

    def is_running(self) -> bool:
        return self._thread.isRunning()

    def cancel(self) -> None:
        if self.control is not None:
            self.control.cancel.cancel()

    @Slot(object)
    def _on_done(self, result: object) -> None:
        self._result = result

    @Slot()
    def _on_thread_finished(self) -> None:
        self._thread.wait()
        _threads.discard(self._thread)
        self.finished.emit(self._result)


def run_task(
    work: Callable[..., object], parent: QObject | None = None, control: bool = False
) -> Task:
    """Start `work` off the GUI thread (called with a TaskControl when `control`)."""
    task = Task(work, parent, control)
    task.start()
    return task


class JobRunner(QObject):
    """Runs a ClassifyJob and re-emits its events as signals on the GUI thread."""

    started = Signal(object)  # engine Started
    progress = Signal(object)  # engine Progress
    file_done = Signal(object)  # engine Classified | Failed
    finished = Signal(object)  # engine Summary, None when the job failed; thread has stopped
    failed = Signal(str)  # what happened and what to do, in the user's language
    backend_dropped = Signal(object)  # engine BackendDropped: the job goes on with the next one
    notice = Signal(str)  # files found so far, files set aside, a damaged database: in words
    _event = Signal(object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._job: ClassifyJob | None = None
        self._task: Task | None = None
        self._event.connect(self._dispatch)

    def is_running(self) -> bool:
        return self._task is not None

    def start(self, settings: JobSettings) -> None:
        if self._task is not None:
            raise RuntimeError("a job is already running")
        log.info("classify %s into %s", settings.source, settings.out_dir)
        self._job = ClassifyJob(settings, on_event=self._event.emit)
        self._task = Task(self._job.run, self)
        self._task.failed.connect(self.failed)
        self._task.finished.connect(self._on_finished)
        self._task.start()

    def cancel(self) -> None:
        """Ask the job to stop after the batch in flight; what was done stays for a resume."""
        if self._job is not None:
            self._job.cancel()

    @Slot(object)
    def _dispatch(self, event: Event) -> None:
        if isinstance(event, FileDone):
            self.file_done.emit(event.outcome)
        elif isinstance(event, Progress):
            self.progress.emit(event)
        elif isinstance(event, Started):
            self.started.emit(event)
        elif isinstance(event, BackendDropped):
            self.backend_dropped.emit(event)
        elif isinstance(event, Notice):
            self.notice.emit(describe_event(event))
        elif isinstance(event, Finished):
            log.info("job finished: %s", event.summary)

    @Slot(object)
    def _on_finished(self, summary: object) -> None:
        self._task = None
        self._job = None
        self.finished.emit(summary)


class _ThumbnailSignals(QObject):
    loaded = Signal(str, QImage)


class _ThumbnailRun(QRunnable):
    def __init__(
        self,
        key: str,
        path: Path,
        size: int,
        signals: _ThumbnailSignals,
        frames: dict[int, str] | None = None,
    ) -> None:
        super().__init__()
        self.key, self.path, self.size, self.signals = key, path, size, signals
        self.frames = frames  # a video: frame number -> key, all decoded in one pass

    def run(self) -> None:
        if self.frames is None:
            self.signals.loaded.emit(self.key, read_scaled(self.path, self.size))
            return
        missing = dict(self.frames)
        try:
            for number, rgb in read_frames(self.path, list(missing), self.size):
                self.signals.loaded.emit(missing.pop(number), rgb_image(rgb))
        except Exception:  # noqa: BLE001 - a thumbnail that cannot be made stays grey
            log.exception("video thumbnail failed: %s", self.path)
        for key in missing.values():
            self.signals.loaded.emit(key, QImage())


def rgb_image(rgb) -> QImage:
    """A QImage owning a copy of an RGB uint8 array (the array may be freed after)."""
    height, width = rgb.shape[:2]
    return QImage(rgb.data, width, height, 3 * width, QImage.Format.Format_RGB888).copy()


def read_scaled(path: Path, size: int) -> QImage:
    """Reduced decode (libjpeg scales while decoding): a 3000 px photo costs a 200 px one."""
    reader = QImageReader(str(path))
    reader.setAutoTransform(True)
    full = reader.size()
    if full.isValid() and max(full.width(), full.height()) > size:
        reader.setScaledSize(full.scaled(QSize(size, size), Qt.AspectRatioMode.KeepAspectRatio))
    image = reader.read()
    return image if not image.isNull() else QImage()


class ThumbnailLoader(QObject):
    """Decodes small images on a thread pool; `loaded(key, image)` arrives on the GUI thread."""

    loaded = Signal(str, QImage)

    def __init__(self, parent: QObject | None = None, threads: int = 2) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(threads)
        self._signals = _ThumbnailSignals(self)
        self._signals.loaded.connect(self._on_loaded)
        self._pending: set[str] = set()

    def request(self, key: str, path: Path, size: int, frame: int | None = None) -> None:
        """A photo's thumbnail, or with `frame` that frame of a video (decoded with OpenCV)."""
        if frame is not None:
            self.request_frames(path, {frame: key}, size)
            return
        if key in self._pending:
            return
        self._pending.add(key)
        self._pool.start(_ThumbnailRun(key, path, size, self._signals))

    def request_frames(self, path: Path, frames: dict[int, str], size: int) -> None:
        """Several frames of one video (frame number -> key), decoded in a single pass."""
        wanted = {number: key for number, key in frames.items() if key not in self._pending}
        if not wanted:
            return
        self._pending.update(wanted.values())
        self._pool.start(_ThumbnailRun("", path, size, self._signals, wanted))

    def forget_pending(self) -> None:
        """Drop queued requests (a new folder, a new filter): only visible items matter."""
        self._pool.clear()
        self._pending.clear()

    def shutdown(self) -> None:
        self.forget_pending()
        self._pool.waitForDone(5000)

    @Slot(str, QImage)
    def _on_loaded(self, key: str, image: QImage) -> None:
        self._pending.discard(key)
        self.loaded.emit(key, image)

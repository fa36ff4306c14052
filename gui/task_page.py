"""What the advanced pages (Train, Search, Optimize, Benchmark) share: one engine task at a time
on a worker thread (gui.jobs), a Cancel that asks it to stop, and cancel-on-close.

Why here: each page wired the task, its signals and Cancel by hand, the same way.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QWidget

from engine.search.features import Cancelled
from gui.jobs import Task, run_task


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


class TaskPage(QWidget):
    """A page that runs at most one task (`self.task`, None when idle) and can cancel it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.task: Task | None = None

    def run_work(
        self,
        work: Callable[..., object],
        done: Callable[[object], None],
        progress: Callable[[int, int], None],
        failed: Callable[[str], None],
    ) -> None:
        """`work(control)` on a worker thread; the callbacks run on the GUI thread."""
        self.task = run_task(work, self, control=True)
        self.task.progress.connect(progress)
        self.task.failed.connect(failed)
        self.task.finished.connect(done)

    def cancel(self) -> None:
        if self.task is not None:
            self.task.cancel()

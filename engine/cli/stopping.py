"""Ctrl+C and SIGTERM during `classify`: finish the batch in flight, write the exports, exit.

The first request stops the job after its batch (what was done is committed, the run is marked
cancelled, CSV and JSON are written); a second one stops at once (still without a traceback:
engine.launch reports it). The exit code says which signal: 130 for Ctrl+C, 143 for SIGTERM.
"""

import signal
from collections.abc import Callable
from types import FrameType, TracebackType

from engine.launch import EXIT_INTERRUPTED, EXIT_TERMINATED, Terminated


class StopRequests:
    """While entered, SIGINT and SIGTERM call `on_stop` (the first time) instead of raising."""

    def __init__(self, on_stop: Callable[[], None]) -> None:
        self._on_stop = on_stop
        self._previous: dict[int, object] = {}
        self.received: int | None = None

    def __enter__(self) -> "StopRequests":
        for signum in (signal.SIGINT, signal.SIGTERM):
            self._previous[signum] = signal.signal(signum, self._handle)
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        for signum, handler in self._previous.items():
            signal.signal(signum, handler)  # type: ignore[arg-type]

    def _handle(self, signum: int, _frame: FrameType | None) -> None:
        if self.received is not None:
            raise Terminated if signum == signal.SIGTERM else KeyboardInterrupt
        self.received = signum
        self._on_stop()

    @property
    def exit_code(self) -> int | None:
        """130 or 143 once a stop was asked for; None otherwise."""
        if self.received is None:
            return None
        return EXIT_TERMINATED if self.received == signal.SIGTERM else EXIT_INTERRUPTED

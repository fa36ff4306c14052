"""A one-line progress display for terminals, with counts and times in the user's locale.

Written here rather than with tqdm because every word on it must go through gettext and
every number through babel.
"""

import sys
from typing import TextIO

from engine.i18n import _, fmt_duration, fmt_number
from engine.pipeline.events import Progress

WIDTH = 28


class ProgressLine:
    def __init__(self, stream: TextIO = sys.stderr) -> None:
        self._stream = stream
        self._interactive = stream.isatty()
        self._last_percent = -1

    def update(self, event: Progress) -> None:
        fraction = event.done / event.total if event.total else 1.0
        percent = int(fraction * 100)
        if not self._interactive and percent // 10 == self._last_percent // 10:
            return
        self._last_percent = percent
        filled = int(fraction * WIDTH)
        bar = "#" * filled + "-" * (WIDTH - filled)
        left = fmt_duration(event.eta_seconds) if event.eta_seconds is not None else "?"
        text = _("{done} of {total} files, {rate} images/s, {left} left").format(
            done=fmt_number(event.done),
            total=fmt_number(event.total),
            rate=fmt_number(event.rate, 1),
            left=left,
        )
        end = "\r" if self._interactive else "\n"
        self._stream.write(f"[{bar}] {percent:3d}% {text}{end}")
        self._stream.flush()

    def close(self) -> None:
        if self._interactive:
            self._stream.write("\n")
            self._stream.flush()

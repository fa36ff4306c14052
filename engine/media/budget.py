"""How much picture memory decoding may hold at once, whatever the photos and the thread count.

Each decode asks for the bytes its pixels will take (after JPEG's reduced decode) before it
loads them and gives them back when its small tensor is made. Trap photos (12 MP, decoded at
1/4 or 1/8) take a few MB each and never wait; twelve 89-MP PNGs go one or two at a time
instead of all at once (2.29 GB seen). A picture larger than the whole budget runs alone.
"""

import threading
from collections.abc import Iterator
from contextlib import contextmanager

DECODE_BUDGET_BYTES = 512 * 1024 * 1024


class DecodeBudget:
    """A counting gate in bytes: `holding(n)` waits until `n` more fit (or nothing is held)."""

    def __init__(self, capacity: int = DECODE_BUDGET_BYTES) -> None:
        self.capacity = capacity
        self._used = 0
        self.peak = 0  # the most held at once, for benchmarks and tests
        self._changed = threading.Condition()

    @contextmanager
    def holding(self, size: int) -> Iterator[None]:
        with self._changed:
            self._changed.wait_for(lambda: self._used == 0 or self._used + size <= self.capacity)
            self._used += size
            self.peak = max(self.peak, self._used)
        try:
            yield
        finally:
            with self._changed:
                self._used -= size
                self._changed.notify_all()


SHARED = DecodeBudget()
"""The one budget of this process: every photo decode for the model goes through it."""

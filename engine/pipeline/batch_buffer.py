"""One reused array that batches are stacked into, instead of a fresh one per batch.

Why: a batch of 64 photos is 38 MB; a fresh array of that size is new memory from the OS each
time, and touching it page-faults. np.stack of 64 tensors took 60 ms into a fresh array and 7 ms
into a reused one on the 2-core machine; on the H100 machine the fresh stack was most of the
time ncnn-Vulkan needed for the batch. Large batches are copied by a few threads (NumPy lets go
of the GIL while it copies): 4.2 -> 3.2 ms for 64 photos on 2 cores. Backends run synchronously,
so a batch is done with when `run` returns and the next can overwrite it.
"""

import os
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor

import numpy as np

COPY_THREADS = min(4, os.cpu_count() or 1)
TENSORS_PER_COPY = 16  # fewer per thread is not worth a thread's start-up


class BatchBuffer:
    def __init__(self) -> None:
        self._buffer: np.ndarray | None = None
        self._copiers: ThreadPoolExecutor | None = None

    def stack(self, tensors: Sequence[np.ndarray]) -> np.ndarray:
        """The tensors as one (n, ...) array: a view of the buffer, valid until the next call."""
        first, count = tensors[0], len(tensors)
        buffer = self._buffer
        if (
            buffer is None
            or len(buffer) < count
            or buffer.shape[1:] != first.shape
            or buffer.dtype != first.dtype
        ):
            buffer = self._buffer = np.empty((count, *first.shape), first.dtype)
        out = buffer[:count]
        threads = min(COPY_THREADS, count // TENSORS_PER_COPY)
        if threads <= 1:
            return np.stack(tensors, out=out)
        if self._copiers is None:
            self._copiers = ThreadPoolExecutor(COPY_THREADS, thread_name_prefix="stack")
        step = -(-count // threads)
        starts = range(0, count, step)
        copies = self._copiers.map(
            lambda start: np.stack(tensors[start : start + step], out=out[start : start + step]),
            starts,
        )
        list(copies)
        return out

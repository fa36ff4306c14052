"""The speed of FP32 and INT8 on this PC, measured the same way in the same run.

Both run the job's `DetectorRuntime.detect` (float conversion, session, decode, NMS) on the
same held-out photos, same backend, same batch. Rounds alternate between the two, so a
neighbour's load on a shared PC slows both alike; the median round counts.
"""

from __future__ import annotations

import statistics
import time

from engine.detection.runtime import DetectorRuntime
from engine.optimize.detector.inputs import Decoded

ROUNDS = 6  # alternating rounds per model, at least


def _round(runtime: DetectorRuntime, photos: Decoded) -> float:
    """Photos per second of one pass over the photos."""
    start = time.perf_counter()
    runtime.detect(list(photos.pixels), list(photos.placements))
    return len(photos) / max(time.perf_counter() - start, 1e-9)


def compare_speed(
    fp32: DetectorRuntime, int8: DetectorRuntime, photos: Decoded, seconds: float
) -> tuple[float, float]:
    """(FP32, INT8) photos per second: the median of alternating rounds, after a warm-up each,
    for about `seconds` each (ROUNDS rounds at least)."""
    _round(fp32, photos), _round(int8, photos)
    rates: tuple[list[float], list[float]] = ([], [])
    end = time.perf_counter() + 2 * seconds
    while len(rates[0]) < ROUNDS or time.perf_counter() < end:
        rates[0].append(_round(fp32, photos))
        rates[1].append(_round(int8, photos))
    return statistics.median(rates[0]), statistics.median(rates[1])

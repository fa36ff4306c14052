"""The speed of FP32 and INT8 on this PC, measured the same way in the same run.

Both run the job's `DetectorRuntime.detect` (float conversion, session, decode, NMS) on the
same held-out photos, same backend, same batch. Rounds alternate between the two, so a
neighbour's load on a shared PC slows both alike; the median round counts. A round is a few
photos, so a 1280 px detector on a slow CPU (a few seconds a photo) still measures in a minute.
"""

from __future__ import annotations

import statistics
import time

from engine.detection.runtime import DetectorRuntime
from engine.optimize.detector.inputs import Decoded

ROUNDS = 3  # alternating rounds per model, at least
ROUND_PHOTOS = 8


def _round(runtime: DetectorRuntime, photos: Decoded, start: int) -> float:
    """Photos per second of one pass over ROUND_PHOTOS photos from `start` (wrapping)."""
    picked = [(start + i) % len(photos) for i in range(min(ROUND_PHOTOS, len(photos)))]
    began = time.perf_counter()
    runtime.detect([photos.pixels[i] for i in picked], [photos.placements[i] for i in picked])
    return len(picked) / max(time.perf_counter() - began, 1e-9)


def compare_speed(
    fp32: DetectorRuntime, int8: DetectorRuntime, photos: Decoded, seconds: float
) -> tuple[float, float]:
    """(FP32, INT8) photos per second: the median of alternating rounds over the same photos,
    after a warm-up each, for about `seconds` each (ROUNDS rounds at least)."""
    _round(fp32, photos, 0), _round(int8, photos, 0)
    rates: tuple[list[float], list[float]] = ([], [])
    end = time.perf_counter() + 2 * seconds
    while len(rates[0]) < ROUNDS or time.perf_counter() < end:
        start = len(rates[0]) * ROUND_PHOTOS
        rates[0].append(_round(fp32, photos, start))
        rates[1].append(_round(int8, photos, start))
    return statistics.median(rates[0]), statistics.median(rates[1])

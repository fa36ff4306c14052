"""Small, upright frames of photos for the background model, decoded fast and reduced.

OpenCV's reduced JPEG decode (DCT scaling) reads 1/2, 1/4 or 1/8 of the pixels, and applies
the EXIF orientation, so the regions found here are in the same frame as every other box.
"""

from pathlib import Path

import cv2
import numpy as np

_REDUCED = {1: cv2.IMREAD_COLOR, 2: cv2.IMREAD_REDUCED_COLOR_2, 4: cv2.IMREAD_REDUCED_COLOR_4,
            8: cv2.IMREAD_REDUCED_COLOR_8}  # fmt: skip


def reduction(long_side: int, wanted: int) -> int:
    """The largest DCT reduction that keeps the long side at or above `wanted` pixels."""
    for factor in (8, 4, 2):
        if long_side / factor >= wanted:
            return factor
    return 1


def load_bgr(path: Path, long_side: int, wanted: int) -> np.ndarray | None:
    """The photo reduced so its long side is about `wanted` (never enlarged); None if unreadable.

    Read through `np.fromfile` so paths that are not ASCII open on Windows too.
    """
    try:
        data = np.fromfile(path, dtype=np.uint8)
    except OSError:
        return None
    image = cv2.imdecode(data, _REDUCED[reduction(long_side, wanted)])
    if image is None:
        return None
    scale = wanted / max(image.shape[:2])
    if scale < 1:
        size = (max(1, round(image.shape[1] * scale)), max(1, round(image.shape[0] * scale)))
        image = cv2.resize(image, size, interpolation=cv2.INTER_AREA)
    return image


def regime(image: np.ndarray, night_colour: float) -> str:
    """ "night" for an infrared (grey) frame, "day" for colour: kept apart for backgrounds."""
    small = cv2.resize(image, (32, 24), interpolation=cv2.INTER_AREA).astype(np.int16)
    spread = small.max(axis=2) - small.min(axis=2)
    return "night" if float(spread.mean()) < night_colour else "day"


def signature(image: np.ndarray) -> np.ndarray:
    """A 32×24 grey, zero mean and unit norm: two frames of one scene correlate highly."""
    grey = cv2.cvtColor(cv2.resize(image, (32, 24), interpolation=cv2.INTER_AREA),
                        cv2.COLOR_BGR2GRAY).astype(np.float32)  # fmt: skip
    grey -= grey.mean()
    norm = float(np.linalg.norm(grey))
    return (grey / norm if norm > 0 else grey).ravel()

"""Small, upright frames of photos for the background model, decoded fast and reduced.

Decoded by the job's own decoder (engine.media.decode): JPEG draft (1/2, 1/4 or 1/8 of the
pixels), EXIF orientation applied, so the regions found here are in the same frame as every
other box, and within the same memory budget, so a card of 50-MP PNGs stays bounded too.
"""

from pathlib import Path

import cv2
import numpy as np

from engine.errors import MediaError
from engine.media.decode import decode_upright


def load_bgr(path: Path, wanted: int) -> np.ndarray | None:
    """The photo reduced so its long side is about `wanted` (never enlarged); None if unreadable."""
    try:
        rgb = decode_upright(path, wanted).rgb
    except (MediaError, OSError):
        return None
    image = cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR)
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

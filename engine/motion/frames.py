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
from engine.media.thumbnail import small_bgr, thumb_size


def load_bgr(path: Path, wanted: int) -> np.ndarray | None:
    """The photo reduced so its long side is `wanted` (never enlarged), of the same size as the
    frame the job keeps (engine.media.thumbnail); None if unreadable."""
    try:
        upright = decode_upright(path, wanted)
    except (MediaError, OSError):
        return None
    return small_bgr(upright.rgb, thumb_size(upright.width, upright.height, wanted))


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

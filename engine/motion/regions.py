"""Background by median, difference, and the changed regions of one frame as boxes.

The median of several frames of one scene is the scene without whatever passed through it
(a moving animal is in any one place in a minority of frames). A frame's difference to it,
compensated for a global change of light and judged against its own noise level, leaves what
moved; small regions (leaves in the wind, IR flicker) and frames where most pixels changed
(the sun came out, the IR lamp switched) are not taken as animals; nor is a frame whose typical
pixel differs a lot from the background (another scene, the camera moved): there the frame's
own noise level would hide anything, so the frame is left to the whole-frame answer.
"""

from dataclasses import dataclass

import cv2
import numpy as np

from engine.motion.settings import MotionSettings


@dataclass(frozen=True)
class Changes:
    boxes: tuple[tuple[float, float, float, float], ...]  # normalised [x, y, w, h], largest first
    changed: float  # share of the frame that changed
    too_much: bool  # light or scene changed: the frame cannot be judged by motion


def background(frames: list[np.ndarray]) -> np.ndarray:
    """The per-pixel median of an odd number of frames of one shape (of an even number, the
    upper middle value): whole frames bubbled by elementwise min and max until the middle one
    is in place. Exact, and 15-25× faster than numpy's partition along an axis of 3-25 values
    (4.5 → 0.2 ms for three 240-pixel frames, 58 → 3.8 ms for 25)."""
    rows = list(frames)
    for done in range(len(rows) - len(rows) // 2):
        for j in range(len(rows) - 1 - done):
            low, high = rows[j], rows[j + 1]
            rows[j], rows[j + 1] = np.minimum(low, high), np.maximum(low, high)
    return rows[len(rows) // 2]


def channel_medians(image: np.ndarray) -> np.ndarray:
    """`np.median(image, axis=(0, 1))` of an 8-bit image, as float32, from each channel's
    histogram: the same values (of an even count, the mean of the two middle ones) in a tenth
    of the time, which the motion step spends on every photo."""
    pixels = image.reshape(-1, image.shape[-1])
    count = len(pixels)
    medians = []
    for channel in range(pixels.shape[1]):
        cumulative = np.cumsum(np.bincount(pixels[:, channel], minlength=256))
        lower = int(np.searchsorted(cumulative, (count - 1) // 2, side="right"))
        upper = int(np.searchsorted(cumulative, count // 2, side="right"))
        medians.append((lower + upper) / 2)
    return np.array(medians, dtype=np.float32)


def changes(frame: np.ndarray, back: np.ndarray, settings: MotionSettings) -> Changes:
    """What changed in `frame` against the background `back` (same shape, BGR)."""
    height, width = frame.shape[:2]
    blurred_frame = cv2.GaussianBlur(frame, (5, 5), 0)
    blurred_back = cv2.GaussianBlur(back, (5, 5), 0)
    current = blurred_frame.astype(np.float32)
    reference = blurred_back.astype(np.float32)
    gain = (channel_medians(blurred_back) + 1.0) / (channel_medians(blurred_frame) + 1.0)
    difference = np.abs(current * gain - reference).max(axis=2)
    band = int(round(height * settings.stamp_band))
    difference[:band] = 0
    difference[height - band :] = 0
    sigma = 1.4826 * float(np.median(difference[band : height - band]))
    threshold = max(settings.min_difference, settings.noise_factor * sigma)
    mask = (difference > threshold).astype(np.uint8)
    changed = float(mask.mean())
    if changed > settings.max_changed or sigma > settings.max_noise:
        return Changes((), changed, True)
    mask = cv2.morphologyEx(mask, cv2.MORPH_OPEN, np.ones((3, 3), np.uint8))
    mask = cv2.dilate(mask, np.ones((7, 7), np.uint8))
    count, _labels, stats, _centres = cv2.connectedComponentsWithStats(mask, connectivity=8)
    found = []
    for index in range(1, count):
        x, y, w, h, area = (int(value) for value in stats[index])
        if area < settings.min_area * width * height:
            continue
        found.append((area, (x / width, y / height, w / width, h / height)))
    found.sort(key=lambda item: -item[0])
    return Changes(tuple(box for _area, box in found[: settings.max_boxes]), changed, False)

"""MegaDetector's preprocessing: long side to the model size, then pad — never a stretch.

As megadetector/detection/pytorch_detector.py `preprocess_image` does (non-classic mode):
resize so the long side is `size` (INTER_AREA down, INTER_LINEAR up, sides truncated to int),
then pad to `ceil(side / size * size / stride + 0.5) * stride` on each axis, centred, with
grey 114 — a rectangular input, half a stride of margin at least. Models with a static input
(`fixed_shape`) get the same resize and a centred pad to `size x size`. Pixels / `scale`.
Models trained on stretched inputs (`input.resize` "stretch", SPARROW's RT-DETR exports) get
the photo resized to `size x size` without padding; boxes map back the same way.
"""

import math
from dataclasses import dataclass

import cv2
import numpy as np

from engine.detection.spec import DetectorSpec


@dataclass(frozen=True)
class Letterbox:
    """Where the photo sits in the model input, to map boxes back."""

    left: int
    top: int
    width: int  # of the resized photo inside the input
    height: int
    input_width: int
    input_height: int


def target_shape(height: int, width: int, spec: DetectorSpec) -> tuple[int, int]:
    """(input height, input width) for a photo of this size."""
    if spec.fixed_shape or spec.stretch:
        return spec.size, spec.size
    longest = max(height, width)
    return tuple(  # type: ignore[return-value]
        math.ceil(side / longest * spec.size / spec.stride + 0.5) * spec.stride
        for side in (height, width)
    )


def resized_size(height: int, width: int, size: int) -> tuple[int, int]:
    """(height, width) with the long side at `size`, truncated as MegaDetector does."""
    ratio = size / max(height, width)
    if ratio == 1:
        return height, width
    return max(1, int(height * ratio)), max(1, int(width * ratio))


def letterbox(rgb: np.ndarray, spec: DetectorSpec) -> tuple[np.ndarray, Letterbox]:
    """A float32 (3, H, W) input from an upright uint8 RGB (h, w, 3) picture, and its placement."""
    pixels, placement = letterbox_pixels(rgb, spec)
    return to_input(pixels, spec), placement


def to_input(pixels: np.ndarray, spec: DetectorSpec) -> np.ndarray:
    """uint8 letterboxed pixels (..., 3, H, W) -> the model's float32 input, pixels / scale."""
    return pixels.astype(np.float32) / spec.scale


def letterbox_pixels(rgb: np.ndarray, spec: DetectorSpec) -> tuple[np.ndarray, Letterbox]:
    """The uint8 (3, H, W) letterboxed picture: a quarter of the float input's memory, for
    photos waiting in the decode-ahead window."""
    height, width = rgb.shape[:2]
    new_h, new_w = (
        (spec.size, spec.size) if spec.stretch else resized_size(height, width, spec.size)
    )
    if (new_h, new_w) != (height, width):
        shrinking = new_w < width
        rgb = cv2.resize(
            rgb, (new_w, new_h), interpolation=cv2.INTER_AREA if shrinking else cv2.INTER_LINEAR
        )
    in_h, in_w = target_shape(height, width, spec)
    # Ultralytics' LetterBox rounding: the odd pixel of padding goes to the bottom/right.
    top, left = round((in_h - new_h) / 2 - 0.1), round((in_w - new_w) / 2 - 0.1)
    canvas = np.full((in_h, in_w, 3), spec.pad_value, dtype=np.uint8)
    canvas[top : top + new_h, left : left + new_w] = rgb[: in_h - top, : in_w - left]
    return canvas.transpose(2, 0, 1), Letterbox(left, top, new_w, new_h, in_w, in_h)


def to_normalised(xyxy: np.ndarray, placement: Letterbox) -> np.ndarray:
    """Input-pixel (x1, y1, x2, y2) rows -> MegaDetector's [x_min, y_min, width, height] of the
    photo, in [0, 1]; the padding is removed and boxes are clipped to the photo."""
    boxes = np.asarray(xyxy, dtype=np.float64).reshape(-1, 4)
    x = np.clip((boxes[:, [0, 2]] - placement.left) / placement.width, 0.0, 1.0)
    y = np.clip((boxes[:, [1, 3]] - placement.top) / placement.height, 0.0, 1.0)
    return np.stack([x[:, 0], y[:, 0], x[:, 1] - x[:, 0], y[:, 1] - y[:, 0]], axis=1)

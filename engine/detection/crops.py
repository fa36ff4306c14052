"""A detection's crop for the classifier, as its card says.

`crop.mode` "exact" is SpeciesNet's crop (the box itself, no context); "margin" widens each
side by `crop.margin` x the box's size (context helps some classifiers). The crop is resized
as the classifier's `preprocessing` says, or stretched to its input square when
`crop.resize` is "stretch" (SpeciesNet resizes crops to 480 x 480 without keeping the aspect).
"""

from dataclasses import dataclass

import numpy as np
from PIL import Image

from engine.media.preprocess import Preprocessing, to_tensor

_RESAMPLE = {"bicubic": Image.Resampling.BICUBIC, "bilinear": Image.Resampling.BILINEAR}


@dataclass(frozen=True)
class CropSpec:
    mode: str = "exact"  # "exact" | "margin"
    margin: float = 0.0
    resize: str = "preprocessing"  # "preprocessing" | "stretch"

    @classmethod
    def from_raw(cls, raw: dict) -> "CropSpec":
        crop = raw.get("crop", {})
        return cls(
            crop.get("mode", "exact"), float(crop.get("margin", 0.0)),
            crop.get("resize", "preprocessing"),
        )  # fmt: skip


def crop_pixels(
    box: tuple[float, float, float, float], width: int, height: int, spec: CropSpec
) -> tuple[int, int, int, int]:
    """(left, top, right, bottom) pixels of a normalised box on a width x height picture,
    at least one pixel, never outside it."""
    x, y, w, h = box
    if spec.mode == "margin":
        x, y, w, h = (
            x - w * spec.margin,
            y - h * spec.margin,
            w * (1 + 2 * spec.margin),
            h * (1 + 2 * spec.margin),
        )
    left = min(max(0, int(np.floor(x * width))), width - 1)
    top = min(max(0, int(np.floor(y * height))), height - 1)
    right = max(left + 1, min(width, int(np.ceil((x + w) * width))))
    bottom = max(top + 1, min(height, int(np.ceil((y + h) * height))))
    return left, top, right, bottom


def crop_tensor(
    rgb: np.ndarray, box: tuple[float, float, float, float], spec: CropSpec, prep: Preprocessing
) -> np.ndarray:
    """The classifier's float32 (3, crop, crop) input for one box of an upright RGB picture."""
    height, width = rgb.shape[:2]
    left, top, right, bottom = crop_pixels(box, width, height, spec)
    image = Image.fromarray(np.ascontiguousarray(rgb[top:bottom, left:right]))
    if spec.resize == "stretch":
        image = image.resize((prep.crop, prep.crop), _RESAMPLE[prep.resample])
    return to_tensor(image, prep)

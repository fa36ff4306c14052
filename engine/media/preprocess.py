"""Turn a decoded picture into the model's input tensor, exactly as the weights expect."""

from dataclasses import asdict, dataclass

import numpy as np
from PIL import Image

_RESAMPLE = {"bicubic": Image.Resampling.BICUBIC, "bilinear": Image.Resampling.BILINEAR}


@dataclass(frozen=True)
class Preprocessing:
    """Shorter side to `resize_shorter`, centre crop `crop`, then `(x - mean) / std`, RGB, CHW."""

    resize_shorter: int = 256
    crop: int = 224
    mean: float = 127.0
    std: float = 128.0
    resample: str = "bicubic"


def card_entry(prep: Preprocessing) -> dict[str, object]:
    """card.json's `preprocessing` object, the one `Preprocessing(**data)` reads back."""
    return asdict(prep)


def to_tensor(image: Image.Image, prep: Preprocessing) -> np.ndarray:
    """A float32 (3, crop, crop) array from an RGB PIL image of any size."""
    width, height = image.size
    scale = prep.resize_shorter / min(width, height)
    size = (max(prep.crop, round(width * scale)), max(prep.crop, round(height * scale)))
    resized = image.resize(size, _RESAMPLE[prep.resample])
    left = (size[0] - prep.crop) // 2
    top = (size[1] - prep.crop) // 2
    cropped = resized.crop((left, top, left + prep.crop, top + prep.crop))
    array = np.asarray(cropped, dtype=np.float32)
    return ((array - prep.mean) / prep.std).transpose(2, 0, 1).copy()

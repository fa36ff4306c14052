"""The user's photos as the detector sees them in a job: decoded and letterboxed the same way.

`decode_for_detector` is the job's own decode (JPEG draft to the crop side, long side brought
down, MegaDetector's letterbox); a photo that cannot be read is left out, as the job would
report and skip it. Calibration needs one input shape for every photo, so calibration photos
are padded to the model's square (`fixed_shape`): the same pixels and the same grey padding
as the job's rectangular inputs, so the same activation ranges.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from engine.detection.letterbox import Letterbox, to_input
from engine.detection.spec import DetectorSpec
from engine.detection.stage import CROP_SOURCE_SIDE, decode_for_detector
from engine.errors import MediaError

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class Decoded:
    """Photos that decoded: the job's uint8 letterboxed pixels and their placements."""

    paths: tuple[Path, ...]
    pixels: tuple[np.ndarray, ...]
    placements: tuple[Letterbox, ...]

    def __len__(self) -> int:
        return len(self.paths)


def decode_photos(
    paths: Sequence[Path], spec: DetectorSpec, progress: Progress | None = None
) -> Decoded:
    side = max(spec.size, CROP_SOURCE_SIDE)
    used, pixels, placements = [], [], []
    for index, path in enumerate(paths):
        try:
            photo = decode_for_detector(path, spec, side)
        except MediaError:
            continue  # a damaged photo says nothing about the model
        finally:
            if progress:
                progress(index + 1, len(paths))
        used.append(path)
        pixels.append(photo.tensor)
        placements.append(photo.placement)
    return Decoded(tuple(used), tuple(pixels), tuple(placements))


def calibration_tensors(paths: Sequence[Path], spec: DetectorSpec) -> np.ndarray:
    """float32 (n, 3, size, size): the photos letterboxed into the model's square."""
    square = replace(spec, fixed_shape=True)
    decoded = decode_photos(paths, square)
    if not len(decoded):
        return np.zeros((0, 3, spec.size, spec.size), np.float32)
    return to_input(np.stack(decoded.pixels), spec)

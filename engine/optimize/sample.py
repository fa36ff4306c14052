"""The user's photos as model tensors: calibration data and the yardstick for every variant."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from engine.errors import MediaError
from engine.media.decode import decode_for_model
from engine.media.discover import Found, discover
from engine.media.preprocess import Preprocessing
from engine.pipeline.cancel import CancelToken

Progress = Callable[[int, int], None]


class NoPhotos(ValueError):
    """The folder holds no photo the model can read."""


class Cancelled(Exception):
    """The user pressed Cancel; nothing half-made is left behind."""


@dataclass(frozen=True)
class Sample:
    """Decoded photos (float32 N×3×S×S) and the files they came from, in path order."""

    paths: tuple[Path, ...]
    tensors: np.ndarray

    def __len__(self) -> int:
        return len(self.paths)

    def head(self, count: int) -> Sample:
        return Sample(self.paths[:count], self.tensors[:count])


def check(cancel: CancelToken | None) -> None:
    if cancel is not None and cancel.cancelled:
        raise Cancelled


def load_sample(
    folder: Path,
    prep: Preprocessing,
    limit: int = 64,
    progress: Progress | None = None,
    cancel: CancelToken | None = None,
) -> Sample:
    """Up to `limit` readable images, evenly spread over the folder (not just its first card)."""
    paths = [
        item.path for item in discover(folder) if isinstance(item, Found) and item.kind == "image"
    ]
    paths.sort()
    if len(paths) > limit * 2:
        step = len(paths) / (limit * 2)
        paths = [paths[int(i * step)] for i in range(limit * 2)]
    used, tensors = [], []
    for index, path in enumerate(paths):
        check(cancel)
        try:
            tensors.append(decode_for_model(path, prep).tensor)
            used.append(path)
        except MediaError:
            pass  # a damaged photo says nothing about the model
        if progress:
            progress(index + 1, len(paths))
        if len(used) == limit:
            break
    stack = np.stack(tensors) if tensors else np.zeros((0, 3, 1, 1), np.float32)
    return Sample(tuple(used), stack)

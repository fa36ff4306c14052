"""Which of the user's photos calibrate the INT8 detector and which check it.

The split is by a hash of each photo's path inside the folder: the same folder gives the same
split on every run and every PC, independent of the order files are listed in, and no photo is
on both sides, so the agreement is measured on photos the quantizer never saw.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from engine.media.discover import Found, discover


@dataclass(frozen=True)
class Split:
    calibration: tuple[Path, ...]
    held_out: tuple[Path, ...]


def _rank(folder: Path, path: Path) -> str:
    relative = path.relative_to(folder).as_posix()
    return hashlib.sha256(relative.encode("utf-8")).hexdigest()


def split_photos(folder: Path, limit: int) -> Split:
    """At most `limit` photos, spread over the folder by their hash; the first half (by hash)
    calibrates, the rest checks."""
    paths = [
        item.path for item in discover(folder) if isinstance(item, Found) and item.kind == "image"
    ]
    ranked = sorted(paths, key=lambda path: _rank(folder, path))[: max(0, limit)]
    half = (len(ranked) + 1) // 2
    return Split(tuple(ranked[:half]), tuple(ranked[half:]))


def all_photos(folder: Path, limit: int) -> tuple[Path, ...]:
    """Every photo of a folder (at most `limit`, by the same hash order): a calibration set
    given apart from the photos that check."""
    split = split_photos(folder, limit)
    return split.calibration + split.held_out

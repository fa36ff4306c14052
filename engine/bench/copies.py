"""Bigger test cards from a few real photos: hard links cost no disk and keep the bytes."""

import os
import shutil
from pathlib import Path


def link_or_copy(source: Path, target: Path) -> None:
    """A hard link where the filesystem allows it, else a plain copy (another filesystem)."""
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)

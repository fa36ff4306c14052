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


PHOTO_SUFFIXES = {".jpg", ".jpeg", ".png"}


def link_card(source: Path, folder: Path, files: int, folder_name: str, per_folder: int) -> None:
    """`files` links to the photos under source, `per_folder` a folder like a camera's DCIM
    (`folder_name` with the folder's number: "DCIM" → DCIM000, DCIM001...)."""
    photos = sorted(p for p in source.rglob("*") if p.suffix.lower() in PHOTO_SUFFIXES)
    for index in range(files):
        photo = photos[index % len(photos)]
        target = (
            folder / f"{folder_name}{index // per_folder:03d}" / f"IMG_{index:06d}{photo.suffix}"
        )
        target.parent.mkdir(parents=True, exist_ok=True)
        link_or_copy(photo, target)

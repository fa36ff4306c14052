"""Labelled photo folders for the search tests: real trap photos plus augmented copies.

The real photos come with their labels from `camera_traps/labels.csv`; flips and crops made
with PIL bring every class to the count a head needs. Copies are small (shorter side 320 px)
so decoding stays cheap on a 2-core machine.
"""

import csv
from pathlib import Path

from PIL import Image, ImageOps

# label in labels.csv -> folder name (the user's words; "blank" is the empty class)
CLASSES = {
    "african elephant": "elephant",
    "blank": "blank",
    "domestic cattle": "cattle",
    "domestic dog": "dog",
}
SHORTER = 320


def labelled_sources(trap_images: Path) -> dict[str, list[Path]]:
    """Readable originals per folder name, from the ground-truth labels file."""
    found: dict[str, list[Path]] = {name: [] for name in CLASSES.values()}
    with (trap_images / "labels.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            name = CLASSES.get(row["label"])
            if name and "truncated" not in row["file"]:
                found[name].append(trap_images / row["file"])
    return found


def _variants(image: Image.Image, count: int) -> list[Image.Image]:
    """The photo, its mirror, then crops from the corners and the centre (and their mirrors)."""
    width, height = image.size
    boxes = [
        (0, 0, 0.8, 0.8),
        (0.2, 0.2, 1.0, 1.0),
        (0.1, 0.1, 0.9, 0.9),
        (0.2, 0, 1.0, 0.8),
        (0, 0.2, 0.8, 1.0),
    ]
    out = [image, ImageOps.mirror(image)]
    for left, top, right, bottom in boxes:
        crop = image.crop(
            (int(left * width), int(top * height), int(right * width), int(bottom * height))
        )
        out += [crop, ImageOps.mirror(crop)]
    return out[:count]


def _small(path: Path) -> Image.Image:
    with Image.open(path) as image:
        image.draft("RGB", (SHORTER, SHORTER))
        image = ImageOps.exif_transpose(image).convert("RGB")
    scale = SHORTER / min(image.size)
    return image.resize((round(image.width * scale), round(image.height * scale)))


def make_labelled_folder(trap_images: Path, root: Path, per_class: int = 6) -> Path:
    """`root/<class>/*.jpg` with `per_class` photos per class (originals first)."""
    for name, sources in labelled_sources(trap_images).items():
        folder = root / name
        folder.mkdir(parents=True, exist_ok=True)
        per_image = [_variants(_small(path), per_class) for path in sources]
        # round robin: every original contributes before any gets a second copy
        ordered = [v[i] for i in range(per_class) for v in per_image if i < len(v)][:per_class]
        for index, image in enumerate(ordered):
            image.save(folder / f"{name}_{index:02d}.jpg", quality=88)
    return root

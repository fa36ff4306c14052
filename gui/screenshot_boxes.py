"""Screenshots of the results and review pages with boxes, made with the stand-in detector.

MegaDetector's weights cannot be fetched here, so the committed stand-in detector
(tests/data/models/standin-det-yolov5: white patch = animal, red = person, blue = vehicle) runs
with the bundled classifier on the sample photos, dimmed so that only the painted patches are
boxed. The pictures show how boxes, the confidence slider and box review look, not what a
real detector finds. Only from a source checkout (the packs are test data).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import numpy as np
from PIL import Image

from engine.paths import assets_dir, install_root

PACKS = install_root() / "tests" / "data" / "models"
DETECTOR = "standin-det-yolov5"
DIM = 0.85  # no pixel of a dimmed photo is white enough for the stand-in's "animal"
PATCHES = {  # photo -> (colour, normalised left, top, right, bottom)
    "ocelot.jpg": [((255, 255, 255), 0.30, 0.35, 0.62, 0.80)],
    "human.jpg": [((230, 10, 10), 0.40, 0.20, 0.58, 0.90), ((255, 255, 255), 0.05, 0.7, 0.2, 0.9)],
    "vehicle.jpg": [((10, 10, 230), 0.15, 0.35, 0.85, 0.85)],
    "domestic_dog.jpg": [((255, 255, 255), 0.45, 0.40, 0.75, 0.85)],
    "blank.jpg": [],
    "african_elephants.jpg": [((255, 255, 255), 0.10, 0.30, 0.45, 0.85),
                              ((255, 255, 255), 0.55, 0.35, 0.90, 0.85)],
}  # fmt: skip


def available() -> bool:
    return (PACKS / DETECTOR / "card.json").is_file()


def install_standins(data_dir: Path) -> None:
    """A private model store holding the stand-in detector (the user's is never touched)."""
    os.environ["OCELOTE_DATA_DIR"] = str(data_dir)
    from engine.store.importing import import_path

    import_path(PACKS / DETECTOR)


def make_scenes(folder: Path) -> Path:
    """Sample photos, dimmed, with the stand-in's coloured patches painted on."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, patches in PATCHES.items():
        with Image.open(assets_dir() / "samples" / name) as photo:
            pixels = (np.asarray(photo.convert("RGB"), np.float32) * DIM).astype(np.uint8)
        height, width = pixels.shape[:2]
        for colour, left, top, right, bottom in patches:
            box = (
                slice(int(top * height), int(bottom * height)),
                slice(int(left * width), int(right * width)),
            )
            pixels[box] = colour
        Image.fromarray(pixels).save(folder / name, quality=92)
    return folder


def shoot_boxes(
    language: str, out: Path, work: Path, save: Callable, wait_until: Callable, settle: Callable
) -> None:
    """`{language}-results-boxes.png` and `{language}-review-boxes.png`."""
    from gui.app import build_window
    from gui.jobs import running_threads, wait_all
    from gui.settings import Settings

    settings = Settings()
    settings.language = language
    settings.results_root = str(work / f"results-boxes-{language}")
    window = build_window(settings)
    window.resize(1280, 820)
    window.show()
    wait_until(lambda: not running_threads())
    page = window.classify_page
    ready: list[Path] = []
    page.results_ready.connect(ready.append)
    page.start([make_scenes(work / "Camara_03_boxes")])
    wait_until(lambda: bool(ready))
    page.gallery.setCurrentIndex(page.gallery.model().index(4, 0))
    settle(1.5)
    save(window, out / f"{language}-results-boxes.png")
    window.tabs.setCurrentIndex(1)
    review = window.review_page
    review.list.setCurrentIndex(review.proxy.index(3, 0))
    review.list.setFocus()
    settle(1.5)
    save(window, out / f"{language}-review-boxes.png")
    window.close()
    wait_all()
    window.deleteLater()
    settle(0.2)

"""A results folder made by the real job on the real trap photos, for the export tests.

The source has two top-level folders (two deployments), a photo at its top level and an empty
`.jpg` (an error row); a person has reviewed two files.
"""

import shutil
from dataclasses import dataclass
from pathlib import Path

from engine.models.store import find_card
from engine.paths import assets_dir
from engine.pipeline.job import ClassifyJob, JobSettings
from engine.results.db import ResultsDB

SAMPLES = assets_dir() / "samples"
PHOTOS = sorted(p for p in SAMPLES.iterdir() if p.suffix.lower() == ".jpg")
REVIEWED_ANIMAL = "camA/ocelot.jpg"
REVIEWED_EMPTY = "camB/blank.jpg"
PLACES = {"ocelot.jpg": "camA", "blank.jpg": "camB", "human.jpg": ""}


@dataclass(frozen=True)
class ClassifiedCard:
    source: Path
    results: Path

    @property
    def db_path(self) -> Path:
        return self.results / "results.sqlite"


def make_source(root: Path) -> Path:
    source = root / "SD card"
    for index, photo in enumerate(PHOTOS):
        folder = source / PLACES.get(photo.name, ("camA", "camB")[index % 2])
        folder.mkdir(parents=True, exist_ok=True)
        shutil.copy2(photo, folder / photo.name)
    (source / "camB" / "empty.jpg").write_bytes(b"")
    return source


def classified_card(root: Path) -> ClassifiedCard:
    """Run the real job once, then store two human verdicts beside the machine's labels."""
    source = make_source(root)
    results = root / "results"
    ClassifyJob(JobSettings(source=source, out_dir=results, batch_size=4)).run()
    card = find_card()
    jaguar = next(label for label in card.labels if label.en == "jaguar")
    with ResultsDB(results / "results.sqlite") as db:
        db.add_review(REVIEWED_ANIMAL, "correct", "jaguar", "felines", jaguar.index)
        db.add_review(REVIEWED_EMPTY, "correct", "empty", "background", None)
    return ClassifiedCard(source, results)

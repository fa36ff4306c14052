"""A results folder made by the real job, motion step included, on real trap sequences.

The source keeps the layout of `../shared/data` for the files it takes, so `four_way.csv`
applies as it is: the squirrel sequence (14 frames with YOLO boxes), two empty and two animal
Wellington 3-frame sequences, the Snapshot Serengeti bursts (EXIF times), SpeciesNet's single
`human.jpg` (a camera with one photo) and a short video.
"""

import shutil
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from engine.pipeline.job import ClassifyJob, JobSettings

SQUIRRELS = "camera_traps_labelled/microsoft-CameraTraps"
WELLINGTON = "camera_traps_labelled/bhuvi3-wellington-seq"
SERENGETI = "camera_traps/ms_cameratraps_serengeti_sample"
SINGLE = "camera_traps/speciesnet_test_data/human.jpg"
VIDEO = "camera_trap_videos/09100029_Eland.MP4"
ROCK = (0.62, 0.10, 0.07, 0.09)  # where the stone the detector keeps "seeing" sits
WELLINGTON_SEQUENCES = ("1200", "49305", "17068", "76023")


@dataclass(frozen=True)
class TrapRun:
    shared: Path
    source: Path
    results: Path

    @property
    def db_path(self) -> Path:
        return self.results / "results.sqlite"


def _copy(shared: Path, source: Path, rel: str) -> None:
    target = source / rel
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(shared / rel, target)


def make_source(shared: Path, root: Path) -> Path:
    source = root / "card"
    rels = [f"{SQUIRRELS}/{p.name}" for p in (shared / SQUIRRELS).glob("*.jpg")]
    rels += [
        f"{WELLINGTON}/{p.name}"
        for p in (shared / WELLINGTON).glob("*.JPG")
        if p.name.split("_")[0] in WELLINGTON_SEQUENCES
    ]
    rels += [f"{SERENGETI}/{p.name}" for p in (shared / SERENGETI).glob("*.JPG")]
    for rel in [*rels, SINGLE, VIDEO]:
        _copy(shared, source, rel)
    return source


def trap_run(shared: Path, root: Path, **settings) -> TrapRun:
    source = make_source(shared, root)
    results = root / "results"
    ClassifyJob(JobSettings(source=source, out_dir=results, batch_size=8, **settings)).run()
    return TrapRun(shared, source, results)


def add_rock_boxes(conn: sqlite3.Connection) -> list[int]:
    """A detector box on the same rock (a little jitter) in every squirrel frame, stored as a
    detector run stores it; returns those frames' file ids in path order."""
    files = conn.execute(
        "SELECT id FROM files WHERE rel_path LIKE ? ORDER BY rel_path", (f"{SQUIRRELS}/%",)
    ).fetchall()
    for index, (file_id,) in enumerate(files):
        conn.execute(
            "INSERT INTO detections (file_id, frame_number, source, model_id, category,"
            " conf, x, y, w, h) VALUES (?, NULL, 'detector', 'mdv5a', 'animal', 0.6,"
            " ?, ?, ?, ?)",
            (file_id, ROCK[0] + 0.002 * (index % 3), *ROCK[1:]),
        )
    return [file_id for (file_id,) in files]

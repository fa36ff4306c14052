"""The motion step reads the small frames the job kept from its own decode, not the photos.

A real job on the squirrel sequence (14 JPEGs) is stopped right after its last photo is
stored, before the motion step: its results then hold one frame per photo. The step run on
copies of those results decides every photo from them, with the photos in place or gone, and
gives their space back once it has used them.
"""

import shutil
import sqlite3
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest

from engine.backends.base import Backend
from engine.media.thumbnail import decode_thumb
from engine.models.card import ModelCard
from engine.motion.frames import load_bgr
from engine.motion.settings import MotionSettings
from engine.motion.stage import MotionPass, MotionReport
from engine.pipeline.events import FileDone
from engine.pipeline.job import ClassifyJob, JobSettings
from engine.results.db import ResultsDB
from engine.results.events_store import EventsStore
from tests.engine.events.trap_run import SQUIRRELS, WELLINGTON, WELLINGTON_SEQUENCES

REPO = Path(__file__).resolve().parents[3]
SIDE = MotionSettings().work_side


@dataclass
class Kept:
    source: Path
    results: Path
    card: ModelCard
    backend: Backend


def kept_results(photos: list[Path], root: Path) -> Kept:
    """Results of a job stopped after its last photo: frames kept, motion step not run."""
    source = root / "card" / "cam"
    source.mkdir(parents=True)
    for photo in photos:
        shutil.copy2(photo, source / photo.name)
    settings = JobSettings(source=source.parent, out_dir=root / "results", batch_size=8)
    stored = []

    def on_event(event):
        if isinstance(event, FileDone):
            stored.append(event)
            if len(stored) == len(photos):
                job.cancel()  # every photo stored: stop before the motion step

    job = ClassifyJob(settings, on_event=on_event)
    assert job.run().status == "cancelled"
    plan, backend = job.load()
    return Kept(source.parent, settings.out_dir, plan.card, backend)


@pytest.fixture(scope="module")
def kept(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Kept:
    """The squirrel sequence: 14 frames of 1920 × 1080."""
    photos = sorted((shared_data / SQUIRRELS).glob("*.jpg"))
    return kept_results(photos, tmp_path_factory.mktemp("kept"))


def _copy_results(kept: Kept, to: Path) -> Path:
    shutil.copytree(kept.results, to)
    return to / "results.sqlite"


def _thumbs(db_path: Path) -> list[tuple[str, int, bytes]]:
    with sqlite3.connect(db_path) as conn:
        return conn.execute(
            "SELECT f.rel_path, t.side, t.jpeg FROM motion_thumbs t"
            " JOIN files f ON f.id = t.file_id ORDER BY f.rel_path"
        ).fetchall()


def _motion(kept: Kept, db_path: Path, source: Path) -> MotionReport:
    return MotionPass(db_path, source, kept.card, kept.backend, batch=8, threads=2).run()


def _boxes(db_path: Path) -> dict[str, list[tuple[float, ...]]]:
    with sqlite3.connect(db_path) as conn:
        rows = conn.execute(
            "SELECT f.rel_path, d.x, d.y, d.w, d.h FROM detections d JOIN files f"
            " ON f.id = d.file_id WHERE d.source = 'motion' ORDER BY f.rel_path, d.id"
        ).fetchall()
    found: dict[str, list[tuple[float, ...]]] = {}
    for rel, *box in rows:
        found.setdefault(rel, []).append(tuple(box))
    return found


def test_the_job_keeps_one_small_upright_frame_per_photo(kept):
    """Each photo's frame, from the job's own (drafted) decode, is the frame the motion step
    would decode from the photo: same size, and within a grey level or so."""
    thumbs = _thumbs(kept.results / "results.sqlite")
    assert len(thumbs) == 14
    for rel, side, jpeg in thumbs:
        assert side == SIDE
        frame = decode_thumb(jpeg)
        from_photo = load_bgr(kept.source / rel, SIDE)
        assert frame.shape == from_photo.shape and max(frame.shape[:2]) == SIDE
        difference = np.abs(frame.astype(np.int16) - from_photo.astype(np.int16))
        assert float(difference.mean()) < 1.5, rel


def test_the_motion_step_decides_from_the_kept_frames_even_with_the_photos_gone(kept, tmp_path):
    """With the photos in place, the step reads them only for the crops of what changed; with
    the photo folder gone it reaches the same verdicts and the same boxes from the kept frames
    alone (the crops are then cut from those frames)."""
    present = _copy_results(kept, tmp_path / "present")
    with_photos = _motion(kept, present, kept.source)
    gone = _copy_results(kept, tmp_path / "gone")
    without_photos = _motion(kept, gone, tmp_path / "no-such-card")

    boxed = _boxes(present)
    assert with_photos.photos == without_photos.photos == 14
    assert with_photos.kept_frames == without_photos.kept_frames == 14
    assert with_photos.photo_reads == without_photos.photo_reads == len(boxed) >= 10
    with EventsStore(present) as store:
        verdicts = store.motion_verdicts()
    with EventsStore(gone) as store:
        assert store.motion_verdicts() == verdicts
    assert _boxes(gone) == boxed


def test_the_kept_frames_are_dropped_and_their_space_given_back_after_the_step(kept, tmp_path):
    db_path = _copy_results(kept, tmp_path / "used")
    before = db_path.stat().st_size
    _motion(kept, db_path, kept.source)
    assert _thumbs(db_path) == []
    with ResultsDB(db_path) as db:  # checkpoints the journal into the file on close
        assert len(list(db.iter_files())) == 14
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("PRAGMA freelist_count").fetchone() == (0,)
    assert db_path.stat().st_size < before / 4


@pytest.mark.parametrize("made_by", ["before-boxes-aec620f", "main-2a241ca"])
def test_results_of_an_earlier_version_gain_the_table_and_their_photos_are_decoded(
    kept, tmp_path, made_by
):
    """A results folder from before kept frames: it opens (the table is added), and the step
    decodes its photos instead."""
    db_path = tmp_path / "results.sqlite"
    shutil.copy(REPO / "tests" / "data" / "results" / f"{made_by}.sqlite", db_path)
    with ResultsDB(db_path) as db:
        assert db.meta("schema_version") == "4"
    assert _thumbs(db_path) == []
    report = _motion(kept, db_path, REPO / "tests" / "data" / "results" / "photos")
    assert (report.photos, report.kept_frames, report.photo_reads) == (2, 0, 2)


def test_photos_no_larger_than_their_frame_are_not_read_again_for_crops(shared_data, tmp_path):
    """The Wellington sequences are 224 × 224: the kept frame is the whole photo, so the crops
    of what moved are cut from it."""
    photos = [
        photo for photo in sorted((shared_data / WELLINGTON).glob("*.JPG"))
        if photo.name.split("_")[0] in WELLINGTON_SEQUENCES
    ]  # fmt: skip
    small = kept_results(photos, tmp_path)
    report = _motion(small, small.results / "results.sqlite", small.source)
    assert (report.photos, report.kept_frames, report.photo_reads) == (12, 12, 0)
    assert report.boxes >= 1


def test_the_background_is_the_exact_per_pixel_median(shared_data):
    """The min/max selection gives numpy's median of real frames, for odd and even counts."""
    from engine.motion.regions import background

    frames = [load_bgr(photo, SIDE) for photo in sorted((shared_data / SQUIRRELS).glob("*.jpg"))]
    for count in range(1, len(frames) + 1):
        stack = np.stack(frames[:count], axis=-1)
        expected = np.partition(stack, count // 2, axis=-1)[..., count // 2]
        assert np.array_equal(background(frames[:count]), expected), count

"""The motion step on real sequences: boxes where the squirrel is, none on empty frames,
the whole frame (said so) for a camera with one photo, and nothing without the step."""

from pathlib import Path

from engine.events.answer import MOTION_THRESHOLD, answer
from engine.models.store import find_card
from engine.motion.stage import TOO_FEW
from engine.results.db import ResultsDB
from engine.results.events_store import EventsStore
from engine.results.four_way import whole_frame_answer
from tests.engine.events.trap_run import SINGLE, SQUIRRELS, WELLINGTON, trap_run


def _rows(traps):
    with ResultsDB(traps.db_path) as db, EventsStore(traps.db_path) as store:
        return {row.rel_path: row for row in db.iter_files()}, store.motion_verdicts()


def _truth_boxes(shared: Path, rel: str) -> list[tuple[float, float]]:
    """Centres of the YOLO boxes published with the squirrel frames."""
    name = Path(rel).with_suffix(".txt").name
    lines = (shared / SQUIRRELS / "yolo_labels" / name).read_text().split("\n")
    return [(float(x), float(y)) for _c, x, y, *_wh in (line.split() for line in lines if line)]


def _contains(box, point) -> bool:
    x, y, w, h = box
    return x <= point[0] <= x + w and y <= point[1] <= y + h


def test_the_squirrel_is_boxed_in_most_frames(traps):
    rows, verdicts = _rows(traps)
    frames = [rel for rel in rows if rel.startswith(SQUIRRELS)]
    assert len(frames) == 14
    hits = 0
    for rel in frames:
        assert verdicts[rel].status == "boxes"
        assert verdicts[rel].background_frames >= 3
        best = max(rows[rel].detections, key=lambda box: box.conf, default=None)
        centres = _truth_boxes(traps.shared, rel)
        hits += best is not None and any(_contains(best.box, c) for c in centres)
    assert hits >= 11, f"the most confident motion box is on the squirrel in {hits} of 14 frames"


def test_motion_boxes_are_stored_as_motion_never_as_a_detectors(traps):
    rows, _verdicts = _rows(traps)
    boxes = [box for row in rows.values() for box in row.detections]
    assert boxes
    assert {box.source for box in boxes} == {"motion"}
    assert {box.model_id for box in boxes} == {find_card().id}
    assert all(box.category in ("animal", "person", "vehicle") for box in boxes)
    assert all(box.classifications and len(box.classifications) <= 5 for box in boxes)
    assert all(box.box[0] >= 0 and box.box[0] + box.box[2] <= 1.0 + 1e-6 for box in boxes)


def test_nothing_moves_in_an_empty_wellington_sequence(traps):
    """No motion box reaches the threshold; the answer is then the whole frame's (a still
    animal would be in the background too, so "nothing moved" alone is not "empty")."""
    rows, verdicts = _rows(traps)
    frames = [rel for rel in rows if rel.startswith(f"{WELLINGTON}/49305_")]
    assert len(frames) == 3
    for rel in frames:
        assert verdicts[rel].status == "boxes"
        assert all(box.conf < MOTION_THRESHOLD for box in rows[rel].detections)
        whole = whole_frame_answer(rows[rel].predictions)
        assert answer(rows[rel], verdicts[rel], MOTION_THRESHOLD) == whole


def test_a_camera_with_one_photo_falls_back_to_the_whole_frame_and_says_so(traps):
    rows, verdicts = _rows(traps)
    assert verdicts[SINGLE].status == "whole_frame"
    assert verdicts[SINGLE].reason == TOO_FEW
    assert rows[SINGLE].detections == ()
    expected = whole_frame_answer(rows[SINGLE].predictions)
    assert answer(rows[SINGLE], verdicts[SINGLE]) == expected


def test_videos_are_left_to_their_frames(traps):
    rows, verdicts = _rows(traps)
    videos = [rel for rel, row in rows.items() if row.is_video]
    assert videos and not any(rel in verdicts for rel in videos)


def test_without_the_motion_step_there_are_no_motion_boxes(shared_data, tmp_path):
    plain = trap_run(shared_data, tmp_path, motion=False)
    rows, verdicts = _rows(plain)
    assert verdicts == {}
    assert not any(row.detections for row in rows.values())


def test_light_and_scene_changes_are_not_animals(shared_data):
    """A real squirrel frame: darker all over (the light changed) gives no box; against
    another scene most pixels changed, so the frame is left to the whole frame; a small
    object that arrived is one box around it."""
    import cv2

    from engine.motion.frames import load_bgr
    from engine.motion.regions import changes
    from engine.motion.settings import MotionSettings

    settings = MotionSettings()
    path = next((shared_data / SQUIRRELS).glob("*.jpg"))
    frame = load_bgr(path, 320)
    height, width = frame.shape[:2]
    assert changes(frame, frame, settings).boxes == ()
    darker = (frame * 0.6).astype(frame.dtype)
    assert changes(darker, frame, settings).boxes == ()
    other = load_bgr(next((shared_data / WELLINGTON).glob("*.JPG")), 224)
    other = cv2.resize(other, (width, height))
    assert changes(other, frame, settings).too_much
    moved = frame.copy()
    cv2.circle(moved, (200, 120), 14, (20, 200, 240), -1)  # a small bright object arrived
    found = changes(moved, frame, settings)
    assert not found.too_much and len(found.boxes) == 1
    x, y, w, h = found.boxes[0]
    assert x <= 200 / width <= x + w and y <= 120 / height <= y + h


def test_a_resumed_run_redoes_only_new_photos(shared_data, tmp_path):
    """A second run over the same card does not redo the motion step's work; a photo added
    to a camera gets its verdict from a background that includes the earlier ones."""
    import shutil

    from engine.pipeline.job import ClassifyJob, JobSettings

    source = tmp_path / "card"
    frames = sorted((shared_data / SQUIRRELS).glob("*.jpg"))
    (source / "cam").mkdir(parents=True)
    for frame in frames[:-1]:
        shutil.copy2(frame, source / "cam" / frame.name)
    settings = JobSettings(source=source, out_dir=tmp_path / "results", batch_size=8)
    ClassifyJob(settings).run()
    db_path = settings.out_dir / "results.sqlite"
    with EventsStore(db_path) as store:
        first = store.motion_verdicts()
    shutil.copy2(frames[-1], source / "cam" / frames[-1].name)
    ClassifyJob(settings).run()
    with EventsStore(db_path) as store:
        second = store.motion_verdicts()
        events = store.events()
    assert len(second) == len(frames) == len(first) + 1
    assert all(second[rel] == verdict for rel, verdict in first.items())
    assert second[f"cam/{frames[-1].name}"].background_frames >= 3
    assert len(events) == len(frames)  # no capture times: one event per photo


def test_frames_are_upright_as_every_other_box(trap_images):
    """Motion boxes are in the EXIF-oriented frame: a photo stored sideways with orientation
    6 is read upright, at the reduced size asked for."""
    from PIL import Image

    from engine.motion.frames import load_bgr

    path = trap_images / "speciesnet_test_data" / "african_elephants_with_exif_orientation.jpg"
    with Image.open(path) as image:
        stored = image.size
        assert image.getexif().get(0x0112) == 6
    frame = load_bgr(path, 240)
    assert (frame.shape[1], frame.shape[0]) == (240, 180)  # upright 2048 × 1536, reduced
    assert stored == (1536, 2048)


def test_a_cancelled_run_leaves_the_motion_step_to_the_resumed_one(shared_data, tmp_path):
    import shutil

    from engine.pipeline.events import FileDone
    from engine.pipeline.job import ClassifyJob, JobSettings

    source = tmp_path / "card" / "cam"
    source.mkdir(parents=True)
    for frame in sorted((shared_data / SQUIRRELS).glob("*.jpg")):
        shutil.copy2(frame, source / frame.name)
    settings = JobSettings(source=source.parent, out_dir=tmp_path / "results", batch_size=4)
    job = ClassifyJob(settings, on_event=lambda e: isinstance(e, FileDone) and job.cancel())
    assert job.run().status == "cancelled"
    with EventsStore(settings.out_dir / "results.sqlite") as store:
        assert store.motion_verdicts() == {} and store.events() == []
    assert ClassifyJob(settings).run().status == "finished"
    with EventsStore(settings.out_dir / "results.sqlite") as store:
        assert len(store.motion_verdicts()) == 14 and len(store.events()) == 14

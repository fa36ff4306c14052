"""Which step answers a stored photo: a detector's boxes decide alone; the motion step's boxes
add to the whole frame but never erase what it saw; the whole frame answers by group mass."""

from engine.events.answer import answer
from engine.results.events_store import MotionVerdict
from engine.results.rows import DetectionRow, FileRow

STILL_FOX = ((1, "grey fox", "canids", 0.4), (2, "armadillo", "other_mammals", 0.2))
SCENERY = ((3, "valley", "background", 0.6), (4, "alp", "background", 0.1))


def photo(predictions=STILL_FOX, boxes=(), status="ok") -> FileRow:
    return FileRow(
        "cam/a.jpg", "image", "jpeg", 1, status, 10, 10, None, None, None, None, None, None,
        predictions if status == "ok" else (), detections=boxes,
    )  # fmt: skip


def box(category: str, conf: float, source: str = "motion") -> DetectionRow:
    return DetectionRow(1, None, source, "m", category, conf, (0.1, 0.1, 0.2, 0.2))


JUDGED = MotionVerdict(1, "boxes", "", 5, "day")
FELL_BACK = MotionVerdict(1, "whole_frame", "too_few_frames", 1, "day")


def test_nothing_moved_keeps_the_whole_frame_answer():
    """A still animal is part of a burst's background: no box is not "empty"."""
    assert answer(photo(), JUDGED, 0.3) == ("animal", 0.6)
    assert answer(photo(boxes=(box("animal", 0.2),)), JUDGED, 0.3) == ("animal", 0.6)
    assert answer(photo(SCENERY), JUDGED, 0.3) == ("empty", 0.7)


def test_a_motion_box_above_the_threshold_answers():
    assert answer(photo(SCENERY, (box("animal", 0.8), box("vehicle", 0.5))), JUDGED, 0.3) == (
        "animal", 0.8)  # fmt: skip
    assert answer(photo(SCENERY, (box("animal", 0.8),)), FELL_BACK, 0.3)[0] == "empty"


def test_the_whole_frame_names_people_and_vehicles_over_a_crop():
    people = ((5, "jersey", "people", 0.5), (6, "backpack", "people", 0.3))
    assert answer(photo(people, (box("animal", 0.9),)), JUDGED, 0.3) == ("person", 0.9)


def test_a_detector_decides_alone_and_no_box_is_empty():
    assert answer(photo(boxes=(box("animal", 0.1, "detector"),)), None, 0.3) == ("empty", 0.9)
    assert answer(photo(SCENERY, (box("person", 0.7, "detector"),)), None, 0.3) == ("person", 0.7)


def test_dismissed_boxes_and_unreadable_files():
    moved = DetectionRow(7, None, "motion", "m", "vehicle", 0.9, (0.1, 0.1, 0.2, 0.2))
    assert answer(photo(boxes=(moved,)), JUDGED, 0.3, frozenset({7}))[0] == "animal"
    assert answer(photo(status="error"), JUDGED, 0.3) == (None, 0.0)

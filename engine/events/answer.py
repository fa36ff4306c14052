"""A stored file's four-way answer and its confidence, whichever step decided it.

Motion boxes decide a photo the motion step could judge; a photo it had to leave to the whole
frame (too few frames of its camera, light changed) keeps the whole-frame answer, so the two
paths mix file by file, never silently: `MotionVerdict.reason` says why.
"""

from dataclasses import replace

from engine.results.events_store import MotionVerdict
from engine.results.four_way import four_way
from engine.results.rows import FileRow

CONTEXT = ("person", "vehicle")  # the whole frame names these better than a crop of them
MOTION_THRESHOLD = 0.3  # chosen on the development sources, see engine/motion/settings.py


def boxes_decide(row: FileRow, verdict: MotionVerdict | None) -> bool:
    """Whether boxes answer this file: a detector's, or the motion step's when it could judge."""
    if any(box.source == "detector" for box in row.detections):
        return True
    return verdict is not None and verdict.status == "boxes"


def answer(
    row: FileRow,
    verdict: MotionVerdict | None,
    threshold: float = MOTION_THRESHOLD,
    dismissed: frozenset[int] = frozenset(),
) -> tuple[str | None, float]:
    """(four-way answer or None when unreadable, its confidence); dismissed boxes never count."""
    if dismissed:
        row = replace(row, detections=tuple(b for b in row.detections if b.id not in dismissed))
    by_boxes = boxes_decide(row, verdict)
    result = four_way(row, threshold, by_boxes)
    if result is None:
        return None, 0.0
    if by_boxes:
        best = max((box.conf for box in row.detections), default=0.0)
        if result == "empty":
            return result, 1.0 - best
        whole = four_way(row, threshold, boxes_decide=False)
        return (whole if whole in CONTEXT else result), best
    return result, row.predictions[0][3]

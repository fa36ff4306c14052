"""A stored file's four-way answer and its confidence, whichever step decided it.

A detector's boxes decide a photo on their own: no box above the threshold is empty. The motion
step's boxes only add to the whole frame: a box above the threshold answers the photo (the
whole frame still names a person or a vehicle better than a crop of them), but a photo where
nothing moved keeps the whole-frame answer — an animal that stays still through a burst is
part of the background, so "nothing moved" is not "empty". A photo the motion step could not
judge (too few frames of its camera, light changed) keeps the whole-frame answer too:
`MotionVerdict.reason` says why. Both rules were chosen on the tuning sources (see
docs/events-and-motion.md).
"""

from dataclasses import replace

from engine.results.events_store import MotionVerdict
from engine.results.four_way import four_way, whole_frame_answer
from engine.results.rows import FileRow

CONTEXT = ("person", "vehicle")  # the whole frame names these better than a crop of them
MOTION_THRESHOLD = 0.3  # chosen on the tuning sources, see engine/motion/settings.py


def answer(
    row: FileRow,
    verdict: MotionVerdict | None,
    threshold: float = MOTION_THRESHOLD,
    dismissed: frozenset[int] = frozenset(),
) -> tuple[str | None, float]:
    """(four-way answer or None when unreadable, its confidence); dismissed boxes never count."""
    if row.status != "ok":
        return None, 0.0
    if dismissed:
        row = replace(row, detections=tuple(b for b in row.detections if b.id not in dismissed))
    if any(box.source == "detector" for box in row.detections):
        result = four_way(row, threshold, boxes_decide=True)
        best = max((box.conf for box in row.detections), default=0.0)
        return result, (1.0 - best if result == "empty" else best)
    if not row.predictions:
        return None, 0.0
    whole, mass = whole_frame_answer(row.predictions)
    judged = verdict is not None and verdict.status == "boxes"
    above = [box for box in row.detections if box.conf >= threshold] if judged else []
    if above:
        box = max(above, key=lambda b: b.conf)
        return (whole if whole in CONTEXT else box.category), box.conf
    return whole, mass

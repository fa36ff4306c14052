"""The ranger's first question for a stored file — empty, animal, person or vehicle? — read at a
threshold chosen when reading, never when running.

With boxes (a detector or motion ran), the frame is what its most confident box above the
threshold is, and empty when no box reaches it. Without boxes (the bundled whole-frame path),
the best label's group answers: people, vehicles, background, else animal.
"""

from engine.results.rows import FileRow

FOUR_WAY = ("empty", "animal", "person", "vehicle")
_GROUP_ANSWERS = {"people": "person", "vehicles": "vehicle", "background": "empty"}


def group_four_way(group: str) -> str:
    """A bundled-model label group as one of the four answers."""
    return _GROUP_ANSWERS.get(group, "animal")


def four_way(row: FileRow, threshold: float, boxes_decide: bool) -> str | None:
    """The file's answer, or None for a file that could not be read.

    `boxes_decide` is True when the run that stored the file looked for boxes (a detector or
    the motion step), so a frame without any box above `threshold` is empty.
    """
    if row.status != "ok":
        return None
    if boxes_decide:
        above = [box for box in row.detections if box.conf >= threshold]
        return max(above, key=lambda box: box.conf).category if above else "empty"
    if not row.predictions:
        return None
    return group_four_way(row.predictions[0][2])

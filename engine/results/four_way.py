"""The ranger's first question for a stored file — empty, animal, person or vehicle? — read at a
threshold chosen when reading, never when running.

With boxes (a detector ran), the frame is what its most confident box above the threshold is,
and empty when no box reaches it. Without boxes (the bundled whole-frame path), the answer is
the group with the most probability among the stored labels (the top five): ImageNet splits
"animal" over 600 labels and a small animal's frame over many of them, so the best single
label is often scenery while most of the probability is on animals. Probability on
background labels counts `EMPTY_WEIGHT` times: a frame is empty unless the other answers
together outweigh its scenery clearly.

`EMPTY_WEIGHT` was chosen on the tuning sources of `four_way.csv` (animl-r-southwest, the
MegaDetector and SpeciesNet test images) and reported on the others; see
docs/events-and-motion.md and benchmarks/fourway_report.py.
"""

from collections.abc import Sequence

from engine.results.rows import FileRow

FOUR_WAY = ("empty", "animal", "person", "vehicle")
EMPTY_WEIGHT = 4.0
_GROUP_ANSWERS = {"people": "person", "vehicles": "vehicle", "background": "empty"}

Predicted = tuple[int, str, str, float]  # (class index, label, group, probability)


def group_four_way(group: str) -> str:
    """A bundled-model label group as one of the four answers."""
    return _GROUP_ANSWERS.get(group, "animal")


def group_masses(predictions: Sequence[Predicted]) -> dict[str, float]:
    """The stored labels' probability summed per answer (every answer present, 0 if none)."""
    masses = dict.fromkeys(FOUR_WAY, 0.0)
    for _index, _label, group, probability in predictions:
        masses[group_four_way(group)] += probability
    return masses


def whole_frame_answer(
    predictions: Sequence[Predicted], empty_weight: float = EMPTY_WEIGHT
) -> tuple[str, float]:
    """(answer, its probability mass) of a whole frame; ties go to the earlier of FOUR_WAY."""
    masses = group_masses(predictions)
    best = max(FOUR_WAY, key=lambda a: masses[a] * (empty_weight if a == "empty" else 1.0))
    return best, round(masses[best], 6)


def four_way(row: FileRow, threshold: float, boxes_decide: bool) -> str | None:
    """The file's answer, or None for a file that could not be read.

    `boxes_decide` is True when the run that stored the file looked for boxes with a detector,
    so a frame without any box above `threshold` is empty.
    """
    if row.status != "ok":
        return None
    if boxes_decide:
        above = [box for box in row.detections if box.conf >= threshold]
        return max(above, key=lambda box: box.conf).category if above else "empty"
    if not row.predictions:
        return None
    return whole_frame_answer(row.predictions)[0]

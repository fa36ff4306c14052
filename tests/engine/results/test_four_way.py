"""Four-way answers read at a threshold: boxes decide when a detector looked for them; else the
group with the most stored probability, background weighted as documented."""

import pytest

from engine.results.four_way import (
    EMPTY_WEIGHT,
    FOUR_WAY,
    four_way,
    group_masses,
    whole_frame_answer,
)
from engine.results.rows import DetectionRow, FileRow


def row(group: str = "felines", boxes: tuple[DetectionRow, ...] = (), status: str = "ok"):
    predictions = ((1, "label", group, 0.5),) if status == "ok" else ()
    return FileRow(
        "a.jpg", "image", "jpeg", 1, status, 10, 10, None, None, None, None, None, None,
        predictions, detections=boxes,
    )  # fmt: skip


def box(category: str, conf: float) -> DetectionRow:
    return DetectionRow(1, None, "detector", "md", category, conf, (0.1, 0.1, 0.2, 0.2))


def test_most_confident_box_above_the_threshold_answers():
    boxes = (box("animal", 0.4), box("person", 0.9), box("vehicle", 0.1))
    assert four_way(row(boxes=boxes), 0.2, boxes_decide=True) == "person"
    assert four_way(row(boxes=boxes), 0.95, boxes_decide=True) == "empty"


def test_without_boxes_the_group_answers():
    assert four_way(row("people"), 0.2, boxes_decide=False) == "person"
    assert four_way(row("background"), 0.2, boxes_decide=False) == "empty"
    assert four_way(row("birds"), 0.2, boxes_decide=False) == "animal"
    assert four_way(row("birds"), 0.2, boxes_decide=True) == "empty"


def test_unreadable_file_has_no_answer():
    assert four_way(row(status="error"), 0.2, boxes_decide=False) is None


def test_masses_are_summed_per_answer_over_the_stored_labels():
    stored = ((0, "valley", "background", 0.3), (1, "coyote", "canids", 0.25),
              (2, "grey fox", "canids", 0.2), (3, "jeep", "vehicles", 0.1),
              (4, "ski", "people", 0.05))  # fmt: skip
    masses = group_masses(stored)
    assert set(masses) == set(FOUR_WAY)
    assert masses["animal"] == pytest.approx(0.45) and masses["empty"] == pytest.approx(0.3)
    assert masses["vehicle"] == pytest.approx(0.1) and masses["person"] == pytest.approx(0.05)
    assert group_masses(()) == dict.fromkeys(FOUR_WAY, 0.0)


def test_animals_spread_over_many_labels_outweigh_one_scenery_label():
    """The best single label is scenery, yet the animals' summed mass is the answer."""
    animals = tuple((i, f"animal {i}", "canids", 0.12) for i in range(1, 5))  # 0.48 in all
    scenery = (0, "valley", "background", 0.1)
    assert scenery[3] * EMPTY_WEIGHT < 0.48  # outweighed even with the background's weight
    stored = (scenery, *animals)
    assert whole_frame_answer(stored) == ("animal", 0.48)
    assert whole_frame_answer((scenery, animals[0]))[0] == "empty"  # one animal label is not


def test_the_background_weight_decides_close_calls_and_ties_go_to_empty():
    stored = ((0, "valley", "background", 0.2), (1, "coyote", "canids", 0.5))
    assert whole_frame_answer(stored, empty_weight=1.0)[0] == "animal"
    assert whole_frame_answer(stored, empty_weight=3.0)[0] == "empty"
    tie = ((0, "valley", "background", 0.25), (1, "coyote", "canids", 0.25))
    assert whole_frame_answer(tie, empty_weight=1.0)[0] == "empty"

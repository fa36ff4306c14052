"""Four-way answers read at a threshold: boxes decide when the run looked for them."""

from engine.results.four_way import four_way
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

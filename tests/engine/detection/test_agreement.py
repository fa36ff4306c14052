"""Agreement of two detector runs: the rule that decides whether INT8 or ncnn is offered."""

import pytest

from engine.detection.agreement import compare, matched_pairs
from engine.detection.runtime import RawBox


def box(category: str, conf: float, x: float = 0.1, y: float = 0.1, w: float = 0.2, h: float = 0.2):
    return RawBox(category, conf, (x, y, w, h))


def test_identical_runs_agree_fully():
    photos = [[box("animal", 0.9)], [], [box("person", 0.5, 0.5, 0.5)]]
    found = compare(photos, photos, threshold=0.2)
    assert (found.photos, found.calls_equal, found.detections, found.matched) == (3, 3, 2, 2)
    assert found.good_enough()


def test_a_shifted_box_below_half_iou_is_a_disagreement():
    reference = [[box("animal", 0.9, x=0.1)]]
    shifted = [[box("animal", 0.9, x=0.25)]]  # overlap 0.05 x 0.2 of two 0.2 x 0.2 boxes
    found = compare(reference, shifted, threshold=0.2)
    assert found.matched == 0 and found.detections == 2
    assert found.call_rate == 1.0 and not found.good_enough()


def test_another_category_at_the_same_place_does_not_match():
    found = compare([[box("animal", 0.9)]], [[box("person", 0.9)]], threshold=0.2)
    assert found.matched == 0 and found.detections == 2


def test_scores_crossing_the_threshold_change_the_call():
    found = compare([[box("animal", 0.25)]], [[box("animal", 0.15)]], threshold=0.2)
    assert found.calls_equal == 0 and found.detections == 1 and found.matched == 0


def test_boxes_below_the_threshold_on_both_sides_do_not_count():
    found = compare([[box("animal", 0.05)]], [[box("animal", 0.08, x=0.6)]], threshold=0.2)
    assert found.detections == 0 and found.detection_rate == 1.0 and found.calls_equal == 1


def test_matching_is_one_to_one():
    reference = [box("animal", 0.9), box("animal", 0.8, x=0.11)]
    assert matched_pairs(reference, [box("animal", 0.9)]) == 1


def test_the_98_percent_rule_at_its_edge():
    agree = [[box("animal", 0.9)] for _ in range(49)]
    reference = agree + [[box("animal", 0.9)]]
    one_off = agree + [[]]
    found = compare(reference, one_off, threshold=0.2)
    assert found.call_rate == pytest.approx(0.98) and found.detection_rate == pytest.approx(0.98)
    assert found.good_enough()
    assert not compare(reference[:40], one_off[-40:], threshold=0.2).good_enough()


def test_runs_of_different_lengths_are_refused():
    with pytest.raises(ValueError):
        compare([[]], [[], []], threshold=0.2)

"""Smoothing across an event: MegaDetector's sequence-level rules on four-way answers."""

from engine.events.smoothing import SmoothingSettings, smooth


def test_a_confident_majority_overrides_a_straggler():
    result = smooth([("animal", 0.9), ("animal", 0.8), ("person", 0.3), ("animal", 0.7)])
    assert result.frames == ("animal", "animal", "animal", "animal")
    assert (result.label, result.conf) == ("animal", 0.9)


def test_a_confident_other_answer_is_kept():
    result = smooth([("animal", 0.9), ("animal", 0.8), ("person", 0.8), ("animal", 0.7)])
    assert result.frames[2] == "person"
    assert result.label == "animal"


def test_empty_frames_stay_empty_but_the_event_counts_the_animal():
    result = smooth([("empty", 0.9), ("animal", 0.9), ("animal", 0.6), ("empty", 0.8)])
    assert result.frames == ("empty", "animal", "animal", "empty")
    assert result.label == "animal"


def test_without_a_majority_nothing_is_overridden():
    answers = [("animal", 0.9), ("vehicle", 0.9), ("person", 0.3)]
    result = smooth(answers)
    assert result.frames == ("animal", "vehicle", "person")


def test_an_empty_event_and_an_unreadable_frame():
    result = smooth([("empty", 0.9), (None, 0.0)])
    assert result.frames == ("empty", None)
    assert (result.label, result.conf) == ("empty", 0.0)


def test_the_majority_needs_enough_confident_frames():
    strict = SmoothingSettings(min_dominant=3)
    result = smooth([("animal", 0.9), ("animal", 0.8), ("person", 0.3)], strict)
    assert result.frames[2] == "person"

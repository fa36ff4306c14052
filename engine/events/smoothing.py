"""Labels smoothed across an event, after MegaDetector's sequence-level rules.

Per-frame answers are kept; a derived answer is added: when one category is the confident
majority of an event's frames, a less confident frame that says something else (a straggler:
deer, deer, "person" at 0.3, deer) takes the majority's category. Empty frames stay empty —
the animal left the frame — but the event counts the animal.
"""

from collections import Counter
from dataclasses import dataclass

EMPTY = "empty"


@dataclass(frozen=True)
class SmoothingSettings:
    confident: float = 0.5  # a frame's answer at or above this is not overridden
    min_dominant: int = 2  # confident frames the majority needs
    ratio: float = 2.0  # ... and this many times the confident frames of the next category


@dataclass(frozen=True)
class Smoothed:
    frames: tuple[str | None, ...]  # per frame, after smoothing (None: unreadable)
    label: str  # the event's answer
    conf: float


def smooth(
    answers: list[tuple[str | None, float]], settings: SmoothingSettings = SmoothingSettings()
) -> Smoothed:
    """`answers`: per frame (four-way answer or None, confidence of that answer)."""
    confident = Counter(
        answer for answer, conf in answers
        if answer not in (None, EMPTY) and conf >= settings.confident
    )  # fmt: skip
    ranked = confident.most_common(2)
    dominant = None
    if ranked and ranked[0][1] >= settings.min_dominant:
        second = ranked[1][1] if len(ranked) > 1 else 0
        if ranked[0][1] >= settings.ratio * second:
            dominant = ranked[0][0]
    frames = tuple(
        dominant
        if dominant and answer not in (None, EMPTY, dominant) and conf < settings.confident
        else answer
        for answer, conf in answers
    )
    seen = [(answer, conf) for answer, (_a, conf) in zip(frames, answers, strict=True)
            if answer not in (None, EMPTY)]  # fmt: skip
    if not seen:
        return Smoothed(frames, EMPTY, 0.0)
    counts = Counter(answer for answer, _conf in seen)
    best = max(counts, key=lambda a: (counts[a], max(c for x, c in seen if x == a)))
    return Smoothed(frames, best, max(conf for answer, conf in seen if answer == best))

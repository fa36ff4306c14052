"""Four-way metrics with scikit-learn: accuracy, per-class recall and precision, confusion.

The empty filter's trade-off is read across thresholds: at each, how many truly empty photos
would be set aside (answered empty) and how many with an animal, a person or a vehicle would
be lost with them — what a park needs to decide how far to trust the filter.
"""

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from sklearn.metrics import accuracy_score, confusion_matrix, precision_recall_fscore_support

from engine.results.four_way import FOUR_WAY

UNREADABLE = "unreadable"
THRESHOLDS = (0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)


@dataclass(frozen=True)
class ClassScore:
    label: str
    support: int
    recall: float
    precision: float


@dataclass(frozen=True)
class Scores:
    n: int
    accuracy: float
    classes: tuple[ClassScore, ...]
    labels: tuple[str, ...]  # rows and columns of `confusion` (truth rows, answer columns)
    confusion: tuple[tuple[int, ...], ...]

    def recall(self, label: str) -> float:
        return next((c.recall for c in self.classes if c.label == label), 0.0)


@dataclass(frozen=True)
class TradeOff:
    threshold: float
    empties_set_aside: int
    empties: int
    others_lost: int  # photos with an animal, person or vehicle answered empty
    others: int


def scores(truth: list[str], answers: list[str | None]) -> Scores:
    """Metrics of answers against the truth; an unreadable file counts as a wrong answer."""
    given = [answer or UNREADABLE for answer in answers]
    labels = [*FOUR_WAY, *([UNREADABLE] if UNREADABLE in given else [])]
    if not truth:
        return Scores(0, 0.0, (), tuple(labels), ())
    precision, recall, _f, support = precision_recall_fscore_support(
        truth, given, labels=list(FOUR_WAY), zero_division=0
    )
    classes = tuple(
        ClassScore(label, int(s), float(r), float(p))
        for label, s, r, p in zip(FOUR_WAY, support, recall, precision, strict=True)
    )
    matrix = confusion_matrix(truth, given, labels=labels)
    return Scores(
        len(truth), float(accuracy_score(truth, given)), classes, tuple(labels),
        tuple(tuple(int(v) for v in row) for row in np.asarray(matrix)),
    )  # fmt: skip


def trade_off(
    truth: list[str], answer_at: Callable[[float], list[str | None]],
    thresholds: tuple[float, ...] = THRESHOLDS,
) -> list[TradeOff]:  # fmt: skip
    """The empty filter at each threshold, from `answer_at(threshold)`."""
    empties = sum(t == "empty" for t in truth)
    found = []
    for threshold in thresholds:
        answers = answer_at(threshold)
        aside = sum(t == "empty" and a == "empty" for t, a in zip(truth, answers, strict=True))
        lost = sum(t != "empty" and a == "empty" for t, a in zip(truth, answers, strict=True))
        found.append(TradeOff(threshold, aside, empties, lost, len(truth) - empties))
    return found

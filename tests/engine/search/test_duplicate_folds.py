"""Copies of one photo stay in one cross-validation fold: a head is never tested on a photo it
saw in training under another name (20 copies of each photo once gave 99.9 %)."""

import numpy as np

from engine.search.head import LOGREG, cross_validate
from engine.search.report import accuracy_line


def copied_photos(distinct: int, copies: int, seed: int = 1) -> tuple[np.ndarray, np.ndarray]:
    """Features of `distinct` photos, labels carrying no signal, each copied `copies` times."""
    rng = np.random.default_rng(seed)
    features = rng.normal(size=(distinct, 64)).astype(np.float32)
    labels = np.arange(distinct) % 2
    return np.repeat(features, copies, axis=0), np.repeat(labels, copies)


def test_copies_do_not_inflate_cross_validated_accuracy():
    features, labels = copied_photos(distinct=24, copies=10)
    metrics = cross_validate(features, labels, LOGREG, classes=2)
    assert metrics.duplicates == 24 * 9
    assert metrics.accuracy < 0.8  # labels are noise: near chance, not the copies' 100 %
    assert "216 photos are copies of others" in accuracy_line(metrics)


def test_distinct_photos_are_cross_validated_as_before():
    features, labels = copied_photos(distinct=40, copies=1)
    metrics = cross_validate(features, labels, LOGREG, classes=2)
    assert metrics.duplicates == 0
    assert metrics.folds == 5
    assert "copies" not in accuracy_line(metrics)

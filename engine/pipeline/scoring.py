"""Logits to the top-k labels with probabilities, labelled from the model card."""

import numpy as np

from engine.models.card import ModelCard
from engine.results.records import Prediction


def softmax(logits: np.ndarray) -> np.ndarray:
    shifted = logits - logits.max(axis=1, keepdims=True)
    exp = np.exp(shifted)
    return exp / exp.sum(axis=1, keepdims=True)


def top_predictions(
    logits: np.ndarray, card: ModelCard, k: int = 5
) -> list[tuple[Prediction, ...]]:
    """For each row, the k most probable labels, best first."""
    probs = softmax(logits.astype(np.float64))
    best = np.argsort(-probs, axis=1)[:, :k]
    rows = []
    for row, indices in zip(probs, best, strict=True):
        rows.append(
            tuple(
                Prediction(int(i), card.labels[i].en, card.labels[i].group, round(float(row[i]), 6))
                for i in indices
            )
        )
    return rows

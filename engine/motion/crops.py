"""Crops of the changed regions, classified by the bundled model, as motion boxes.

A person's crop is classified by ImageNet as clothing, a backpack, a rifle…: the card's
"people" group gathers those, "vehicles" the vehicles and "background" rocks, valleys and
walls. A crop's category is the group with the most probability among animal (every other
group), person and vehicle; its confidence is that probability, so a crop that looks like
background gets a low one and is empty at the usual threshold.
"""

import cv2
import numpy as np

from engine.backends.base import Backend
from engine.models.card import ModelCard
from engine.pipeline.scoring import softmax
from engine.results.records import Prediction

Box = tuple[float, float, float, float]
_ANSWERS = {"people": 1, "vehicles": 2, "background": 3}  # else 0: animal
CATEGORIES = ("animal", "person", "vehicle")


def crop_tensor(image: np.ndarray, box: Box, margin: float, card: ModelCard) -> np.ndarray:
    """The box (with a margin, made square where the frame allows) as the model's input."""
    height, width = image.shape[:2]
    x, y, w, h = box[0] * width, box[1] * height, box[2] * width, box[3] * height
    side = max(w, h) * (1 + 2 * margin)
    cx, cy = x + w / 2, y + h / 2
    left = int(max(0, min(width - side, cx - side / 2)))
    top = int(max(0, min(height - side, cy - side / 2)))
    right, bottom = int(min(width, left + side)), int(min(height, top + side))
    crop = image[top : max(bottom, top + 1), left : max(right, left + 1)]
    prep = card.preprocessing
    resized = cv2.resize(crop, (prep.crop, prep.crop), interpolation=cv2.INTER_AREA)
    rgb = cv2.cvtColor(resized, cv2.COLOR_BGR2RGB).astype(np.float32)
    return ((rgb - prep.mean) / prep.std).transpose(2, 0, 1)


class CropClassifier:
    """Classifies crops in batches with the job's own backend and card."""

    def __init__(self, card: ModelCard, backend: Backend, batch: int) -> None:
        self.card, self.backend, self.batch = card, backend, max(1, batch)
        self._answer = np.array([_ANSWERS.get(label.group, 0) for label in card.labels])

    def classify(
        self, tensors: list[np.ndarray]
    ) -> list[tuple[np.ndarray, tuple[Prediction, ...]]]:
        """Per crop: the probability of (animal, person, vehicle, background), and its top-5."""
        found = []
        for start in range(0, len(tensors), self.batch):
            batch = np.ascontiguousarray(np.stack(tensors[start : start + self.batch]))
            probabilities = softmax(self.backend.run(batch).astype(np.float64))
            for row in probabilities:
                masses = np.bincount(self._answer, weights=row, minlength=4)
                found.append((masses, self._top(row)))
        return found

    def _top(self, row: np.ndarray, k: int = 5) -> tuple[Prediction, ...]:
        labels = self.card.labels
        return tuple(
            Prediction(int(i), labels[i].en, labels[i].group, round(float(row[i]), 6))
            for i in np.argsort(-row)[:k]
        )


def judge(now: np.ndarray) -> tuple[str, float]:
    """A box's category (animal, person or vehicle, the most probable) and its probability."""
    best = int(np.argmax(now[:3]))
    return CATEGORIES[best], round(float(now[best]), 6)

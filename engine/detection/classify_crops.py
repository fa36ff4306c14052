"""The second stage: each animal box above the classification gate, cropped and classified.

The classifier is any classification card — an installed species classifier with taxonomy,
a park's trained head, or the bundled EfficientNet — run by the plan's backend (with its
fallbacks). Person and vehicle boxes keep the detector's word and are not classified.
"""

import numpy as np

from engine.backends.base import Backend
from engine.detection.country import allowed_mask, apply_mask
from engine.detection.crops import CropSpec, crop_tensor
from engine.detection.runtime import RawBox
from engine.models.card import ModelCard
from engine.pipeline.scoring import softmax
from engine.results.records import Prediction

TOP_K = 5
CHUNK = 16  # crops per classifier call, the plan's largest CPU batch


class CropClassifier:
    def __init__(
        self, card: ModelCard, backend: Backend, gate: float, country: str | None = None
    ) -> None:
        self.card = card
        self.backend = backend
        self.gate = gate
        self.crop = CropSpec.from_raw(card.raw)
        self._mask = allowed_mask(card, country)
        self._logits = card.raw.get("output", {}).get("layout", "logits") != "probabilities"

    def wants(self, box: RawBox) -> bool:
        return box.category == "animal" and box.conf >= self.gate

    def tensors(self, rgb: np.ndarray, boxes: list[RawBox]) -> list[np.ndarray]:
        """One input per box this stage classifies, in the order of `boxes`."""
        prep = self.card.preprocessing
        return [crop_tensor(rgb, box.box, self.crop, prep) for box in boxes if self.wants(box)]

    def classify(self, tensors: list[np.ndarray]) -> list[tuple[Prediction, ...]]:
        """Top-5 per crop, country filter applied, best first."""
        if not tensors:
            return []
        outputs = np.concatenate([
            np.asarray(self.backend.run(np.stack(tensors[i : i + CHUNK])), dtype=np.float64)
            for i in range(0, len(tensors), CHUNK)
        ])  # fmt: skip
        probs = softmax(outputs) if self._logits else outputs
        probs = apply_mask(probs, self._mask)
        best = np.argsort(-probs, axis=1, kind="stable")[:, :TOP_K]
        labels = self.card.labels
        return [
            tuple(
                Prediction(int(i), labels[i].en, labels[i].group, round(float(row[i]), 6))
                for i in indices
            )
            for row, indices in zip(probs, best, strict=True)
        ]

"""How well a detector finds what the synthetic scenes hold: recall and precision at IoU 0.5."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from engine.detection.agreement import matched_pairs
from engine.detection.runtime import DetectorRuntime, RawBox
from engine.models.card import ModelCard
from engine.optimize.detector.inputs import decode_photos
from tests.engine.optimize.scenes import SIZE, Thing


@dataclass(frozen=True)
class Quality:
    truth: int
    found: int
    matched: int

    @property
    def recall(self) -> float:
        return self.matched / self.truth if self.truth else 1.0

    @property
    def precision(self) -> float:
        return self.matched / self.found if self.found else 1.0


def quality(
    card: ModelCard, folder: Path, truth: dict[str, tuple[Thing, ...]], threshold: float
) -> Quality:
    runtime = DetectorRuntime(card, card.variant("fp32"))
    names = sorted(truth)
    photos = decode_photos([folder / name for name in names], runtime.spec)
    found = runtime.detect(list(photos.pixels), list(photos.placements))
    total = Quality(0, 0, 0)
    for name, boxes in zip(names, found, strict=True):
        kept = [box for box in boxes if box.conf >= threshold]
        wanted = [RawBox(t.category, 1.0, t.normalised(*SIZE)) for t in truth[name]]
        total = Quality(
            total.truth + len(wanted), total.found + len(kept),
            total.matched + matched_pairs(wanted, kept),
        )  # fmt: skip
    return total

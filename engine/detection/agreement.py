"""Do two runs of a detector give the same answer? (INT8 against FP32, ncnn against onnxruntime)

A faster variant is only offered when it agrees with the reference where a person would see
a difference: the same boxes of the same category at the threshold people use (IoU >= 0.5),
and the same empty / not-empty call per photo. Scores may differ; boxes below the threshold
on both sides do not count.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from engine.detection.boxes import RawBox

MATCH_IOU = 0.5
REQUIRED = 0.98


@dataclass(frozen=True)
class Agreement:
    """Counts over a set of photos; rates are 1.0 when there was nothing to disagree on."""

    photos: int
    calls_equal: int  # photos with the same empty / not-empty call
    detections: int  # boxes above the threshold in either run, a matched pair counted once
    matched: int  # pairs of the same category with IoU >= MATCH_IOU

    @property
    def call_rate(self) -> float:
        return self.calls_equal / self.photos if self.photos else 1.0

    @property
    def detection_rate(self) -> float:
        return self.matched / self.detections if self.detections else 1.0

    def good_enough(self, required: float = REQUIRED) -> bool:
        return self.call_rate >= required and self.detection_rate >= required


def _iou(a: tuple[float, ...], b: tuple[float, ...]) -> float:
    ax2, ay2, bx2, by2 = a[0] + a[2], a[1] + a[3], b[0] + b[2], b[1] + b[3]
    width = max(0.0, min(ax2, bx2) - max(a[0], b[0]))
    height = max(0.0, min(ay2, by2) - max(a[1], b[1]))
    inter = width * height
    union = a[2] * a[3] + b[2] * b[3] - inter
    return inter / union if union > 0 else 0.0


def matched_pairs(reference: Sequence[RawBox], other: Sequence[RawBox]) -> int:
    """Greedy one-to-one matching, best IoU first, within a category."""
    pairs = [
        (_iou(r.box, o.box), i, j)
        for i, r in enumerate(reference)
        for j, o in enumerate(other)
        if r.category == o.category
    ]
    used_r: set[int] = set()
    used_o: set[int] = set()
    count = 0
    for iou, i, j in sorted(pairs, reverse=True):
        if iou < MATCH_IOU:
            break
        if i not in used_r and j not in used_o:
            used_r.add(i)
            used_o.add(j)
            count += 1
    return count


def compare(
    reference: Sequence[Sequence[RawBox]], other: Sequence[Sequence[RawBox]], threshold: float
) -> Agreement:
    """Agreement of two runs over the same photos, at one confidence threshold."""
    if len(reference) != len(other):
        raise ValueError("both runs must cover the same photos")
    calls = detections = matched = 0
    for ref_boxes, other_boxes in zip(reference, other, strict=True):
        ref_kept = [b for b in ref_boxes if b.conf >= threshold]
        other_kept = [b for b in other_boxes if b.conf >= threshold]
        calls += bool(ref_kept) == bool(other_kept)
        pairs = matched_pairs(ref_kept, other_kept)
        matched += pairs
        detections += len(ref_kept) + len(other_kept) - pairs
    return Agreement(len(reference), int(calls), int(detections), int(matched))

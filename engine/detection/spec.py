"""What a detector card says: input size and stride, output layout, categories, thresholds.

Read from `ModelCard.raw` (card schema 2, docs in the integrator's CARD_SCHEMA), so a new
MegaDetector variant is a card, not code.
"""

from dataclasses import dataclass

from engine.models.card import ModelCard
from engine.results.records import CATEGORIES

LAYOUTS = ("yolov5", "ultralytics", "e2e", "rtdetr")
DEFAULT_THRESHOLDS = {"floor": 0.01, "typical": 0.2, "conservative": 0.05, "nms_iou": 0.45}
CLASSIFICATION_GATE = 0.1  # AddaxAI's "classify detections above"


class CardError(ValueError):
    """A detector card that Ocelote cannot run (unknown layout, category, missing key)."""


@dataclass(frozen=True)
class DetectorSpec:
    model_id: str
    input_name: str
    size: int  # long side the photo is resized to
    stride: int
    fixed_shape: bool  # pad to size x size (models exported with a static input)
    pad_value: int
    scale: float
    layout: str
    outputs: tuple[str, ...]  # rtdetr: (boxes, scores); others: (output,)
    scores_are_logits: bool  # rtdetr: class logits (sigmoid) rather than probabilities
    packed: bool  # rtdetr: one output of rows [cx, cy, w, h, score, class] (SPARROW's export)
    stretch: bool  # input resized to size x size without keeping the aspect (scale-fill)
    categories: tuple[str, ...]  # class index -> animal / person / vehicle
    floor: float
    typical: float
    conservative: float
    nms_iou: float
    gate: float  # detections above it are classified on their crop

    @classmethod
    def from_card(cls, card: ModelCard) -> "DetectorSpec":
        raw = card.raw
        inp, out = raw.get("input", {}), raw.get("output", {})
        layout = out.get("layout", "")
        if layout not in LAYOUTS:
            raise CardError(f"{card.id}: unknown detector layout {layout!r}")
        categories = tuple(raw.get("categories", CATEGORIES))
        unknown = [c for c in categories if c not in CATEGORIES]
        if unknown:
            raise CardError(f"{card.id}: unknown categories {unknown}")
        thresholds = {**DEFAULT_THRESHOLDS, **raw.get("thresholds", {})}
        packed = bool(out.get("packed", False))
        if layout == "rtdetr" and not packed:
            outputs = (out.get("boxes", "boxes"), out.get("scores", "logits"))
        else:
            outputs = (out.get("name", card.output_name),)
        size = int(inp.get("size", card.input_size))
        return cls(
            model_id=card.id, input_name=inp.get("name", card.input_name), size=size,
            stride=int(inp.get("stride", 64 if size >= 1280 else 32)),
            fixed_shape=bool(inp.get("fixed_shape", False)),
            pad_value=int(inp.get("pad_value", 114)), scale=float(inp.get("scale", 255.0)),
            layout=layout, outputs=outputs,
            scores_are_logits=out.get("scores_are", "logits") == "logits", packed=packed,
            stretch=inp.get("resize", "letterbox") == "stretch",
            categories=categories, floor=float(thresholds["floor"]),
            typical=float(thresholds["typical"]),
            conservative=float(thresholds["conservative"]),
            nms_iou=float(thresholds["nms_iou"]),
            gate=float(raw.get("classification_gate", CLASSIFICATION_GATE)),
        )  # fmt: skip

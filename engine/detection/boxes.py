"""Raw model outputs -> boxes on the photo: decoding, NMS and the letterbox undone.

The same for every runtime (onnxruntime, ncnn): they only differ in how the outputs are made.
"""

from dataclasses import dataclass

import numpy as np

from engine.detection.decoders import decode
from engine.detection.letterbox import Letterbox, to_normalised
from engine.detection.nms import class_wise_nms
from engine.detection.spec import DetectorSpec
from engine.results.records import Detection


@dataclass(frozen=True)
class RawBox:
    """One detection on a photo before it is classified (normalised x, y, w, h)."""

    category: str
    conf: float
    box: tuple[float, float, float, float]


def boxes_from(
    outputs: list[np.ndarray], spec: DetectorSpec, placements: list[Letterbox]
) -> list[list[RawBox]]:
    """Decoded, suppressed and mapped boxes for each image of one batch (one input shape)."""
    shape = (placements[0].input_height, placements[0].input_width)
    found = []
    for candidates, placement in zip(decode(outputs, spec, shape), placements, strict=True):
        kept = class_wise_nms(candidates, spec.nms_iou, spec.floor)
        boxes = to_normalised(kept.xyxy, placement)
        found.append(
            [
                RawBox(spec.categories[int(cls)], round(float(score), 6), _rounded(box))
                for box, score, cls in zip(boxes, kept.scores, kept.classes, strict=True)
                if 0 <= int(cls) < len(spec.categories) and box[2] > 0 and box[3] > 0
            ]
        )
    return found


def _rounded(box: np.ndarray) -> tuple[float, float, float, float]:
    x, y, w, h = (round(float(value), 6) for value in box)
    return x, y, w, h


def as_detection(raw: RawBox, model_id: str, frame_number: int | None = None) -> Detection:
    return Detection("detector", model_id, raw.category, raw.conf, raw.box, frame_number)

"""Class-wise non-maximum suppression, by OpenCV's maintained implementation.

Boxes of different classes never suppress each other (a person beside an animal stays),
as in MegaDetector's and YOLOv5's `non_max_suppression`.
"""

import cv2
import numpy as np

from engine.detection.decoders import Candidates


def class_wise_nms(found: Candidates, iou: float, floor: float) -> Candidates:
    """The candidates that survive NMS at `iou`, most confident first."""
    if found.nms_done or len(found.scores) == 0:
        order = np.argsort(-found.scores, kind="stable")
        return Candidates(found.xyxy[order], found.scores[order], found.classes[order], True)
    xywh = np.concatenate([found.xyxy[:, :2], found.xyxy[:, 2:] - found.xyxy[:, :2]], axis=1)
    kept = cv2.dnn.NMSBoxesBatched(
        xywh.tolist(), found.scores.tolist(), found.classes.tolist(), floor, iou
    )
    kept = np.asarray(kept, dtype=int).reshape(-1)
    kept = kept[np.argsort(-found.scores[kept], kind="stable")]
    return Candidates(found.xyxy[kept], found.scores[kept], found.classes[kept], True)

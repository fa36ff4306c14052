"""Each output layout of the field's detectors -> candidate boxes of one image.

Candidates are input-pixel `(x1, y1, x2, y2)` rows with a score and a class index; NMS and
the mapping back to the photo come after. Layouts (see the card schema):
- yolov5 `[B, N, 5+C]`: centre x, y, w, h, objectness, class scores; score = obj x class
  (MegaDetector v5a/b, MDv1000 redwood/spruce);
- ultralytics `[B, 4+C, N]`: centre x, y, w, h, class scores, no objectness (MDv6 yolov9,
  MDv1000 cedar/larch/sorrel);
- e2e `[B, K, 6]`: x1, y1, x2, y2, score, class, NMS done in the graph (YOLOv10);
- rtdetr: boxes `[B, Q, 4]` normalised centre x, y, w, h and class logits `[B, Q, C]`
  (sigmoid, as RT-DETR's focal-loss heads), or probabilities; or `packed` (SPARROW's
  exports of MDv6 RT-DETR): one output of rows `[cx, cy, w, h, score, class]`, normalised,
  score already a probability. RT-DETR needs no NMS (one query per object).
"""

from dataclasses import dataclass

import numpy as np

from engine.detection.spec import DetectorSpec


@dataclass(frozen=True)
class Candidates:
    xyxy: np.ndarray  # (n, 4) float, input pixels
    scores: np.ndarray  # (n,)
    classes: np.ndarray  # (n,) int
    nms_done: bool = False  # the graph already suppressed overlaps (e2e)


def _centre_to_corners(xywh: np.ndarray) -> np.ndarray:
    half = xywh[:, 2:4] / 2
    return np.concatenate([xywh[:, :2] - half, xywh[:, :2] + half], axis=1)


def _best_class(class_scores: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    classes = class_scores.argmax(axis=1)
    return class_scores[np.arange(len(classes)), classes], classes


def _yolov5(rows: np.ndarray) -> Candidates:
    scores, classes = _best_class(rows[:, 5:] * rows[:, 4:5])
    return Candidates(_centre_to_corners(rows[:, :4]), scores, classes)


def _ultralytics(columns: np.ndarray) -> Candidates:
    rows = columns.T
    scores, classes = _best_class(rows[:, 4:])
    return Candidates(_centre_to_corners(rows[:, :4]), scores, classes)


def _e2e(rows: np.ndarray) -> Candidates:
    return Candidates(rows[:, :4], rows[:, 4], rows[:, 5].round().astype(int), nms_done=True)


def _rtdetr(boxes: np.ndarray, scores: np.ndarray, spec: DetectorSpec, shape) -> Candidates:
    if spec.scores_are_logits:
        scores = 1.0 / (1.0 + np.exp(-scores))
    best, classes = _best_class(scores)
    in_h, in_w = shape
    corners = _centre_to_corners(boxes) * np.array([in_w, in_h, in_w, in_h])
    return Candidates(corners, best, classes, nms_done=True)


def _rtdetr_packed(rows: np.ndarray, shape) -> Candidates:
    in_h, in_w = shape
    corners = _centre_to_corners(rows[:, :4]) * np.array([in_w, in_h, in_w, in_h])
    return Candidates(corners, rows[:, 4], rows[:, 5].round().astype(int), nms_done=True)


def decode(
    outputs: list[np.ndarray], spec: DetectorSpec, input_shape: tuple[int, int]
) -> list[Candidates]:
    """Per image of the batch, its candidates; `input_shape` is the input's (height, width)."""
    first = np.asarray(outputs[0], dtype=np.float64)
    decoded = []
    for index in range(first.shape[0]):
        if spec.layout == "yolov5":
            found = _yolov5(first[index])
        elif spec.layout == "ultralytics":
            found = _ultralytics(first[index])
        elif spec.layout == "e2e":
            found = _e2e(first[index])
        elif spec.packed:
            found = _rtdetr_packed(first[index], input_shape)
        else:
            scores = np.asarray(outputs[1][index], dtype=np.float64)
            found = _rtdetr(first[index], scores, spec, input_shape)
        keep = found.scores >= spec.floor
        decoded.append(
            Candidates(
                found.xyxy[keep], found.scores[keep], found.classes[keep].astype(int),
                found.nms_done,
            )
        )  # fmt: skip
    return decoded

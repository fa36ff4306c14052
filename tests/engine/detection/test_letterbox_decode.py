"""The detector's preprocessing and decode math on hand-built inputs and raw tensors."""

from dataclasses import replace

import numpy as np
import pytest

from engine.detection.decoders import Candidates, decode
from engine.detection.letterbox import letterbox, target_shape, to_normalised
from engine.detection.nms import class_wise_nms
from engine.detection.runtime import boxes_from
from engine.detection.spec import DetectorSpec

SPEC = DetectorSpec(
    model_id="t", input_name="images", size=1280, stride=64, fixed_shape=False, pad_value=114,
    scale=255.0, layout="yolov5", outputs=("output0",), scores_are_logits=True, packed=False,
    stretch=False,
    categories=("animal", "person", "vehicle"), floor=0.01, typical=0.2, conservative=0.05,
    nms_iou=0.45, gate=0.1,
)  # fmt: skip


def test_input_shape_follows_megadetector_rule():
    # ceil(side / long * size / stride + 0.5) * stride: half a stride of margin at least
    assert target_shape(3000, 4000, SPEC) == (1024, 1344)
    assert target_shape(4000, 3000, SPEC) == (1344, 1024)
    assert target_shape(1080, 1920, replace(SPEC, size=640, stride=32)) == (384, 672)
    assert target_shape(3000, 4000, replace(SPEC, size=640, fixed_shape=True)) == (640, 640)


def test_letterbox_pads_centred_with_grey_and_scales_to_unit():
    rgb = np.full((300, 400, 3), 200, np.uint8)
    tensor, placement = letterbox(rgb, replace(SPEC, size=640, stride=32))
    assert tensor.shape == (3, 512, 672) and tensor.dtype == np.float32
    assert (placement.width, placement.height) == (640, 480)
    assert (placement.left, placement.top) == (16, 16)
    assert tensor[0, 0, 0] == pytest.approx(114 / 255)
    assert tensor[:, 16:496, 16:656].min() == pytest.approx(200 / 255)


def test_fixed_shape_letterbox_offsets():
    rgb = np.zeros((600, 800, 3), np.uint8)
    tensor, placement = letterbox(rgb, replace(SPEC, size=640, fixed_shape=True))
    assert tensor.shape == (3, 640, 640)
    assert (placement.left, placement.top, placement.width, placement.height) == (0, 80, 640, 480)
    box = to_normalised(np.array([[320, 80 + 240, 480, 80 + 480]]), placement)[0]
    assert box == pytest.approx([0.5, 0.5, 0.25, 0.5])


def test_boxes_in_the_padding_are_clipped_to_the_photo():
    _t, placement = letterbox(
        np.zeros((600, 800, 3), np.uint8), replace(SPEC, size=640, fixed_shape=True)
    )
    box = to_normalised(np.array([[-10, 0, 100, 100]]), placement)[0]
    assert box[0] == 0 and box[1] == 0
    assert box[3] == pytest.approx(20 / 480)


def _yolov5_rows(rows: list[tuple]) -> np.ndarray:
    return np.array([rows], dtype=np.float32)


def test_yolov5_score_is_objectness_times_class():
    raw = _yolov5_rows([(100, 100, 20, 40, 0.5, 0.8, 0.1, 0.1)])
    (found,) = decode([raw], SPEC, (640, 640))
    assert found.scores[0] == pytest.approx(0.4)
    assert found.classes[0] == 0
    assert found.xyxy[0] == pytest.approx([90, 80, 110, 120])


def test_floor_drops_low_candidates():
    raw = _yolov5_rows([(100, 100, 20, 40, 0.05, 0.1, 0, 0), (10, 10, 5, 5, 0.9, 0, 0.9, 0)])
    (found,) = decode([raw], SPEC, (640, 640))
    assert len(found.scores) == 1 and found.classes[0] == 1


def test_ultralytics_is_transposed_and_has_no_objectness():
    columns = np.array([[[100], [100], [20], [40], [0.1], [0.2], [0.7]]], dtype=np.float32)
    (found,) = decode([columns], replace(SPEC, layout="ultralytics"), (640, 640))
    assert found.scores[0] == pytest.approx(0.7) and found.classes[0] == 2
    assert found.xyxy[0] == pytest.approx([90, 80, 110, 120])


def test_e2e_rows_are_corners_score_class():
    rows = np.array([[[5, 6, 50, 60, 0.9, 1], [0, 0, 1, 1, 0.001, 0]]], dtype=np.float32)
    (found,) = decode([rows], replace(SPEC, layout="e2e"), (640, 640))
    assert found.nms_done and len(found.scores) == 1
    assert found.xyxy[0] == pytest.approx([5, 6, 50, 60]) and found.classes[0] == 1


def test_rtdetr_boxes_are_normalised_centres_and_logits_go_through_sigmoid():
    boxes = np.array([[[0.5, 0.25, 0.1, 0.2]]], dtype=np.float32)
    logits = np.array([[[-5.0, 0.0, -5.0]]], dtype=np.float32)
    spec = replace(SPEC, layout="rtdetr", outputs=("boxes", "logits"))
    (found,) = decode([boxes, logits], spec, (640, 320))
    assert found.scores[0] == pytest.approx(0.5) and found.classes[0] == 1
    assert found.xyxy[0] == pytest.approx([144, 96, 176, 224])


def test_packed_rtdetr_rows_on_a_stretched_input():
    """SPARROW's RT-DETR exports: rows [cx, cy, w, h, score, class], normalised, on the photo
    resized to size x size without keeping its aspect; no NMS (one query per object)."""
    spec = replace(SPEC, layout="rtdetr", packed=True, stretch=True, size=640)
    tensor, placement = letterbox(np.zeros((300, 400, 3), np.uint8), spec)
    assert tensor.shape == (3, 640, 640) and (placement.left, placement.top) == (0, 0)
    rows = np.array([[[0.5, 0.5, 0.2, 0.4, 0.7, 0], [0.52, 0.5, 0.2, 0.4, 0.6, 0]]], np.float32)
    (boxes,) = boxes_from([rows], spec, [placement])
    assert [b.conf for b in boxes] == pytest.approx([0.7, 0.6])  # overlapping, both kept
    assert boxes[0].box == pytest.approx((0.4, 0.3, 0.2, 0.4))


def _candidates(rows: list[tuple]) -> Candidates:
    array = np.array(rows, dtype=np.float64)
    return Candidates(array[:, :4], array[:, 4], array[:, 5].astype(int))


def test_nms_suppresses_overlaps_within_a_class_only():
    found = _candidates([
        (0, 0, 100, 100, 0.9, 0),  # kept
        (5, 5, 100, 100, 0.8, 0),  # IoU 0.9 with the first, same class: suppressed
        (5, 5, 100, 100, 0.7, 1),  # same place, other class: kept
        (200, 200, 300, 300, 0.6, 0),  # elsewhere: kept
        (0, 0, 100, 160, 0.5, 0),  # IoU 0.625 > 0.45: suppressed
        (0, 0, 100, 250, 0.4, 0),  # IoU 0.4 < 0.45: kept
    ])  # fmt: skip
    kept = class_wise_nms(found, 0.45, 0.01)
    assert kept.scores.tolist() == [0.9, 0.7, 0.6, 0.4]
    assert kept.classes.tolist() == [0, 1, 0, 0]


def test_boxes_map_back_through_the_letterbox():
    rgb = np.zeros((300, 400, 3), np.uint8)
    spec = replace(SPEC, size=640, stride=32)
    _tensor, placement = letterbox(rgb, spec)  # 640 x 480 photo at (16, 16) in 672 x 512
    raw = _yolov5_rows([(16 + 320, 16 + 240, 64, 48, 1.0, 0.3, 0.9, 0.0)])
    (boxes,) = boxes_from([raw], spec, [placement])
    assert len(boxes) == 1 and boxes[0].category == "person"
    assert boxes[0].conf == pytest.approx(0.9)
    assert boxes[0].box == pytest.approx((0.45, 0.45, 0.1, 0.1))

"""A detector pack that finds real things on real photos with only ops ncnn runs (convolution,
sigmoid, arithmetic, reshape): the committed stand-ins use GreaterOrEqual, which ncnn lacks.

Per 32 px cell of a 640 px letterboxed input it boxes bright cells (the sky, a flash-lit
animal, a white patch): objectness = sigmoid(40 x (mean brightness - 0.55)), the box centred
on the cell, 16 + 16 x brightness px wide and tall (inside its cell: scores this flat would let
NMS pick between near-equal neighbours by rounding, which a trained detector does not do);
"animal" unless the cell is clearly bluer than red (grey night photos: animal), then "person";
"vehicle" never.
YOLOv5 layout, [1, 400, 8], batch 1 (its constants are one image's), opset 17.
"""

import json
from pathlib import Path

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

from engine.hashing import sha256_of

SIZE, CELL = 640, 32
CELLS = SIZE // CELL


def graph() -> onnx.ModelProto:
    mean = np.full((1, 3, CELL, CELL), 1 / (3 * CELL * CELL), np.float32)
    red_blue = np.zeros((1, 3, CELL, CELL), np.float32)
    red_blue[0, 0], red_blue[0, 2] = 20 / (CELL * CELL), -20 / (CELL * CELL)
    ys, xs = np.mgrid[0:CELLS, 0:CELLS].astype(np.float32)
    centres = np.stack([(xs + 0.5) * CELL, (ys + 0.5) * CELL])[None]  # [1, 2, 20, 20]
    inits = {
        "w_mean": mean, "w_rb": red_blue, "b_rb": np.array([1.0], np.float32), "centres": centres,
        "k_obj": np.array(40.0, np.float32), "b_obj": np.array(-22.0, np.float32),
        "k_size": np.array(16.0, np.float32), "b_size": np.array(16.0, np.float32),
        "one": np.array(1.0, np.float32), "zero": np.zeros((1, 1, CELLS, CELLS), np.float32),
        "rows": np.array([1, 8, CELLS * CELLS], np.int64),
    }  # fmt: skip
    nodes = [
        helper.make_node("Conv", ["images", "w_mean"], ["bright"], strides=[CELL, CELL]),
        helper.make_node("Conv", ["images", "w_rb", "b_rb"], ["rb"], strides=[CELL, CELL]),
        helper.make_node("Mul", ["bright", "k_obj"], ["obj_k"]),
        helper.make_node("Add", ["obj_k", "b_obj"], ["obj_logit"]),
        helper.make_node("Sigmoid", ["obj_logit"], ["obj"]),
        helper.make_node("Sigmoid", ["rb"], ["animal"]),
        helper.make_node("Sub", ["one", "animal"], ["person"]),
        helper.make_node("Mul", ["bright", "k_size"], ["size_k"]),
        helper.make_node("Add", ["size_k", "b_size"], ["side"]),
        helper.make_node("Concat", ["centres", "side", "side", "obj", "animal", "person", "zero"],
                         ["stack"], axis=1),
        helper.make_node("Reshape", ["stack", "rows"], ["flat"]),
        helper.make_node("Transpose", ["flat"], ["output0"], perm=[0, 2, 1]),
    ]  # fmt: skip
    body = helper.make_graph(
        nodes, "bright_cells",
        [helper.make_tensor_value_info("images", TensorProto.FLOAT, [1, 3, SIZE, SIZE])],
        [helper.make_tensor_value_info("output0", TensorProto.FLOAT,
                                       [1, CELLS * CELLS, 8])],
        [numpy_helper.from_array(value, name) for name, value in inits.items()],
    )  # fmt: skip
    model = helper.make_model(body, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    onnx.checker.check_model(model)
    return model


def make_pack(folder: Path, model_id: str = "bright-cells") -> Path:
    """A detector model folder (card.json + ONNX) that Ocelote loads like any other."""
    folder.mkdir(parents=True, exist_ok=True)
    onnx_path = folder / "bright_cells.onnx"
    onnx.save_model(graph(), str(onnx_path))
    card = {
        "schema": 2, "id": model_id, "kind": "detector", "name": "Bright cells (test)",
        "version": "1", "license": {"spdx": "MIT", "attribution": "Ocelote tests"},
        "input": {"name": "images", "size": SIZE, "stride": CELL, "fixed_shape": True,
                  "pad_value": 114, "scale": 255.0},
        "output": {"name": "output0", "layout": "yolov5"},
        "categories": ["animal", "person", "vehicle"],
        "thresholds": {"floor": 0.01, "typical": 0.2, "conservative": 0.05, "nms_iou": 0.45},
        "variants": [{"id": "fp32", "precision": "fp32", "format": "onnx",
                      "file": onnx_path.name, "sha256": sha256_of(onnx_path),
                      "size_bytes": onnx_path.stat().st_size}],
    }  # fmt: skip
    (folder / "card.json").write_text(json.dumps(card, indent=2), encoding="utf-8")
    return folder

"""Tiny real ONNX models for the store's tests, built with onnx.helper (no torch)."""

from pathlib import Path

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper


def _save(graph: onnx.GraphProto, path: Path) -> Path:
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    onnx.checker.check_model(model)
    onnx.save(model, str(path))
    return path


def tiny_detector(path: Path, size: int = 32, seed: int = 0, extra_bytes: int = 0) -> Path:
    """A YOLOv5-shaped detector: images [1,3,S,S] -> output0 [1, S*S, 8] (xywh, obj, 3 classes).

    `extra_bytes` adds an unused weight, for tests that need a file that takes time to download.
    """
    rng = np.random.default_rng(seed)
    weight = numpy_helper.from_array(rng.normal(size=(8, 3, 1, 1)).astype(np.float32), "w")
    padding = rng.normal(size=max(1, extra_bytes // 4)).astype(np.float32)
    shape = numpy_helper.from_array(np.array([1, 8, size * size], dtype=np.int64), "shape")
    nodes = [
        helper.make_node("Conv", ["images", "w"], ["conv"]),
        helper.make_node("Reshape", ["conv", "shape"], ["flat"]),
        helper.make_node("Transpose", ["flat"], ["raw"], perm=[0, 2, 1]),
        helper.make_node("Sigmoid", ["raw"], ["output0"]),
    ]
    graph = helper.make_graph(
        nodes,
        "tiny-detector",
        [helper.make_tensor_value_info("images", TensorProto.FLOAT, [1, 3, size, size])],
        [helper.make_tensor_value_info("output0", TensorProto.FLOAT, [1, size * size, 8])],
        [weight, shape, *([numpy_helper.from_array(padding, "pad")] if extra_bytes else [])],
    )
    return _save(graph, path)


def tiny_classifier(path: Path, classes: int, size: int = 32, seed: int = 1) -> Path:
    """input [1,3,S,S] -> logits [1, classes] (global average pool + a dense layer)."""
    rng = np.random.default_rng(seed)
    weight = numpy_helper.from_array(rng.normal(size=(3, classes)).astype(np.float32), "w")
    nodes = [
        helper.make_node("GlobalAveragePool", ["input"], ["pooled"]),
        helper.make_node("Flatten", ["pooled"], ["flat"]),
        helper.make_node("MatMul", ["flat", "w"], ["logits"]),
    ]
    graph = helper.make_graph(
        nodes,
        "tiny-classifier",
        [helper.make_tensor_value_info("input", TensorProto.FLOAT, [1, 3, size, size])],
        [helper.make_tensor_value_info("logits", TensorProto.FLOAT, [1, classes])],
        [weight],
    )
    return _save(graph, path)

"""Convolution FLOPs of an ONNX graph at a given input size (2 x multiply-adds, as Ultralytics
and MegaDetector's papers count them): the figure a stand-in is checked against."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import onnx
from onnx import helper, shape_inference

_SMALL = 1024  # tensors up to this size keep their values (Resize scales, reshape targets)


def _skeleton(model: onnx.ModelProto, height: int, width: int) -> onnx.ModelProto:
    """The graph with a fixed 1x3xHxW input and big weights as shaped inputs (no data)."""
    graph = model.graph
    small = [t for t in graph.initializer if int(np.prod(t.dims)) <= _SMALL]
    weights = [
        helper.make_tensor_value_info(t.name, t.data_type, list(t.dims))
        for t in graph.initializer
        if int(np.prod(t.dims)) > _SMALL
    ]
    first = graph.input[0]
    image = helper.make_tensor_value_info(
        first.name, first.type.tensor_type.elem_type, [1, 3, height, width]
    )
    light = helper.make_graph(
        list(graph.node), graph.name, [image, *weights], list(graph.output), small
    )
    return helper.make_model(light, opset_imports=list(model.opset_import))


def conv_gflops(model: onnx.ModelProto | Path, height: int, width: int) -> float:
    """GFLOPs of every Conv for one height x width image (bias and activations left out)."""
    if isinstance(model, Path):
        model = onnx.load(str(model), load_external_data=False)
    inferred = shape_inference.infer_shapes(_skeleton(model, height, width))
    shapes = {
        v.name: [d.dim_value for d in v.type.tensor_type.shape.dim]
        for v in [*inferred.graph.value_info, *inferred.graph.input, *inferred.graph.output]
    }
    shapes |= {t.name: list(t.dims) for t in inferred.graph.initializer}
    total = 0
    for node in inferred.graph.node:
        if node.op_type != "Conv":
            continue
        out = shapes[node.output[0]]
        weight = shapes[node.input[1]]  # [c_out, c_in / groups, kh, kw]
        if not out or 0 in out:
            raise ValueError(f"no static shape for {node.output[0]}")
        total += 2 * int(np.prod(out)) * int(np.prod(weight[1:]))
    return total / 1e9

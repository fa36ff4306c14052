"""ONNX surgery with the `onnx` helper API: a bundled classifier cut at a feature tensor, fed a
chosen resolution, and optionally topped with the user's head, all in one graph.

The same cut serves feature extraction and export, so an exported model computes exactly the
features its head was trained on.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from pathlib import Path

import numpy as np

FINAL = "final"
# Stage ends of EfficientNet-Lite0: 192 channels at 1/32 and 112 channels at 1/16 of the input.
EARLIER_BLOCKS = {"block14": 14, "block10": 10}
LAYERS = (FINAL, *EARLIER_BLOCKS)
INPUT = "input"
LOGITS = "logits"
_QDQ = ("QuantizeLinear", "DequantizeLinear")


@cache
def _load_bytes(path: Path) -> bytes:
    return path.read_bytes()


def load_model(path: Path):  # noqa: ANN201 - onnx.ModelProto, a fresh copy each call
    import onnx

    return onnx.load_from_string(_load_bytes(path))


def _classifier(graph) -> object:  # noqa: ANN001
    """The last Gemm/MatMul: the classifier whose input is the pooled feature vector."""
    for node in reversed(graph.node):
        if node.op_type in ("Gemm", "MatMul"):
            return node
    raise ValueError("no Gemm/MatMul classifier in the model")


def _after_qdq(graph, tensor: str) -> str:  # noqa: ANN001
    """In a QDQ (INT8) graph read a block's output after its Q→DQ pair, so ORT keeps fusing."""
    readers = [n for n in graph.node if tensor in n.input]
    if len(readers) == 1 and readers[0].op_type == "QuantizeLinear":
        quant = readers[0].output[0]
        dq = [n for n in graph.node if quant in n.input and n.op_type == "DequantizeLinear"]
        if dq:
            return dq[0].output[0]
    return tensor


def feature_tensor(graph, layer: str) -> str:  # noqa: ANN001
    """Name of the tensor a layer stands for; KeyError when this graph has no such block."""
    if layer == FINAL:
        return _classifier(graph).input[0]
    prefix = f"/_blocks.{EARLIER_BLOCKS[layer]}/"
    found = [
        out
        for node in graph.node
        if node.op_type not in _QDQ
        for out in node.output
        if out.startswith(prefix)
    ]
    if not found:
        raise KeyError(layer)
    return _after_qdq(graph, found[-1])


def available_layers(path: Path) -> tuple[str, ...]:
    graph = load_model(path).graph
    names = []
    for layer in LAYERS:
        try:
            feature_tensor(graph, layer)
            names.append(layer)
        except (KeyError, ValueError):
            continue
    return tuple(names)


def _set_resolution(model, resolution: int) -> None:  # noqa: ANN001
    """Square input of `resolution`; stale shape annotations go (ORT infers them again)."""
    dims = model.graph.input[0].type.tensor_type.shape.dim
    dims[2].dim_value = resolution
    dims[3].dim_value = resolution
    del model.graph.value_info[:]


def _pooled(model, layer: str, name: str) -> str:  # noqa: ANN001
    """Append nodes that turn `layer` into a float32 (N, D) tensor called `name`."""
    from onnx import TensorProto, helper

    graph = model.graph
    tensor = feature_tensor(graph, layer)
    if layer != FINAL:
        graph.node.append(helper.make_node("GlobalAveragePool", [tensor], [f"{name}_gap"]))
        graph.node.append(helper.make_node("Flatten", [f"{name}_gap"], [f"{name}_flat"]))
        tensor = f"{name}_flat"
    graph.node.append(helper.make_node("Cast", [tensor], [name], to=TensorProto.FLOAT))
    return name


def _finish(model, outputs: Sequence[tuple[str, int | None]]):  # noqa: ANN001, ANN202
    """Keep only what the wanted outputs need (onnx.utils.Extractor prunes the rest)."""
    import onnx
    from onnx import TensorProto, helper
    from onnx.utils import Extractor

    del model.graph.output[:]
    for name, width in outputs:
        model.graph.output.append(
            helper.make_tensor_value_info(name, TensorProto.FLOAT, ["batch", width])
        )
    extracted = Extractor(model).extract_model([INPUT], [name for name, _w in outputs])
    onnx.checker.check_model(extracted)
    return extracted


def feature_model(path: Path, resolution: int, layers: Sequence[str]) -> bytes:
    """An ONNX model whose outputs `features_<layer>` are pooled float32 features."""
    model = load_model(path)
    _set_resolution(model, resolution)
    outputs = [(_pooled(model, layer, f"features_{layer}"), None) for layer in layers]
    return _finish(model, outputs).SerializeToString()


def head_model(
    path: Path, resolution: int, layer: str, layers: Sequence[tuple[np.ndarray, np.ndarray]]
) -> bytes:
    """Backbone up to `layer` + dense layers (weights (out, in), bias) with Relu between them,
    output `logits`: one graph that any ONNX runtime runs like the bundled classifier."""
    from onnx import helper, numpy_helper

    model = load_model(path)
    _set_resolution(model, resolution)
    tensor = _pooled(model, layer, "features")
    graph = model.graph
    for index, (weight, bias) in enumerate(layers):
        w_name, b_name = f"head_{index}_weight", f"head_{index}_bias"
        graph.initializer.append(numpy_helper.from_array(weight.astype(np.float32), w_name))
        graph.initializer.append(numpy_helper.from_array(bias.astype(np.float32), b_name))
        last = index == len(layers) - 1
        out = LOGITS if last else f"head_{index}_out"
        graph.node.append(helper.make_node("Gemm", [tensor, w_name, b_name], [out], transB=1))
        tensor = out
        if not last:
            graph.node.append(helper.make_node("Relu", [out], [f"{out}_relu"]))
            tensor = f"{out}_relu"
    _rename_clashing_logits(graph)
    return _finish(model, [(LOGITS, int(layers[-1][0].shape[0]))]).SerializeToString()


def _rename_clashing_logits(graph) -> None:  # noqa: ANN001
    """The bundled classifier also writes `logits`; the pruned-away copy must not clash."""
    head_out = next(n for n in reversed(graph.node) if LOGITS in n.output)
    for node in graph.node:
        if node is head_out:
            continue
        for index, out in enumerate(node.output):
            if out == LOGITS:
                node.output[index] = "bundled_logits"

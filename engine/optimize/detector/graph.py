"""Which nodes of a detector graph stay in FP32 when the rest is quantized.

- The nodes that read the raw pixels (as for the classifier: 8 bits cannot hold what the stem
  sees, `quantize.input_layers`).
- The head: every node after the last convolutions, and those convolutions themselves. In a
  YOLO export that tail turns logits into box centres and sizes in input pixels (sigmoid,
  `(2s)^2 x anchor`, grid offsets) and concatenates the levels: one INT8 scale cannot hold
  both a 0..1 score and a 0..1280 coordinate, and a box that moves by a step of that scale
  stops matching at IoU 0.5. Measured on the trained stand-in (docs/detection.md).
"""

from __future__ import annotations

from pathlib import Path

CONVOLUTIONS = ("Conv", "ConvTranspose")


def head_nodes(source: Path) -> list[str]:
    """Names of the last convolutions and of every node downstream of them only."""
    import onnx

    graph = onnx.load(str(source), load_external_data=False).graph
    readers: dict[str, list[int]] = {}
    for index, node in enumerate(graph.node):
        for name in node.input:
            readers.setdefault(name, []).append(index)
    feeds_conv = [False] * len(graph.node)
    for index in reversed(range(len(graph.node))):  # ONNX nodes are topologically sorted
        node = graph.node[index]
        feeds_conv[index] = any(
            graph.node[r].op_type in CONVOLUTIONS or feeds_conv[r]
            for output in node.output
            for r in readers.get(output, [])
        )
    return [
        node.name
        for index, node in enumerate(graph.node)
        if not feeds_conv[index]
        and (node.op_type in CONVOLUTIONS or _after_conv(graph, index, feeds_conv))
    ]


def _after_conv(graph, index: int, feeds_conv: list[bool]) -> bool:  # noqa: ANN001 - GraphProto
    """Whether some convolution lies upstream of this node (the decode tail, not shape maths)."""
    producers = {out: i for i, node in enumerate(graph.node) for out in node.output}
    seen, stack = set(), [index]
    while stack:
        current = stack.pop()
        for name in graph.node[current].input:
            source = producers.get(name)
            if source is None or source in seen:
                continue
            if graph.node[source].op_type in CONVOLUTIONS:
                return True
            seen.add(source)
            stack.append(source)
    return False


def activation_bytes(source: Path, size: int) -> int:
    """Bytes of every float tensor one size x size photo makes, by ONNX shape inference (dims
    it cannot resolve count as 0): what a histogram calibrator holds per photo."""
    import numpy as np
    import onnx

    model = onnx.load(str(source), load_external_data=False)
    dims = model.graph.input[0].type.tensor_type.shape.dim
    for dim, value in zip(dims, (1, 3, size, size), strict=False):
        dim.ClearField("dim_param")
        dim.dim_value = value
    inferred = onnx.shape_inference.infer_shapes(model)
    total = 0
    for info in inferred.graph.value_info:
        tensor = info.type.tensor_type
        if tensor.elem_type == onnx.TensorProto.FLOAT:
            total += int(np.prod([max(d.dim_value, 0) for d in tensor.shape.dim])) * 4
    return total

"""What a bare ONNX file is: its inputs and outputs, and the kind and layout they suggest.

The proposal is a starting point the user confirms; the shapes decide it, as in the card
schema: [B, C] logits → classifier; [B, N, 5+C] → YOLOv5; [B, 4+C, N] → Ultralytics;
[B, K, 6] → end-to-end boxes; boxes [B, Q, 4] + logits [B, Q, C] → RT-DETR.
"""

from dataclasses import dataclass
from pathlib import Path

import onnx

from engine.i18n import _
from engine.store.errors import ImportProblem

Shape = tuple[int | None, ...]


@dataclass(frozen=True)
class Tensor:
    name: str
    shape: Shape


@dataclass(frozen=True)
class OnnxInfo:
    inputs: tuple[Tensor, ...]
    outputs: tuple[Tensor, ...]
    kind: str  # "detector" | "classifier"
    layout: str
    classes: int | None
    input_size: int | None
    ends_in_softmax: bool


def _shape(value: onnx.ValueInfoProto) -> Shape:
    dims = value.type.tensor_type.shape.dim
    return tuple(d.dim_value if d.HasField("dim_value") else None for d in dims)


def _propose(outputs: tuple[Tensor, ...], softmax: bool) -> tuple[str, str, int | None]:
    shapes = [t.shape for t in outputs]
    if len(shapes) >= 2 and len(shapes[0]) == 3 and shapes[0][2] == 4 and len(shapes[1]) == 3:
        return "detector", "rtdetr", shapes[1][2]
    shape = shapes[0]
    if len(shape) == 2:
        return "classifier", "probabilities" if softmax else "logits", shape[1]
    if len(shape) == 3:
        middle, last = shape[1], shape[2]
        if last == 6 and (middle is None or middle <= 1000):
            return "detector", "e2e", None
        if last is not None and (middle is None or middle > last):
            return "detector", "yolov5", last - 5
        if middle is not None and (last is None or last > middle):
            return "detector", "ultralytics", middle - 4
    raise ImportProblem(
        _("The outputs of this ONNX file ({shapes}) match no layout Ocelote knows.").format(
            shapes=", ".join(str(list(s)) for s in shapes)
        )
    )


def inspect(path: Path) -> OnnxInfo:
    """Read the graph's signature (not its weights' meaning) and propose kind and layout."""
    try:
        model = onnx.load(str(path), load_external_data=False)
    except Exception as error:  # noqa: BLE001 - any parse failure means "not an ONNX model"
        raise ImportProblem(
            _("{file} is not an ONNX model that can be read ({error}).").format(
                file=path.name, error=error
            )
        ) from error
    graph = model.graph
    weights = {init.name for init in graph.initializer}
    inputs = tuple(Tensor(v.name, _shape(v)) for v in graph.input if v.name not in weights)
    outputs = tuple(Tensor(v.name, _shape(v)) for v in graph.output)
    if not inputs or not outputs:
        raise ImportProblem(_("{file} has no inputs or outputs.").format(file=path.name))
    softmax = bool(graph.node) and graph.node[-1].op_type == "Softmax"
    kind, layout, classes = _propose(outputs, softmax)
    first = inputs[0].shape
    size = first[-1] if len(first) == 4 and first[-1] == first[-2] else None
    return OnnxInfo(inputs, outputs, kind, layout, classes, size, softmax)

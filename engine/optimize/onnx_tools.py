"""Small ONNX graph and session helpers shared by the variant makers (no Qt, no store)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from engine.backends.onnxruntime_ep import session_options

ModelSource = Path | bytes


def session(model: ModelSource, threads: int | None = None):  # noqa: ANN201 - ort type
    """A CPU session with the engine's own options (INT8 needs `x64quantprecision`)."""
    import onnxruntime as ort

    source = str(model) if isinstance(model, Path) else model
    options = session_options("onnxruntime-cpu", threads)
    return ort.InferenceSession(source, options, providers=["CPUExecutionProvider"])


def run_logits(model: ModelSource, tensors: np.ndarray, batch: int = 16) -> np.ndarray:
    """Logits for every tensor, in batches (bounded memory on a 4 GB PC)."""
    sess = session(model)
    name = sess.get_inputs()[0].name
    parts = [
        sess.run(None, {name: tensors[i : i + batch]})[0] for i in range(0, len(tensors), batch)
    ]
    return np.concatenate(parts) if parts else np.zeros((0, 0), np.float32)


def agreement(logits: np.ndarray, reference: np.ndarray) -> float:
    """Share of images whose top-1 class is the reference's."""
    if not len(reference):
        return 0.0
    return float(np.mean(logits.argmax(1) == reference.argmax(1)))


def initializers(model) -> dict:  # noqa: ANN001 - onnx.ModelProto
    return {item.name: item for item in model.graph.initializer}


def weight(model, name: str) -> np.ndarray:  # noqa: ANN001
    from onnx import numpy_helper

    return numpy_helper.to_array(initializers(model)[name])


def set_weight(model, name: str, value: np.ndarray) -> None:  # noqa: ANN001
    """Replace an initializer in place (same name, new shape allowed)."""
    from onnx import numpy_helper

    item = initializers(model)[name]
    item.CopyFrom(numpy_helper.from_array(value.astype(np.float32), name))


def consumers(model) -> dict[str, list]:  # noqa: ANN001
    """Tensor name -> nodes that read it."""
    found: dict[str, list] = {}
    for node in model.graph.node:
        for name in node.input:
            found.setdefault(name, []).append(node)
    return found


def attribute(node, name: str, default: int = 1) -> int:  # noqa: ANN001
    for item in node.attribute:
        if item.name == name:
            return int(item.i)
    return default


def set_attribute(node, name: str, value: int) -> None:  # noqa: ANN001
    for item in node.attribute:
        if item.name == name:
            item.i = value
            return


def parameter_count(model) -> int:  # noqa: ANN001
    """Weights in dense initializers (what a dense runtime stores and multiplies)."""
    return int(sum(np.prod(item.dims) for item in model.graph.initializer))


def nonzero_parameters(model) -> int:  # noqa: ANN001
    from onnx import numpy_helper

    dense = sum(int(np.count_nonzero(numpy_helper.to_array(i))) for i in model.graph.initializer)
    sparse = sum(int(np.prod(s.values.dims)) for s in model.graph.sparse_initializer)
    return dense + sparse


def named_copy(source: Path, target: Path) -> Path:
    """One self-contained file (external weights inlined, as the quantizer's pre-processing
    wants) whose every node has a name: nodes are kept in FP32 by name, and an unnamed node
    ("" in exports such as the bench stand-ins) would make "" mean every unnamed node."""
    import onnx

    model = onnx.load(str(source))
    taken = {node.name for node in model.graph.node}
    for index, node in enumerate(model.graph.node):
        if not node.name:
            node.name = f"{node.op_type}_{index}"
            while node.name in taken:
                node.name += "_"
            taken.add(node.name)
    onnx.save(model, str(target))
    return target

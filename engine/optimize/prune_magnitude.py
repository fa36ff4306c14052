"""Unstructured magnitude pruning: zero the smallest weights of each Conv/Gemm layer.

Honest about what it buys: onnxruntime multiplies zeros as fast as any other number, so the
model is not faster; what shrinks is the file (sparse initializers where they are smaller than
the dense tensor, and a zipped copy much more). At load time onnxruntime makes them dense again.
"""

from __future__ import annotations

import numpy as np

from engine.optimize.onnx_tools import initializers, weight

MIN_WEIGHTS = 4096  # depthwise and stem kernels are tiny and carry a lot: never candidates


def candidate_layers(model) -> list[str]:  # noqa: ANN001 - onnx.ModelProto
    """Conv/Gemm nodes whose weight tensor is big enough for pruning to matter."""
    inits = initializers(model)

    def size(node) -> int:  # noqa: ANN001
        item = inits.get(node.input[1]) if len(node.input) > 1 else None
        return int(np.prod(item.dims)) if item is not None else 0

    ops = ("Conv", "Gemm")
    names = [n.name for n in model.graph.node if n.op_type in ops and size(n) >= MIN_WEIGHTS]
    return names


def zero_smallest(values: np.ndarray, sparsity: float) -> np.ndarray:
    """A copy with the `sparsity` share of smallest-magnitude weights set to zero."""
    flat = np.abs(values).ravel()
    count = int(round(flat.size * sparsity))
    if count <= 0:
        return values.copy()
    threshold = np.partition(flat, count - 1)[count - 1]
    pruned = values.copy()
    pruned[np.abs(values) <= threshold] = 0.0
    return pruned


def prune_magnitude(model, sparsities: dict[str, float]):  # noqa: ANN001, ANN201
    """A copy with each named layer's weight pruned to its sparsity (dense zeros)."""
    import onnx
    from onnx import numpy_helper

    pruned = onnx.ModelProto()
    pruned.CopyFrom(model)
    inits = initializers(pruned)
    for node in pruned.graph.node:
        share = sparsities.get(node.name, 0.0)
        if share > 0:
            name = node.input[1]
            values = zero_smallest(weight(pruned, name), share)
            inits[name].CopyFrom(numpy_helper.from_array(values, name))
    return pruned


def to_sparse_initializers(model):  # noqa: ANN001, ANN201
    """Move each mostly-zero initializer to a sparse one where that stores fewer bytes.

    COO with linear indices: int16 where the tensor is small enough, else int32 (onnxruntime
    reads both). A 30%-sparse layer usually stays dense: its indices would cost more.
    """
    import onnx
    from onnx import helper, numpy_helper

    result = onnx.ModelProto()
    result.CopyFrom(model)
    keep = []
    for item in result.graph.initializer:
        values = numpy_helper.to_array(item)
        nonzero = np.flatnonzero(values)
        index_type = np.int16 if values.size <= np.iinfo(np.int16).max else np.int32
        sparse_bytes = nonzero.size * (4 + np.dtype(index_type).itemsize)
        if values.dtype != np.float32 or values.ndim < 2 or sparse_bytes >= values.nbytes:
            keep.append(item)
            continue
        sparse = helper.make_sparse_tensor(
            numpy_helper.from_array(values.ravel()[nonzero], item.name),
            numpy_helper.from_array(nonzero.astype(index_type), ""),
            list(values.shape),
        )
        result.graph.sparse_initializer.append(sparse)
    del result.graph.initializer[:]
    result.graph.initializer.extend(keep)
    return result

"""Pruned variants end to end: sensitivity per layer, protect the worst, prune the rest, save.

`sparsity` is the share removed from each unprotected layer (weights for magnitude pruning,
hidden channels for channel pruning); `Made.sparsity` is the share actually removed over the
whole model's parameters, which is what the card records.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from engine.optimize import prune_channels as pc
from engine.optimize import prune_magnitude as pm
from engine.optimize import sensitivity
from engine.optimize.onnx_tools import nonzero_parameters, parameter_count
from engine.optimize.sample import Progress, Sample
from engine.pipeline.cancel import CancelToken

SENSITIVITY_IMAGES = 8


@dataclass(frozen=True)
class Made:
    path: Path
    sparsity: float
    protected: tuple[str, ...] = ()


def _load(path: Path):  # noqa: ANN202 - onnx.ModelProto
    import onnx

    return onnx.load(str(path))


def _prune_unprotected(
    names: Sequence[str],
    prune: Callable[[dict[str, float]], Any],  # {layer: share} -> onnx.ModelProto
    share: float,
    sample: Sample,
    reference: np.ndarray,
    progress: Progress | None,
    cancel: CancelToken | None,
) -> tuple[Any, set[str]]:
    """Both methods: measure each layer alone on a few images, spare the most sensitive,
    prune the rest; the pruned model and the spared names."""
    few, few_ref = sample.tensors[:SENSITIVITY_IMAGES], reference[:SENSITIVITY_IMAGES]

    def prune_one(name: str) -> bytes:
        return prune({name: share}).SerializeToString()

    found = sensitivity.measure(names, prune_one, few, few_ref, progress, cancel)
    spared = sensitivity.protected(found)
    return prune({n: share for n in names if n not in spared}), spared


def channels(
    source: Path,
    target: Path,
    sample: Sample,
    reference: np.ndarray,
    share: float,
    progress: Progress | None = None,
    cancel: CancelToken | None = None,
) -> Made:
    """Channel pruning of every MBConv block but the most sensitive quarter."""
    import onnx

    model = _load(source)
    blocks = pc.find_blocks(model)
    stats = pc.hidden_stats(model, blocks, sample.tensors)
    pruned, spared = _prune_unprotected(
        [b.expand for b in blocks],
        lambda shares: pc.prune_channels(model, shares, stats),
        share, sample, reference, progress, cancel,
    )  # fmt: skip
    onnx.save(pruned, str(target))
    removed = 1 - parameter_count(pruned) / parameter_count(model)
    return Made(target, removed, tuple(sorted(spared)))


def magnitude(
    source: Path,
    target: Path,
    sample: Sample,
    reference: np.ndarray,
    share: float,
    progress: Progress | None = None,
    cancel: CancelToken | None = None,
) -> Made:
    """Magnitude pruning of every large Conv/Gemm but the most sensitive quarter."""
    import onnx

    model = _load(source)
    pruned, spared = _prune_unprotected(
        pm.candidate_layers(model),
        lambda shares: pm.prune_magnitude(model, shares),
        share, sample, reference, progress, cancel,
    )  # fmt: skip
    removed = 1 - nonzero_parameters(pruned) / parameter_count(model)
    onnx.save(pm.to_sparse_initializers(pruned), str(target))
    return Made(target, removed, tuple(sorted(spared)))

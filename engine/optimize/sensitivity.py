"""Which layers to spare: prune each candidate alone and see how far the answers move.

A layer whose pruning alone changes top-1 answers on the user's photos is protected; ties are
broken by how far the logits drift. Measured on a few photos because every probe is a session.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from engine.optimize.onnx_tools import agreement, run_logits
from engine.optimize.sample import Progress, check
from engine.pipeline.cancel import CancelToken

PROTECT_SHARE = 0.25


@dataclass(frozen=True)
class Sensitivity:
    """One candidate layer pruned alone: agreement with the original and mean logit drift."""

    layer: str
    agreement: float
    drift: float


def measure(
    candidates: Sequence[str],
    prune_one: Callable[[str], bytes],
    tensors: np.ndarray,
    reference: np.ndarray,
    progress: Progress | None = None,
    cancel: CancelToken | None = None,
) -> list[Sensitivity]:
    """`prune_one(layer)` returns the serialized model with only that layer pruned."""
    found = []
    scale = float(np.abs(reference).mean()) or 1.0
    for index, layer in enumerate(candidates):
        check(cancel)
        logits = run_logits(prune_one(layer), tensors)
        drift = float(np.abs(logits - reference).mean()) / scale
        found.append(Sensitivity(layer, agreement(logits, reference), drift))
        if progress:
            progress(index + 1, len(candidates))
    return found


def protected(found: Sequence[Sensitivity], share: float = PROTECT_SHARE) -> set[str]:
    """The worst `share` of layers (lowest agreement, then largest drift)."""
    ranked = sorted(found, key=lambda s: (s.agreement, -s.drift))
    return {s.layer for s in ranked[: math.ceil(len(ranked) * share)]}

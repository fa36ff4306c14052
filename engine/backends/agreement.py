"""Do a backend's logits agree with the CPU reference? The rule, with its tolerances.

Tolerances (max |Δlogit| against onnxruntime CPU on the same batch), by the precision run:
- fp32: 0.1. Exact FP32 runtimes differ by < 1e-4; ncnn's file stores weights in FP16 (pnnx's
  default), measured max 0.054 on 50 trap photos.
- fp16: 0.5. FP16 arithmetic: ncnn on llvmpipe measured 0.16, onnxruntime's FP16 file 0.07.
- int8: 1.0, against the CPU running the same INT8 file: INT8 differs from FP32 by design
  (top-1 0.88 on trap photos, in the card), so the check compares like with like.
Top-1 must match on at least 98% of the batch (on a batch under 50 images: all of them).
"""

from dataclasses import dataclass

import numpy as np

from engine.i18n import _

TOLERANCES = {"fp32": 0.1, "fp16": 0.5, "int8": 1.0}
MIN_TOP1 = 0.98


def reference_variant(variant_id: str) -> str:
    """The variant the CPU reference runs: the same file for INT8, FP32 otherwise."""
    return "int8" if variant_id == "int8" else "fp32"


@dataclass(frozen=True)
class Agreement:
    top1: float
    max_abs_diff: float
    tolerance: float
    problem: str  # empty when the logits agree

    @property
    def ok(self) -> bool:
        return not self.problem


def compare(logits: np.ndarray, reference: np.ndarray, precision: str) -> Agreement:
    """Shape, finiteness, top-1 share and worst logit gap, with a readable problem if any."""
    tolerance = TOLERANCES.get(precision, TOLERANCES["fp32"])
    logits = np.asarray(logits)
    if logits.shape != reference.shape:
        problem = _("returned shape {got} instead of {want}").format(
            got=logits.shape, want=reference.shape
        )
        return Agreement(0.0, float("inf"), tolerance, problem)
    if not np.isfinite(logits).all():
        return Agreement(0.0, float("inf"), tolerance, _("returned NaN or infinite values"))
    top1 = float(np.mean(logits.argmax(1) == reference.argmax(1)))
    diff = float(np.abs(logits - reference).max())
    problem = ""
    if top1 < MIN_TOP1 or diff > tolerance:
        problem = _(
            "disagrees with the CPU: same top-1 label on {top1:.0%} of images, "
            "largest score difference {diff:.3g} (allowed {tolerance:g})"
        ).format(top1=top1, diff=diff, tolerance=tolerance)
    return Agreement(top1, diff, tolerance, problem)

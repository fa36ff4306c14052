"""Make one variant of an installed model from the user's photos, and measure it.

`make_variant` leaves the new file in a work folder with its Evaluation (and the original's,
measured the same way, for comparison); `keep` copies it into the model store with its
figures, `discard` deletes it. Methods: fp16, int8, prune-magnitude, prune-channels.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from engine.models.card import ModelCard
from engine.optimize import pruning, quantize
from engine.optimize.evaluate import SPEED_SECONDS, Evaluation, evaluate
from engine.optimize.notes import notes_for
from engine.optimize.onnx_tools import run_logits
from engine.optimize.reviewed import load_reviewed
from engine.optimize.sample import Cancelled, NoPhotos, Progress, Sample, check, load_sample
from engine.pipeline.cancel import CancelToken

METHODS = ("fp16", "int8", "prune-magnitude", "prune-channels")
PRECISION = {"fp16": "fp16", "int8": "int8", "prune-magnitude": "fp32", "prune-channels": "fp32"}


@dataclass(frozen=True)
class Request:
    method: str
    photos: Path
    sparsity: float = 0.3
    source_variant: str = "fp32"
    results: Path | None = None  # a results folder whose reviews are labels
    limit: int = 32
    seconds: float = SPEED_SECONDS


@dataclass(frozen=True)
class Candidate:
    """A made, measured, not yet kept variant."""

    card_id: str
    variant_id: str
    method: str
    precision: str
    sparsity: float
    made_from: str
    path: Path
    evaluation: Evaluation
    original: Evaluation
    protected: tuple[str, ...] = ()


def variant_id(request: Request) -> str:
    pct = round(request.sparsity * 100)
    suffix = {
        "fp16": "fp16",
        "int8": "int8",
        "prune-magnitude": f"sparse{pct}",
        "prune-channels": f"slim{pct}",
    }[request.method]
    prefix = (
        "user" if request.source_variant in ("fp32", "fp16", "int8") else request.source_variant
    )
    return f"{prefix}-{suffix}"


def _steps(progress: Progress | None, start: int, end: int) -> Progress:
    """Map a phase's own (done, total) onto the overall 0-100 bar."""

    def report(done: int, total: int) -> None:
        if progress and total:
            progress(start + (end - start) * done // total, 100)

    return report


def _build(
    request: Request,
    card: ModelCard,
    source: Path,
    target: Path,
    sample: Sample,
    reference: np.ndarray,
    progress: Progress,
    cancel: CancelToken | None,
) -> pruning.Made:
    if request.method == "fp16":
        return pruning.Made(quantize.make_fp16(source, target), 0.0)
    if request.method == "int8":
        quantize.make_int8(source, target, sample.tensors, None, card.input_name)
        return pruning.Made(target, 0.0)
    make = pruning.channels if request.method == "prune-channels" else pruning.magnitude
    return make(source, target, sample, reference, request.sparsity, progress, cancel)


def make_variant(
    card: ModelCard,
    request: Request,
    work: Path | None = None,
    progress: Progress | None = None,
    cancel: CancelToken | None = None,
) -> Candidate:
    """Decode a sample, build the variant, evaluate it and the original the same way."""
    if request.method not in METHODS:
        raise ValueError(request.method)
    source = card.variant(request.source_variant).file
    work = work or Path(tempfile.mkdtemp(prefix="ocelote-optimize-"))
    vid = variant_id(request)
    target = work / f"{vid}.onnx"
    sample = load_sample(
        request.photos, card.preprocessing, request.limit, _steps(progress, 0, 15), cancel
    )
    if not len(sample):
        raise NoPhotos(str(request.photos))
    reference = run_logits(source, sample.tensors)
    made = _build(
        request, card, source, target, sample, reference, _steps(progress, 15, 70), cancel
    )
    check(cancel)
    reviewed = load_reviewed(request.results, card.preprocessing)
    precision = card.variant(request.source_variant).precision
    precision = PRECISION[request.method] if request.method in ("fp16", "int8") else precision
    original = evaluate(
        card, source, precision, sample.tensors, reference, reviewed, request.seconds
    )
    _steps(progress, 70, 100)(1, 2)
    check(cancel)
    result = evaluate(card, target, precision, sample.tensors, reference, reviewed, request.seconds)
    _steps(progress, 70, 100)(2, 2)
    result = replace(result, notes=notes_for(request.method, result, original, reviewed))
    return Candidate(
        card.id,
        vid,
        request.method,
        precision,
        made.sparsity,
        request.source_variant,
        target,
        result,
        original,
        made.protected,
    )


def entry_for(candidate: Candidate) -> dict:
    """The card.json item: the store's own fields plus every measured figure."""
    ev = candidate.evaluation
    cpu = ev.speed()
    return {
        "id": candidate.variant_id,
        "precision": candidate.precision,
        "format": "onnx",
        "sparsity": round(candidate.sparsity, 4),
        "top1_agreement_with_fp32": round(ev.agreement, 4),
        "measured": {
            "images_per_second": round(cpu, 2) if cpu is not None else None,
            "backend": "onnxruntime-cpu",
            "speeds": {s.backend: round(s.images_per_second, 2) for s in ev.speeds},
            "agreement": round(ev.agreement, 4),
            "agreement_images": ev.images,
            "accuracy_on_reviewed": ev.accuracy_on_reviewed,
            "reviewed_images": ev.reviewed_images,
            "peak_memory_bytes": ev.peak_memory_bytes,
            "parameters": ev.parameters,
            "nonzero_parameters": ev.nonzero_parameters,
            "made_from": candidate.made_from,
            "method": candidate.method,
            "protected_layers": list(candidate.protected),
        },
    }


def keep(card: ModelCard, candidate: Candidate) -> ModelCard:
    """Into the model store with its figures; the work file is removed afterwards."""
    from engine.models.store import add_variant

    updated = add_variant(card, candidate.path, entry_for(candidate))
    discard(candidate)
    return updated


def discard(candidate: Candidate) -> None:
    candidate.path.unlink(missing_ok=True)
    if candidate.path.parent.name.startswith("ocelote-optimize-"):
        shutil.rmtree(candidate.path.parent, ignore_errors=True)


__all__ = [
    "METHODS",
    "Cancelled",
    "NoPhotos",
    "Candidate",
    "Request",
    "discard",
    "keep",
    "make_variant",
]

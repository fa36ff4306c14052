"""Measure a variant before it is offered: agreement, accuracy on reviewed photos, size,
memory and speed on this PC. Every figure here is measured; where a figure could not be
measured it is absent (None), never estimated.
"""

from __future__ import annotations

import time
import zlib
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import psutil

from engine.backends import onnxruntime_ep
from engine.backends.measure import PeakRss
from engine.models.card import ModelCard, Variant
from engine.optimize.onnx_tools import agreement, nonzero_parameters, parameter_count
from engine.optimize.reviewed import Reviewed

SPEED_SECONDS = 3.0
SPEED_BATCH = 8


@dataclass(frozen=True)
class Speed:
    backend: str
    images_per_second: float


@dataclass(frozen=True)
class Evaluation:
    """What a person needs to decide whether to keep a variant."""

    agreement: float
    images: int
    file_bytes: int
    zipped_bytes: int
    parameters: int
    nonzero_parameters: int
    peak_memory_bytes: int
    speeds: tuple[Speed, ...]
    accuracy_on_reviewed: float | None = None
    reviewed_images: int = 0
    original_accuracy_on_reviewed: float | None = None
    notes: tuple[str, ...] = field(default=())

    def speed(self, backend: str = "onnxruntime-cpu") -> float | None:
        return next((s.images_per_second for s in self.speeds if s.backend == backend), None)


def temp_variant(path: Path, precision: str, variant_id: str = "candidate") -> Variant:
    """A Variant for a file not yet in the store (no checksum: it was made just now)."""
    return Variant(variant_id, precision, path, "", path.stat().st_size, 0.0, None)


def usable_ort_backends() -> list[str]:
    """onnxruntime providers compiled in here (cheap); the CPU always, first."""
    return [name for name in onnxruntime_ep.PROVIDERS if onnxruntime_ep.is_available(name)]


def load_backend(name: str, card: ModelCard, variant: Variant):  # noqa: ANN201 - Backend
    return onnxruntime_ep.OnnxRuntimeBackend(name, card, variant)


def logits_of(backend, tensors: np.ndarray) -> np.ndarray:  # noqa: ANN001
    parts = [backend.run(tensors[i : i + SPEED_BATCH]) for i in range(0, len(tensors), SPEED_BATCH)]
    return np.concatenate(parts) if parts else np.zeros((0, 0), np.float32)


def images_per_second(backend, tensors: np.ndarray, seconds: float = SPEED_SECONDS) -> float:  # noqa: ANN001
    """Timed passes after one warm-up batch, until `seconds` have passed (at least one pass)."""
    backend.run(tensors[:SPEED_BATCH])
    done, start = 0, time.perf_counter()
    while True:
        for i in range(0, len(tensors), SPEED_BATCH):
            done += len(backend.run(tensors[i : i + SPEED_BATCH]))
        elapsed = time.perf_counter() - start
        if elapsed >= seconds:
            return done / elapsed


def zipped_size(path: Path) -> int:
    """Bytes after zlib level 6: what a zip of the file would take (measured, not guessed)."""
    return len(zlib.compress(path.read_bytes(), 6))


def _accuracy(logits: np.ndarray, labels: np.ndarray) -> float | None:
    return float(np.mean(logits.argmax(1) == labels)) if len(labels) else None


def evaluate(
    card: ModelCard,
    path: Path,
    precision: str,
    tensors: np.ndarray,
    reference: np.ndarray,
    reviewed: Reviewed | None = None,
    seconds: float = SPEED_SECONDS,
) -> Evaluation:
    """All figures of one model file; `reference` holds the original's logits on `tensors`."""
    import onnx

    model = onnx.load(str(path))
    variant = temp_variant(path, precision)
    speeds, agree, peak = [], 0.0, 0
    for name in usable_ort_backends():
        try:
            before = psutil.Process().memory_info().rss
            with PeakRss() as rss:
                backend = load_backend(name, card, variant)
                logits = logits_of(backend, tensors)
                rate = images_per_second(backend, tensors, seconds)
        except Exception:  # noqa: BLE001, S112 - a GPU provider that fails is simply not listed
            continue
        if name == "onnxruntime-cpu":
            agree, peak = agreement(logits, reference), max(0, rss.peak - before)
            accuracy = (
                _accuracy(logits_of(backend, reviewed.tensors), reviewed.labels)
                if reviewed
                else None
            )
        speeds.append(Speed(name, rate))
    return Evaluation(
        agreement=agree,
        images=len(tensors),
        file_bytes=path.stat().st_size,
        zipped_bytes=zipped_size(path),
        parameters=parameter_count(model),
        nonzero_parameters=nonzero_parameters(model),
        peak_memory_bytes=peak,
        speeds=tuple(speeds),
        accuracy_on_reviewed=accuracy if reviewed else None,
        reviewed_images=len(reviewed.labels) if reviewed else 0,
    )

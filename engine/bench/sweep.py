"""Backends × variants × batch sizes, one `measure_all` per batch size, cancellable between them.

Latency per batch is derived from the measured throughput (batch / images per second).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import asdict
from pathlib import Path

from engine.backends.measure import default_routes, measure_all
from engine.cli.bench_backends import load_images
from engine.models.store import find_card
from engine.pipeline.cancel import CancelToken


def run_sweep(
    source: Path,
    batches: Sequence[int] = (1, 4, 16),
    images: int = 32,
    seconds: float = 5.0,
    progress: Callable[[int, int], None] | None = None,
    cancel: CancelToken | None = None,
) -> list[dict]:
    """Rows as dicts (history-ready) with a `batch` and `latency_ms` field each."""
    card = find_card()
    tensors = load_images(source, images, card.input_size, card.preprocessing)
    if not len(tensors):
        return []
    routes, rows = default_routes(), []
    for index, batch in enumerate(batches):
        if cancel is not None and cancel.cancelled:
            break
        for row in measure_all(card, tensors, routes, batch, repeat=2, seconds=seconds):
            rate = row.images_per_s
            rows.append(
                {**asdict(row), "batch": batch, "latency_ms": 1000 * batch / rate if rate else None}
            )
        if progress:
            progress(index + 1, len(batches))
    return rows

"""Throughput of every backend x precision on the same decoded images, in one run.

The CPU (onnxruntime FP32) is measured first and is the ratio's reference. Each backend's first
batch is a warm-up (shader and kernel compilation) and its agreement check; timed passes follow
until `repeat` passes or `seconds` are done (OpenCV's OpenCL path can be 70x slower than the CPU).
Memory: peak process RSS while the backend loads and runs; for Vulkan, ncnn's heap budget.
"""

import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import psutil

from engine.backends import ncnn_vulkan
from engine.backends.agreement import compare, reference_variant
from engine.backends.base import BackendUnavailable
from engine.backends.registry import NAMES, PRECISIONS, is_available, make_backend, make_loader
from engine.backends.timebox import call_with_timeout
from engine.i18n import _
from engine.models.card import ModelCard
from engine.models.select import largest_batch

REFERENCE = ("onnxruntime-cpu", "fp32")


@dataclass(frozen=True)
class Row:
    backend: str
    variant: str
    device: str
    images_per_s: float
    ratio_to_cpu: float
    peak_rss_mb: float
    vram_budget_mb: int | None
    top1: float
    max_abs_diff: float
    problem: str


class PeakRss:
    """Samples this process's RSS every 20 ms in a thread: the peak while a backend works."""

    def __init__(self) -> None:
        self._process, self.peak, self._stop = psutil.Process(), 0, threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, self._process.memory_info().rss)
            self._stop.wait(0.02)

    def __enter__(self) -> "PeakRss":
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, self._process.memory_info().rss)


def default_routes() -> list[tuple[str, str]]:
    """Every precision of every backend installed here, the reference first."""
    routes = [REFERENCE]
    for name in NAMES:
        if is_available(name):
            routes += [(name, v) for v in PRECISIONS[name] if (name, v) != REFERENCE]
    return routes


def _timed(backend, images: np.ndarray, batch: int, repeat: int, seconds: float) -> float:
    done, start = 0, time.perf_counter()
    for _pass in range(repeat):
        for i in range(0, len(images), batch):
            done += len(backend.run(images[i : i + batch]))
            if time.perf_counter() - start > seconds:
                return done / (time.perf_counter() - start)
    return done / (time.perf_counter() - start)


def measure_one(card: ModelCard, route: tuple[str, str], images: np.ndarray,
                reference: np.ndarray | None, batch: int, repeat: int, seconds: float,
                threads: int | None, extractors: int | None) -> Row:  # fmt: skip
    name, variant = route
    loader = make_loader(name, card, variant, threads, extractors)
    with PeakRss() as rss:
        try:
            backend = call_with_timeout(name, _("starting {name}").format(name=name), loader, 300)
            first = backend.run(images[:batch])
            rate = _timed(backend, images, batch, repeat, seconds)
        except BackendUnavailable as error:
            return Row(name, variant, "", 0.0, 0.0, 0.0, None, 0.0, 0.0, error.reason)
        except Exception as error:  # noqa: BLE001 - reported in the table, the run goes on
            return Row(name, variant, "", 0.0, 0.0, 0.0, None, 0.0, 0.0, repr(error))
    budget = ncnn_vulkan.heap_budget_mb() if name == "ncnn-vulkan" else None
    agreement = compare(first, reference[: len(first)], variant) if reference is not None else None
    getattr(backend, "close", lambda: None)()
    return Row(
        name, variant, backend.info.device, rate, 0.0, rss.peak / 2**20, budget,
        agreement.top1 if agreement else 1.0, agreement.max_abs_diff if agreement else 0.0,
        agreement.problem if agreement else "",
    )  # fmt: skip


def measure_all(
    card: ModelCard, images: np.ndarray, routes: Sequence[tuple[str, str]],
    batch: int | None = None,
    repeat: int = 3, seconds: float = 20.0, threads: int | None = None,
    extractors: int | None = None,
) -> list[Row]:  # fmt: skip
    """One row per route; ratios against onnxruntime CPU FP32 on the same images."""
    routes = [REFERENCE, *(r for r in routes if r != REFERENCE)]  # the ratio's base, first
    checked = batch or max(largest_batch(name) for name, _variant in routes)
    references = {
        vid: make_backend(REFERENCE[0], card, vid, threads).run(images[:checked])
        for vid in {reference_variant(variant) for _name, variant in routes}
    }
    rows = [
        measure_one(card, route, images, references[reference_variant(route[1])],
                    batch or largest_batch(route[0]), repeat, seconds, threads, extractors)
        for route in routes
    ]  # fmt: skip
    base = next((r.images_per_s for r in rows if (r.backend, r.variant) == REFERENCE), 0.0)
    return [
        Row(**{**r.__dict__, "ratio_to_cpu": r.images_per_s / base if base else 0.0}) for r in rows
    ]

"""Hardware-aware architecture search: which backbone variant, resolution, feature layer and
head give the best accuracy for the speed this PC has, measured within the user's budget.

Successive halving on two rungs: every (variant, resolution, layer) found in time is scored
on a stratified subset of the photos with a cheap head and timed on this PC; the best third
by Pareto rank (accuracy × speed, so fast points survive too) gets every photo and every head.
Both objectives are measured: cross-validated accuracy, and images/s of the exported graph.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from engine.i18n import _
from engine.models.card import ModelCard
from engine.models.store import DEFAULT_MODEL_ID, find_card
from engine.pipeline.cancel import CancelToken
from engine.search.dataset import MIN_EXAMPLES, Dataset
from engine.search.export import Architecture
from engine.search.features import EmbeddingCache, ProgressFn, check, extract
from engine.search.graph import LAYERS, available_layers, head_model
from engine.search.head import HeadSpec, Metrics, cross_validate
from engine.search.pareto import Point, pareto_front, recommend
from engine.search.speed import images_per_second
from engine.search.trainer import Matrix, TrainError, matrix_from, require_classes

RESOLUTIONS = (224, 160, 288, 192, 256)  # the bundled size first, then spread out
HEADS = (
    HeadSpec("logreg", 0, 0.1),
    HeadSpec("logreg", 0, 1.0),
    HeadSpec("logreg", 0, 10.0),
    HeadSpec("mlp", 64, 1.0),
    HeadSpec("mlp", 128, 1.0),
)
CHEAP_HEAD = HeadSpec("logreg", 0, 1.0)
ETA = 3
MIN_FINALISTS = 3
FIRST_RUNG_SHARE = 0.5


@dataclass(frozen=True)
class Space:
    variants: tuple[str, ...]
    resolutions: tuple[int, ...] = RESOLUTIONS
    layers: tuple[str, ...] = LAYERS
    heads: tuple[HeadSpec, ...] = HEADS


def default_space(card: ModelCard | None = None) -> Space:
    """Every ONNX variant of the bundled model, including those the optimize panel added."""
    card = card or find_card(DEFAULT_MODEL_ID)
    return Space(tuple(v.id for v in card.variants_in("onnx")))


@dataclass
class SearchResult:
    points: list[Point]  # measured on every photo with every head
    partial: list[Point]  # measured on the subset only (the rungs that were cut)
    front: list[Point]
    recommended: Point | None
    meets_speed: bool
    seconds: float
    budget_s: float
    dataset: Dataset
    metrics: dict[Architecture, Metrics] = field(default_factory=dict)


class _Clock:
    """The budget, and the cost of each step so far to predict the next one."""

    def __init__(self, budget_s: float, clock: Callable[[], float]) -> None:
        self.now, self.start, self.budget = clock, clock(), budget_s
        self.per_image = 0.0  # seconds per image × variant at 224 px, last seen
        self.per_timing = 0.0  # seconds per speed measurement, last seen

    def elapsed(self) -> float:
        return self.now() - self.start

    def fits(self, images: int, variants: int, resolution: int, timings: int, share: float) -> bool:
        pixels = (resolution / 224) ** 2
        cost = images * variants * self.per_image * pixels + timings * self.per_timing
        return self.elapsed() + cost <= self.budget * share


def subset(dataset: Dataset, fraction: float, at_least: int) -> Dataset:
    """A stratified share of each class (never fewer than `at_least` photos of one)."""
    keep = []
    for info in dataset.classes:
        paths = [e.path for e in dataset.examples if e.key == info.key]
        count = max(at_least, math.ceil(len(paths) * fraction))
        keep += paths[:: max(1, len(paths) // count)][:count]
    return dataset.only(set(keep))


def search(
    dataset: Dataset,
    budget_s: float,
    min_photos_per_hour: float = 0.0,
    space: Space | None = None,
    min_count: int = MIN_EXAMPLES,
    progress: ProgressFn | None = None,
    cancel: CancelToken | None = None,
    cache: EmbeddingCache | None = None,
    clock: Callable[[], float] = time.perf_counter,
) -> SearchResult:
    """The Pareto front of accuracy vs images/s and the point recommended for the speed asked."""
    card = find_card(DEFAULT_MODEL_ID)
    space = space or default_space(card)
    cache = cache or EmbeddingCache()
    data = require_classes(dataset, min_count)
    timer = _Clock(budget_s, clock)
    tick = (
        (lambda: progress(int(min(timer.elapsed(), budget_s)), int(budget_s))) if progress else None
    )
    run = _Run(card, space, cache, timer, cancel, tick)
    partial = run.first_rung(subset(data, 1 / ETA, 2))
    if not partial:
        raise TrainError(_("The time budget ended before a single architecture was measured."))
    finalists = _promote(partial, min_photos_per_hour)
    points = run.last_rung(
        data, [p.arch for p in finalists], {p.arch: p.images_per_s for p in partial}
    )
    front = pareto_front(points)
    best, meets = recommend(points, min_photos_per_hour)
    done = {p.arch for p in points}
    return SearchResult(
        points=points,
        partial=[p for p in partial if p.arch not in done],
        front=front,
        recommended=best,
        meets_speed=meets,
        seconds=timer.elapsed(),
        budget_s=budget_s,
        dataset=data,
        metrics=run.metrics,
    )


def _promote(points: list[Point], min_photos_per_hour: float) -> list[Point]:
    """The best third by Pareto rank; points below the asked speed only when too few reach it."""
    fast = [p for p in points if p.photos_per_hour >= min_photos_per_hour]
    slow = [p for p in points if p.photos_per_hour < min_photos_per_hour]
    count = max(MIN_FINALISTS, math.ceil(len(points) / ETA))
    return (_by_rank(fast) + _by_rank(slow))[:count]


def _by_rank(points: list[Point]) -> list[Point]:
    """Non-dominated sorting: the front first, then the front of what is left, and so on."""
    ranked, left = [], list(points)
    while left:
        front = sorted(pareto_front(left), key=lambda p: -p.accuracy)
        ranked += front
        left = [p for p in left if p not in front]
    return ranked


class _Run:
    """One search's state: what was measured, how long steps take, the budget left."""

    def __init__(self, card, space, cache, timer, cancel, tick) -> None:  # noqa: ANN001
        self.card, self.space, self.cache, self.timer = card, space, cache, timer
        self.cancel, self.tick = cancel, tick or (lambda: None)
        self.speeds: dict[Architecture, float] = {}
        self.metrics: dict[Architecture, Metrics] = {}
        self.layers = {
            v: tuple(ly for ly in space.layers if ly in available_layers(card.variant(v).file))
            for v in space.variants
        }

    def _features(self, data: Dataset, variants: list[str], resolution: int, layers) -> dict:  # noqa: ANN001
        """Matrix per (variant, layer), decoding once; the cost per image is remembered."""
        start = self.timer.now()
        paths = [e.path for e in data.examples]
        found = extract(
            self.card, [self.card.variant(v) for v in variants], resolution, paths,
            layers, self.cache, cancel=self.cancel,
        )  # fmt: skip
        scale = (224 / resolution) ** 2 / max(1, len(paths) * len(variants))
        self.timer.per_image = (self.timer.now() - start) * scale
        return {(v, ly): matrix_from(data, found, v, ly) for v in variants for ly in layers}

    def _speed(self, arch: Architecture, matrix: Matrix) -> float:
        """Images/s of the exported graph (the head's weights do not change its speed)."""
        start = self.timer.now()
        width, classes = matrix.features.shape[1], len(matrix.dataset.classes)
        head = [(np.zeros((classes, width), np.float32), np.zeros(classes, np.float32))]
        model = head_model(
            self.card.variant(arch.variant_id).file, arch.resolution, arch.layer, head
        )
        self.speeds[arch] = images_per_second(model, arch.resolution)
        self.timer.per_timing = self.timer.now() - start
        return self.speeds[arch]

    def first_rung(self, data: Dataset) -> list[Point]:
        points: list[Point] = []
        variants = list(self.space.variants)
        for resolution in self.space.resolutions:
            check(self.cancel)
            timings = sum(len(self.layers[v]) for v in variants)
            if points and not self.timer.fits(
                len(data.examples), len(variants), resolution, timings, FIRST_RUNG_SHARE
            ):
                break
            layers = sorted({ly for v in variants for ly in self.layers[v]}, key=LAYERS.index)
            matrices = self._features(data, variants, resolution, layers)
            for variant in variants:
                for layer in self.layers[variant]:
                    check(self.cancel)
                    arch, matrix = (
                        Architecture(variant, resolution, layer),
                        matrices[(variant, layer)],
                    )
                    metrics = cross_validate(
                        matrix.features, matrix.labels, CHEAP_HEAD, len(matrix.dataset.classes)
                    )
                    points.append(
                        Point(
                            arch,
                            CHEAP_HEAD,
                            metrics.accuracy,
                            self._speed(arch, matrix),
                            len(matrix.labels),
                            0,
                        )
                    )
                    self.tick()
        return points

    def last_rung(self, data: Dataset, archs: list[Architecture], speeds: dict) -> list[Point]:  # noqa: ANN001
        points: list[Point] = []
        for resolution in dict.fromkeys(a.resolution for a in archs):
            check(self.cancel)
            group = [a for a in archs if a.resolution == resolution]
            variants = list(dict.fromkeys(a.variant_id for a in group))
            if points and not self.timer.fits(
                len(data.examples), len(variants), resolution, 0, 1.0
            ):
                break
            layers = sorted({a.layer for a in group}, key=LAYERS.index)
            matrices = self._features(data, variants, resolution, layers)
            for arch in group:
                matrix = matrices[(arch.variant_id, arch.layer)]
                best = self._best_head(matrix, arch)
                points.append(
                    Point(arch, best[0], best[1].accuracy, speeds[arch], len(matrix.labels), 1)
                )
                self.tick()
        return points

    def _best_head(self, matrix: Matrix, arch: Architecture) -> tuple[HeadSpec, Metrics]:
        scored = []
        for spec in self.space.heads:
            check(self.cancel)
            scored.append(
                (
                    spec,
                    cross_validate(
                        matrix.features, matrix.labels, spec, len(matrix.dataset.classes)
                    ),
                )
            )
        spec, metrics = max(scored, key=lambda item: item[1].accuracy)  # first best: simplest
        self.metrics[arch] = metrics
        return spec, metrics

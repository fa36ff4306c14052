"""Train a head on the user's labelled photos: features, cross-validation, the final fit.

What the "Train" page and `ocelote train` call; the search calls the same pieces.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from engine.i18n import _, fmt_number
from engine.models.card import ModelCard
from engine.models.store import DEFAULT_MODEL_ID, find_card
from engine.paths import user_data_dir
from engine.pipeline.cancel import CancelToken
from engine.pipeline.job import JobError
from engine.search.dataset import MIN_EXAMPLES, ClassInfo, Dataset
from engine.search.export import Architecture, install, model_id_for, write_model
from engine.search.features import EmbeddingCache, Features, ProgressFn, extract
from engine.search.head import LOGREG, Head, HeadSpec, Metrics, cross_validate, fit


class TrainError(JobError):
    """Training cannot start or go on; the message says why and what to do."""


@dataclass
class Matrix:
    """Features and class indices of the photos that decoded, for one architecture."""

    dataset: Dataset
    features: np.ndarray
    labels: np.ndarray
    failed: dict[Path, str] = field(default_factory=dict)


@dataclass
class TrainResult:
    dataset: Dataset  # what the head learned from
    excluded: tuple[ClassInfo, ...]  # classes with too few photos
    failed: dict[Path, str]  # photos that could not be decoded, and why
    arch: Architecture
    metrics: Metrics
    head: Head
    seconds: float


def require_classes(dataset: Dataset, min_count: int) -> Dataset:
    trainable = dataset.trainable(min_count)
    if len(trainable.classes) < 2:
        raise TrainError(
            _(
                "Training needs at least two classes with {count} or more photos each. "
                "Review or sort more photos, then try again."
            ).format(count=fmt_number(min_count))
        )
    return trainable


def matrix_from(dataset: Dataset, features: Features, variant_id: str, layer: str) -> Matrix:
    """Rows of the photos that decoded; classes that fell empty are dropped from the list."""
    kept = dataset.only(set(features.paths))
    index = {info.key: i for i, info in enumerate(kept.classes)}
    row_of = {path: row for row, path in enumerate(features.paths)}
    rows = [row_of[e.path] for e in kept.examples]
    values = features.matrix(variant_id, layer)[rows] if rows else np.zeros((0, 0))
    labels = np.array([index[e.key] for e in kept.examples], dtype=np.int64)
    return Matrix(kept, values, labels, dict(features.failed))


def features_for(
    dataset: Dataset,
    arch: Architecture,
    card: ModelCard | None = None,
    cache: EmbeddingCache | None = None,
    progress: ProgressFn | None = None,
    cancel: CancelToken | None = None,
) -> Matrix:
    card = card or find_card(DEFAULT_MODEL_ID)
    cache = cache or EmbeddingCache()
    paths = [example.path for example in dataset.examples]
    variant = card.variant(arch.variant_id)
    found = extract(card, [variant], arch.resolution, paths, [arch.layer], cache, progress, cancel)
    return matrix_from(dataset, found, variant.id, arch.layer)


def train(
    dataset: Dataset,
    spec: HeadSpec = LOGREG,
    arch: Architecture | None = None,
    min_count: int = MIN_EXAMPLES,
    progress: ProgressFn | None = None,
    cancel: CancelToken | None = None,
    cache: EmbeddingCache | None = None,
) -> TrainResult:
    """Cross-validated metrics, then the head fitted on every photo."""
    start = time.perf_counter()
    arch = arch or Architecture()
    trainable = require_classes(dataset, min_count)
    data = features_for(trainable, arch, cache=cache, progress=progress, cancel=cancel)
    data = drop_small(data, min_count)
    kept = require_classes(data.dataset, min_count)
    metrics = cross_validate(data.features, data.labels, spec, len(kept.classes))
    head = fit(data.features, data.labels, spec)
    return TrainResult(
        dataset=kept,
        excluded=dataset.small(min_count),
        failed=data.failed,
        arch=arch,
        metrics=metrics,
        head=head,
        seconds=time.perf_counter() - start,
    )


def drop_small(data: Matrix, min_count: int) -> Matrix:
    """Unreadable photos can push a class below N after the fact: drop its rows too."""
    kept = data.dataset.trainable(min_count)
    if len(kept.classes) == len(data.dataset.classes):
        return data
    old = {info.key: i for i, info in enumerate(data.dataset.classes)}
    remap = {old[info.key]: new for new, info in enumerate(kept.classes)}
    mask = np.isin(data.labels, list(remap))
    labels = np.array([remap[int(value)] for value in data.labels[mask]], dtype=np.int64)
    return Matrix(kept, data.features[mask], labels, data.failed)


def export(
    result: TrainResult,
    name: str,
    folder: Path | None = None,
    build: dict | None = None,
    install_now: bool = False,
) -> tuple[Path, ModelCard | None]:
    """Write the model folder (default: the user data folder) and optionally install it."""
    folder = folder or user_data_dir() / "search" / "exports" / model_id_for(name)
    info = {
        "trained_on_photos": len(result.dataset.examples),
        "cv_accuracy": round(result.metrics.accuracy, 4),
        "cv_folds": result.metrics.folds,
        **(build or {}),
    }
    write_model(folder, name, result.dataset.classes, result.head, result.arch, info)
    return folder, (install(folder) if install_now else None)

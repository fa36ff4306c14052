"""The user's reviews as labels: a photo a person confirmed or corrected is a ground truth.

Only reviews naming one of the model's classes count; "empty" or a species the model does not
know cannot score a 1,000-class model, so they are counted and left out (and the text says so).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from engine.errors import MediaError
from engine.media.decode import decode_for_model
from engine.media.preprocess import Preprocessing
from engine.pipeline.job import RESULTS_DB
from engine.results.db import ResultsDB
from engine.results.records import disk_rel

MAX_REVIEWED = 200


@dataclass(frozen=True)
class Reviewed:
    """Decoded reviewed photos and their labels (class indices); `skipped`: reviews unused."""

    tensors: np.ndarray
    labels: np.ndarray
    skipped: int = 0


def review_labels(results: Path) -> tuple[list[tuple[Path, int]], int]:
    """(photo, class index) for each reviewed file of a results folder, and how many were not."""
    db_path = results / RESULTS_DB if results.is_dir() else results
    if not db_path.is_file():
        return [], 0
    with ResultsDB(db_path) as db:
        run = db.latest_run()
        source = Path(str(run["source"])) if run else results
        rows = [row for row in db.iter_files() if row.review is not None]
    found = [
        (source / disk_rel(r.rel_path), r.review.class_index)
        for r in rows
        if r.review.class_index is not None
    ]
    return found, len(rows) - len(found)


def load_reviewed(results: Path | None, prep: Preprocessing) -> Reviewed | None:
    """None when there is no results folder or no usable review (the caller says so)."""
    if results is None:
        return None
    labelled, skipped = review_labels(results)
    tensors, labels = [], []
    for path, index in labelled[:MAX_REVIEWED]:
        try:
            tensors.append(decode_for_model(path, prep).tensor)
        except (MediaError, OSError):
            skipped += 1  # moved or deleted since it was reviewed
            continue
        labels.append(index)
    if not tensors:
        return None
    return Reviewed(np.stack(tensors), np.array(labels, dtype=np.int64), skipped)

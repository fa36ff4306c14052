"""Counts a ranger reads at the end of a run, computed from the database (resumes included)."""

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from engine.results.db import ResultsDB


@dataclass(frozen=True)
class Summary:
    """The whole output folder's state after a run (resumed files included)."""

    status: str
    files: int
    classified: int
    errors: Counter = field(default_factory=Counter)
    groups: Counter = field(default_factory=Counter)
    processed_this_run: int = 0
    seconds: float = 0.0
    images_per_second: float = 0.0
    database: Path | None = None
    videos: int = 0  # classified videos (also counted in `files` and `classified`)
    video_frames: int = 0  # sampled frames classified in them
    video_labels: Counter = field(default_factory=Counter)  # class_index -> videos where seen


def summarize(db: ResultsDB, status: str, processed: int, seconds: float) -> Summary:
    errors = Counter(db.error_counts())
    groups = Counter(db.top_group_counts())
    videos, frames = db.video_counts()
    return Summary(
        status=status,
        files=sum(groups.values()) + sum(errors.values()),
        classified=sum(groups.values()),
        errors=errors,
        groups=groups,
        processed_this_run=processed,
        seconds=seconds,
        images_per_second=processed / seconds if seconds > 0 else 0.0,
        database=db.path,
        videos=videos,
        video_frames=frames,
        video_labels=Counter(db.video_labels()),
    )

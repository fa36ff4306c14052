"""What the gallery shows per file, made from a database row or a live job outcome.

Kept as plain data so 20,000 of them cost little memory and no widgets.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from engine.i18n import _
from engine.models.card import ModelCard
from engine.results.boxes import RunModels, run_models
from engine.results.db import ResultsDB
from engine.results.records import Classified, Failed, Outcome, VideoClassified
from engine.results.rows import BoxReview, DetectionRow, FileRow, FrameRow, Review

Prediction = tuple[int, str, str, float]  # class_index, label (English key), group, score
FrameThumb = tuple[int, float, int, float]  # frame number, time in s, best class_index, score


@dataclass(frozen=True)
class Item:
    rel_path: str
    status: str
    predictions: tuple[Prediction, ...]
    taken_at: str | None = None
    camera: str | None = None
    error_code: str | None = None
    review: Review | None = None
    kind: str = "image"
    frames: tuple[FrameThumb, ...] = ()  # a video's sampled frames, in clip order
    detections: tuple[DetectionRow, ...] = ()  # every stored box, read at a threshold
    box_reviews: tuple[BoxReview, ...] = ()  # a person's verdicts on them, oldest first

    @property
    def is_video(self) -> bool:
        return self.kind == "video"

    @property
    def best_frame(self) -> int:
        """The frame to show for a video: where its best label was most probable."""
        best = self.predictions[0][0] if self.predictions else None
        same = [frame for frame in self.frames if frame[2] == best] or list(self.frames)
        return max(same, key=lambda frame: frame[3])[0] if same else 0

    @property
    def ok(self) -> bool:
        return self.status == "ok" and bool(self.predictions)

    @property
    def group(self) -> str | None:
        """The reviewer's group when reviewed, else the machine's best guess."""
        if self.review is not None:
            return self.review.group
        return self.predictions[0][2] if self.ok else None

    @property
    def class_index(self) -> int | None:
        if self.review is not None:
            return self.review.class_index
        return self.predictions[0][0] if self.ok else None

    @property
    def score(self) -> float:
        return self.predictions[0][3] if self.ok else 0.0

    @property
    def shown_score(self) -> float | None:
        """The model's confidence in the label shown; None once a person chose another label.

        Why: a tile corrected to "gazelle" must not show the percentage the model gave warthog.
        """
        if not self.ok:
            return None
        if self.review is None or self.review.class_index == self.predictions[0][0]:
            return self.predictions[0][3]
        return None

    def with_review(self, review: Review | None) -> Item:
        return replace(self, review=review)

    def with_box_reviews(self, reviews: tuple[BoxReview, ...]) -> Item:
        return replace(self, box_reviews=reviews)


def _camera(make: str | None, model: str | None) -> str | None:
    parts = [part for part in (make, model) if part]
    return " ".join(parts) or None


def _thumbs(frames: list[FrameRow]) -> tuple[FrameThumb, ...]:
    return tuple(
        (f.frame_number, f.time_s, f.predictions[0][0], f.predictions[0][3])
        for f in frames
        if f.predictions
    )


def item_from_row(
    row: FileRow, frames: list[FrameRow] | None = None, box_reviews: tuple[BoxReview, ...] = ()
) -> Item:
    return Item(
        rel_path=row.rel_path,
        status=row.status,
        predictions=tuple(row.predictions),
        taken_at=row.taken_at,
        camera=_camera(row.camera_make, row.camera_model),
        error_code=row.error_code,
        review=row.review,
        kind=row.kind,
        frames=_thumbs(frames or []),
        detections=row.detections,
        box_reviews=box_reviews,
    )


def item_from_outcome(outcome: Outcome) -> Item:
    kind = outcome.file.kind
    if isinstance(outcome, Failed):
        return Item(outcome.file.rel, "error", (), error_code=outcome.code.value, kind=kind)
    assert isinstance(outcome, Classified)
    predictions = tuple((p.class_index, p.label, p.group, p.score) for p in outcome.predictions)
    exif = outcome.exif
    frames: tuple[FrameThumb, ...] = ()
    if isinstance(outcome, VideoClassified):
        frames = tuple(
            (f.frame_number, f.time_s, f.predictions[0].class_index, f.predictions[0].score)
            for f in outcome.frames
        )
    camera = _camera(exif.make, exif.model)
    rel = outcome.file.rel
    return Item(rel, "ok", predictions, exif.taken_at, camera, kind=kind, frames=frames)


def label_text(item: Item, card: ModelCard, language: str) -> str:
    """The label a person reads: the reviewer's when reviewed, in the current language."""
    index = item.class_index
    if index is not None and 0 <= index < len(card.labels):
        return card.label_text(index, language)
    if item.review is not None:
        return item.review.label
    return ""


def group_text(group: str | None, card: ModelCard, language: str) -> str:
    if group is None:
        return ""
    if group == "":  # a name typed by a reviewer that the model does not know
        return _("Named by a person")
    return card.group_text(group, language) if group in card.groups else group


def load_results(db_path: Path, card: ModelCard) -> tuple[list[Item], Path | None, RunModels]:
    """Every stored file of a results folder, the photo folder it came from and the models
    that ran (a detector's thresholds are the slider's presets).

    Runs on a worker thread with its own connection (SQLite connections are per thread).
    """
    with ResultsDB(db_path) as db:
        run = db.latest_run() or {}
        items = [
            item_from_row(
                row, db.frames(row.rel_path) if row.video else None, db.box_reviews(row.rel_path)
            )
            for row in db.iter_files()
        ]
        models = run_models(db, card)
    source = run.get("source")
    return items, Path(str(source)) if source else None, models

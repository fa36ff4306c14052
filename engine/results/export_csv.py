"""CSV export: one row per file, labels and groups in both languages, errors in words.

A person's review, when there is one, sits in the columns beside the machine's label
(`reviewed_label`, `reviewed_group`, `classification_method` human); it never replaces it.

A video is one row (kind "video"): its label is the best over its frames, `frames_processed`,
`fps`, `duration_s`, and for that label the frame where it was most probable (`frame_number`,
`time_s`) and when it was first and last the best guess (`first_seen_s`, `last_seen_s`);
`labels_seen` lists every label that was a frame's best guess as `label@first-last s=max`.
With `per_frame=True` each sampled frame follows its video as a row of kind "frame".
The box columns (engine.results.box_columns) are read at `threshold`, by default the
detector's typical one.
"""

import csv
from pathlib import Path

from engine.errors import describe
from engine.models.card import ModelCard
from engine.results.atomic import replacing
from engine.results.box_columns import BOX_COLUMNS, box_values
from engine.results.boxes import run_models
from engine.results.db import ResultsDB
from engine.results.rows import FileRow, FrameRow, best_seen, seen_in

COLUMNS = [
    "file", "kind", "status", "label_en", "label_es", "group", "group_en", "group_es",
    "confidence", "top5", "taken_at", "camera_make", "camera_model", "camera_serial",
    "width", "height", "size_bytes", "error_code", "error_message",
    "reviewed_label", "reviewed_group", "classification_method",
    "frame_number", "time_s", "motion", "fps", "duration_s", "frames_processed",
    "first_seen_s", "last_seen_s", "labels_seen", *BOX_COLUMNS,
]  # fmt: skip


def _labels(values: dict[str, object], predictions: tuple, card: ModelCard) -> None:
    index, _label, group, score = predictions[0]
    values.update(
        label_en=card.labels[index].en,
        label_es=card.labels[index].es,
        group=group,
        group_en=card.groups[group].en,
        group_es=card.groups[group].es,
        confidence=f"{score:.4f}",
        top5="; ".join(f"{label}={score:.4f}" for _i, label, _g, score in predictions),
        classification_method="machine",
    )


def video_values(row: FileRow, frames: list[FrameRow]) -> dict[str, object]:
    """A video's own columns: its length and where its best label was seen."""
    if row.video is None:
        return {}
    values: dict[str, object] = {
        "fps": round(row.video.fps, 3),
        "duration_s": row.video.duration_s,
        "frames_processed": row.video.frames_processed,
        "labels_seen": "; ".join(
            f"{s.label}@{s.first_s:g}-{s.last_s:g}s={s.max_score:.4f}" for s in seen_in(frames)
        ),
    }
    best = best_seen(row, frames)
    if best is not None:
        values.update(
            frame_number=best.best_frame, time_s=best.best_time_s,
            first_seen_s=best.first_s, last_seen_s=best.last_s,
        )  # fmt: skip
    return values


def frame_values(row: FileRow, frame: FrameRow, card: ModelCard) -> dict[str, object]:
    """A row for one sampled frame of a video (kind "frame")."""
    values: dict[str, object] = {
        "file": row.rel_path, "kind": "frame", "status": row.status,
        "frame_number": frame.frame_number, "time_s": frame.time_s, "motion": frame.motion,
    }  # fmt: skip
    if frame.predictions:
        _labels(values, frame.predictions, card)
    return values


def row_values(
    row: FileRow, card: ModelCard, frames: list[FrameRow] | None = None
) -> dict[str, object]:
    """A file's values by column id; the XLSX export's Files sheet shares them."""
    values: dict[str, object] = {
        "file": row.rel_path,
        "kind": row.kind,
        "status": row.status,
        "taken_at": row.taken_at or "",
        "camera_make": row.camera_make or "",
        "camera_model": row.camera_model or "",
        "camera_serial": row.camera_serial or "",
        "width": row.width or "",
        "height": row.height or "",
        "size_bytes": row.size if row.size is not None else "",
        "error_code": row.error_code or "",
        "error_message": describe(row.error_code) if row.error_code else "",
    }
    if row.predictions:
        _labels(values, row.predictions, card)
    values.update(video_values(row, frames or []))
    if row.review is not None:
        values.update(
            reviewed_label=row.review.label,
            reviewed_group=row.review.group,
            classification_method="human",
        )
    return values


def export_csv(
    db: ResultsDB, card: ModelCard, path: Path, per_frame: bool = False,
    threshold: float | None = None,
) -> Path:  # fmt: skip
    """Written to a temporary name and renamed, so a crash never leaves half a file."""
    models = run_models(db, card)
    threshold = models.typical if threshold is None else threshold
    with replacing(path) as partial, partial.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS, restval="")
        writer.writeheader()
        for row in db.iter_files():
            frames = db.frames(row.rel_path) if row.video is not None else []
            values = row_values(row, card, frames)
            values.update(box_values(row, db.box_reviews(row.rel_path), models, threshold))
            writer.writerow(values)
            if per_frame:
                writer.writerows(frame_values(row, frame, card) for frame in frames)
    return path

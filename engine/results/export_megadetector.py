"""MegaDetector batch-output JSON (format 1.6), the format Timelapse and other tools read.

Ocelote's default model classifies the whole frame; it does not draw boxes. The mapping:
- a file whose best label is in an animal group becomes one detection of category "1"
  (animal), "people" becomes "2" (person) and "vehicles" "3" (vehicle), each with the whole
  frame as its box `[0, 0, 1, 1]`, `conf` the best label's probability, and `classifications`
  the top-5 labels `[class_id, probability]` sorted by probability;
- a file whose best label is background gets `detections: []` (nothing found);
- a file that failed gets `failure` (the error code) and `detections: null`.
`classification_categories` maps class ids ("0".."999") to English labels.

Ocelote extension: a file a person reviewed also gets `human_label`, an object
`{"label", "group", "class_id", "action", "reviewed_at"}` (`class_id` a key of
`classification_categories`, or null for a label the model does not know, e.g. "empty";
`action` "accept" or "correct"). The machine's detections stay as they were; tools that do not
know the field ignore it.

A video gets the format's video fields: `frame_rate`, `frames_processed` (the sampled frame
numbers) and, per detection, `frame_number`. As MegaDetector does, one representative detection
per category: the frame where that category's best label was most probable (each frame mapped
like a photo, from its own top-5).
"""

import json
from pathlib import Path

from engine.models.card import ModelCard
from engine.results.atomic import replacing
from engine.results.db import ResultsDB, utc_now
from engine.results.rows import FileRow, FrameRow, Review

FORMAT_VERSION = "1.6"
DETECTION_CATEGORIES = {"1": "animal", "2": "person", "3": "vehicle"}
_NOT_ANIMAL = {"people": "2", "vehicles": "3", "background": None}


def _human_label(review: Review) -> dict[str, object]:
    return {
        "label": review.label,
        "group": review.group,
        "class_id": None if review.class_index is None else str(review.class_index),
        "action": review.action,
        "reviewed_at": review.created_at,
    }


def _image_entry(row: FileRow, frames: list[FrameRow] | None = None) -> dict[str, object]:
    entry = _machine_entry(row, frames)
    if row.review is not None:
        entry["human_label"] = _human_label(row.review)
    return entry


def _detection(predictions: tuple) -> dict[str, object] | None:
    """The whole-frame detection for a top-5, or None when its best label is background."""
    _index, _label, group, score = predictions[0]
    category = _NOT_ANIMAL.get(group, "1")
    if category is None:
        return None
    return {
        "category": category,
        "conf": round(score, 4),
        "bbox": [0.0, 0.0, 1.0, 1.0],
        "classifications": [[str(i), round(s, 4)] for i, _lbl, _grp, s in predictions],
    }


def _video_fields(row: FileRow, frames: list[FrameRow]) -> dict[str, object]:
    best: dict[str, dict[str, object]] = {}
    for frame in frames:
        detection = _detection(frame.predictions) if frame.predictions else None
        if detection is None:
            continue
        known = best.get(str(detection["category"]))
        if known is None or float(detection["conf"]) > float(known["conf"]):  # type: ignore[arg-type]
            best[str(detection["category"])] = {**detection, "frame_number": frame.frame_number}
    return {
        "frame_rate": round(row.video.fps, 3) if row.video else 0,
        "frames_processed": [frame.frame_number for frame in frames],
        "detections": sorted(best.values(), key=lambda d: -float(d["conf"])),  # type: ignore[arg-type]
    }


def _machine_entry(row: FileRow, frames: list[FrameRow] | None = None) -> dict[str, object]:
    if row.status != "ok":
        return {"file": row.rel_path, "failure": row.error_code or row.status, "detections": None}
    entry: dict[str, object] = {"file": row.rel_path, "detections": []}
    if row.video is not None:
        entry.update(_video_fields(row, frames or []))
    else:
        detection = _detection(row.predictions)
        entry["detections"] = [detection] if detection else []
    if row.taken_at:
        entry["datetime"] = row.taken_at
    return entry


def export_megadetector(db: ResultsDB, card: ModelCard, path: Path) -> Path:
    run = db.latest_run() or {}
    document = {
        "info": {
            "format_version": FORMAT_VERSION,
            "detector": "none (whole-image classifier)",
            "classifier": f"{card.id} ({run.get('variant', '')})",
            "classification_completion_time": run.get("finished_at") or utc_now(),
            "classifier_metadata": {
                "backend": run.get("backend"),
                "model_sha256": run.get("model_sha256"),
                "attribution": card.attribution,
            },
        },
        "detection_categories": DETECTION_CATEGORIES,
        "classification_categories": {str(label.index): label.en for label in card.labels},
        "images": [
            _image_entry(row, db.frames(row.rel_path) if row.video else None)
            for row in db.iter_files()
        ],
    }
    with replacing(path) as partial:
        partial.write_text(json.dumps(document, indent=1, ensure_ascii=False), encoding="utf-8")
    return path

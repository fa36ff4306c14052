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

With boxes (a detector ran; see md_boxes): real boxes, per-detection classifications with
`classification_categories` and taxonomy in `classification_category_descriptions`,
`info.detector_metadata` with the detector's typical and conservative thresholds, and per
image `width`/`height`. `threshold` leaves out boxes below it (default: every stored box, at or
above the detector's floor; tools apply their own threshold when reading). Without a detector,
`info.ocelote_note` says the file is a first sort without boxes. `datetime` is written in
MegaDetector's EXIF form ("YYYY:MM:DD HH:MM:SS").

A video gets the format's video fields: `frame_rate`, `frames_processed` (the sampled frame
numbers) and, per detection, `frame_number`. As MegaDetector does, one representative detection
per category: the frame where that category's best label was most probable (each frame mapped
like a photo, from its own top-5).
"""

import json
from pathlib import Path

from engine.i18n import _
from engine.models.card import ModelCard
from engine.results.atomic import replacing
from engine.results.boxes import RunModels, run_models
from engine.results.db import ResultsDB, utc_now
from engine.results.md_boxes import Categories, box_detections
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


def exif_datetime(taken_at: str) -> str:
    """'2012-05-06T00:45:33' -> '2012:05:06 00:45:33', as MegaDetector copies it from EXIF."""
    return taken_at.replace("-", ":", 2).replace("T", " ", 1)


def _machine_entry(row: FileRow, frames: list[FrameRow] | None = None) -> dict[str, object]:
    if row.status != "ok":
        return {"file": row.rel_path, "failure": row.error_code, "detections": None}
    entry: dict[str, object] = {"file": row.rel_path, "detections": []}
    if row.video is not None:
        entry.update(_video_fields(row, frames or []))
    else:
        detection = _detection(row.predictions)
        entry["detections"] = [detection] if detection else []
    if row.taken_at:
        entry["datetime"] = exif_datetime(row.taken_at)
    return entry


def _box_entry(
    db: ResultsDB, row: FileRow, models: RunModels, threshold: float, categories: Categories
) -> dict[str, object]:
    if row.status != "ok":
        return {"file": row.rel_path, "failure": row.error_code, "detections": None}
    reviews = db.box_reviews(row.rel_path)
    entry: dict[str, object] = {"file": row.rel_path}
    if row.video is not None:
        entry["frame_rate"] = round(row.video.fps, 3)
        entry["frames_processed"] = [frame.frame_number for frame in db.frames(row.rel_path)]
    entry["detections"] = box_detections(row, reviews, threshold, models, categories)
    if row.width and row.height:
        entry["width"], entry["height"] = row.width, row.height
    if row.taken_at:
        entry["datetime"] = exif_datetime(row.taken_at)
    if row.review is not None:
        entry["human_label"] = _human_label(row.review)
    return entry


def _info(card: ModelCard, run: dict, models: RunModels) -> dict[str, object]:
    info: dict[str, object] = {
        "format_version": FORMAT_VERSION,
        "detector": "none (whole-image classifier)",
        "classifier": f"{card.id} ({run.get('variant', '')})",
        "classification_completion_time": run.get("finished_at") or utc_now(),
        "classifier_metadata": {
            "backend": run.get("backend"),
            "model_sha256": run.get("model_sha256"),
            "attribution": card.attribution,
        },
    }
    if not models.boxes_decide:
        info["ocelote_note"] = _(
            "First sort without boxes: no detector ran, each photo was labelled as a whole "
            "and its box is the whole frame."
        )
        return info
    detector = models.detector
    info["detector"] = detector.name if detector else models.detector_id
    info["detection_completion_time"] = info["classification_completion_time"]
    info["detector_metadata"] = {
        "megadetector_version": detector.raw.get("version", "") if detector else "",
        "model_id": models.detector_id,
        "typical_detection_threshold": models.typical,
        "conservative_detection_threshold": models.conservative,
    }
    return info


def export_megadetector(
    db: ResultsDB, card: ModelCard, path: Path, threshold: float | None = None
) -> Path:
    run = db.latest_run() or {}
    models = run_models(db, card)
    document: dict[str, object] = {"info": _info(card, run, models)}
    document["detection_categories"] = DETECTION_CATEGORIES
    if models.boxes_decide:
        categories = Categories(card)
        floor = threshold if threshold is not None else 0.0
        document["images"] = [
            _box_entry(db, row, models, floor, categories) for row in db.iter_files()
        ]
        document["classification_categories"] = categories.names()
        descriptions = categories.descriptions()
        if descriptions:
            document["classification_category_descriptions"] = descriptions
    else:
        document["classification_categories"] = {
            str(label.index): label.en for label in card.labels
        }
        document["images"] = [
            _image_entry(row, db.frames(row.rel_path) if row.video else None)
            for row in db.iter_files()
        ]
    with replacing(path) as partial:
        partial.write_text(json.dumps(document, indent=1, ensure_ascii=False), encoding="utf-8")
    return path

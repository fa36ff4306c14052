"""COCO Camera Traps JSON: the format LILA's data sets and many training tools read.

`images` (one per photo; one per sampled frame with boxes for a video, with `seq_id` and
`frame_num`), `categories` (the four-way answers, then each species or taxon found), and
`annotations`: one per box at or above the threshold, `bbox` in pixels `[x, y, width, height]`
of the EXIF-oriented photo with its `area`, `conf` the detector's confidence and, for
animals, `category_id` the species (rolled up when unsure) with `species_conf`; one "empty"
annotation without a box for a photo with no box above the threshold. Without a detector each
photo gets one annotation of its whole-frame answer and the `info` says it has no boxes.
"""

import json
from pathlib import Path

import engine
from engine.i18n import _
from engine.models.card import ModelCard
from engine.results.atomic import replacing
from engine.results.boxes import Box, RunModels, answer_at, boxes_at, run_models, species_of
from engine.results.db import ResultsDB, utc_now
from engine.results.rows import FileRow

FIXED = ("empty", "animal", "person", "vehicle")


class _Categories:
    def __init__(self) -> None:
        self.ids = {name: index for index, name in enumerate(FIXED)}

    def id_of(self, name: str) -> int:
        return self.ids.setdefault(name, len(self.ids))

    def listing(self) -> list[dict[str, object]]:
        return [{"id": index, "name": name} for name, index in self.ids.items()]


def _image(row: FileRow, image_id: int, frame: int | None) -> dict[str, object]:
    entry: dict[str, object] = {
        "id": image_id, "file_name": row.rel_path, "width": row.width, "height": row.height,
    }  # fmt: skip
    if row.taken_at:
        entry["datetime"] = row.taken_at.replace("T", " ")
    if frame is not None:
        entry.update(seq_id=row.rel_path, frame_num=frame)
    return entry


def _annotation(
    box: Box, image_id: int, row: FileRow, models: RunModels, categories: _Categories
) -> dict[str, object]:
    x, y, w, h = box.box
    width, height = row.width or 0, row.height or 0
    pixels = [round(x * width, 1), round(y * height, 1), round(w * width, 1), round(h * height, 1)]
    entry: dict[str, object] = {
        "image_id": image_id, "category_id": categories.id_of(box.category), "bbox": pixels,
        "area": round(pixels[2] * pixels[3], 1), "conf": round(box.conf, 4),
        "detection_category": box.category,
    }  # fmt: skip
    found = species_of(box, models.classifier)
    if found is not None:
        entry.update(category_id=categories.id_of(found.label), species_conf=round(found.score, 4))
        if found.scientific_name:
            entry["scientific_name"] = found.scientific_name
    return entry


def export_coco(db: ResultsDB, card: ModelCard, path: Path, threshold: float | None = None) -> Path:
    models = run_models(db, card)
    threshold = models.typical if threshold is None else threshold
    categories = _Categories()
    images: list[dict[str, object]] = []
    annotations: list[dict[str, object]] = []
    for row in db.iter_files():
        if row.status != "ok":
            continue
        shown = boxes_at(row.detections, threshold, db.box_reviews(row.rel_path))
        frames = sorted({box.frame_number for box in shown}, key=lambda f: -1 if f is None else f)
        if not row.is_video or not frames:
            frames = [None]
        for frame in frames:
            image_id = len(images)
            images.append(_image(row, image_id, frame))
            on_it = (
                [box for box in shown if box.frame_number == frame] if models.boxes_decide else []
            )
            for box in on_it:
                annotations.append(_annotation(box, image_id, row, models, categories))
            if not on_it:
                answer = "empty" if models.boxes_decide else answer_at(row, threshold, models)
                annotations.append(
                    {"image_id": image_id, "category_id": categories.id_of(answer or "empty")}
                )
    for number, annotation in enumerate(annotations):
        annotation["id"] = number
    info: dict[str, object] = {
        "version": "1.0", "date_created": utc_now(),
        "description": f"Ocelote {engine.__version__}: {card.name}",
        "detector": models.detector_id, "threshold": threshold,
    }  # fmt: skip
    if not models.boxes_decide:
        info["note"] = _("First sort without boxes: no detector ran; one label per photo.")
    document = {"info": info, "images": images, "annotations": annotations,
                "categories": categories.listing()}  # fmt: skip
    with replacing(path) as partial:
        partial.write_text(json.dumps(document, indent=1, ensure_ascii=False), encoding="utf-8")
    return path

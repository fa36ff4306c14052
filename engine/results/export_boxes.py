"""Pictures for people: copies of the photos with their boxes drawn, and the boxes' crops.

Read from the photos' folder (the run's source, or the one given), written under the output
folder only — never into the photos' folder, which is refused as a target. Boxes at or above
the threshold, one colour per category, each labelled with its category (or species) and
confidence. Crops go to `<species or category>/<photo name>_<n>.jpg`, cut from the
EXIF-oriented photo exactly on the box. Videos are left out (their boxes are on frames).
"""

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from PIL import Image, ImageDraw, ImageOps

from engine.i18n import _
from engine.models.card import ModelCard
from engine.results.atomic import ExportError
from engine.results.boxes import Box, RunModels, boxes_at, run_models, species_of
from engine.results.db import ResultsDB
from engine.results.records import disk_rel
from engine.results.rows import FileRow
from engine.results.sort_copies import safe_folder_name

COLOURS = {"animal": (230, 60, 40), "person": (40, 120, 230), "vehicle": (240, 200, 30)}


@dataclass
class PictureReport:
    path: Path
    written: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)


def _source_of(db: ResultsDB, source: Path | None) -> Path:
    if source is not None:
        return source
    run = db.latest_run() or {}
    return Path(str(run.get("source") or ""))


def _check_target(source: Path, out: Path) -> None:
    if out.resolve().is_relative_to(source.resolve()):
        raise ExportError(_("The output folder must not be inside the photos' folder."))


def caption(box: Box, models: RunModels) -> str:
    found = species_of(box, models.classifier)
    name = found.label if found is not None else box.category
    return f"{name} {box.conf:.2f}"


def _boxed_photos(
    db: ResultsDB, card: ModelCard, out: Path, threshold: float | None, source: Path | None
) -> tuple[RunModels, Path, Iterator[tuple[FileRow, list[Box]]]]:
    """What both picture exports start from: the models that ran, the photos' folder (never
    the parent of `out`), and each photo with its boxes above the threshold (the detector's
    typical one when None); photos without any are left out."""
    models = run_models(db, card)
    limit = models.typical if threshold is None else threshold
    source = _source_of(db, source)
    _check_target(source, out)
    found = (
        (row, boxes_at(row.detections, limit, db.box_reviews(row.rel_path)))
        for row in db.iter_files()
        if row.status == "ok" and not row.is_video
    )
    return models, source, ((row, boxes) for row, boxes in found if boxes)


def _open_upright(path: Path) -> Image.Image:
    with Image.open(path) as image:
        return ImageOps.exif_transpose(image).convert("RGB")


def draw_boxes(image: Image.Image, boxes: list[Box], models: RunModels) -> Image.Image:
    drawn = image.copy()
    pen = ImageDraw.Draw(drawn)
    width, height = drawn.size
    line = max(2, round(max(width, height) / 400))
    for box in boxes:
        x, y, w, h = box.box
        corners = (x * width, y * height, (x + w) * width, (y + h) * height)
        colour = COLOURS[box.category]
        pen.rectangle(corners, outline=colour, width=line)
        text = caption(box, models)
        left, top = corners[0], max(0, corners[1] - 12 * line)
        pen.rectangle(pen.textbbox((left, top), text, font_size=10 * line), fill=colour)
        pen.text((left, top), text, fill=(0, 0, 0), font_size=10 * line)
    return drawn


def export_boxes(
    db: ResultsDB, card: ModelCard, out: Path, threshold: float | None = None,
    source: Path | None = None,
) -> PictureReport:  # fmt: skip
    """Copies of every photo with a box above the threshold, boxes drawn, same sub-paths."""
    models, source, photos = _boxed_photos(db, card, out, threshold, source)
    report = PictureReport(out)
    for row, boxes in photos:
        target = out / PurePosixPath(row.rel_path)
        try:
            drawn = draw_boxes(_open_upright(source / disk_rel(row.rel_path)), boxes, models)
            target.parent.mkdir(parents=True, exist_ok=True)
            drawn.save(target.with_suffix(".jpg"), quality=90)
            report.written += 1
        except OSError as error:
            report.failed.append((row.rel_path, str(error)))
    return report


def _folder_name(box: Box, models: RunModels) -> str:
    found = species_of(box, models.classifier)
    try:
        return safe_folder_name(found.label if found else box.category)
    except ExportError:  # a name typed by a reviewer that cannot be a folder
        return box.category


def export_crops(
    db: ResultsDB, card: ModelCard, out: Path, threshold: float | None = None,
    source: Path | None = None,
) -> PictureReport:  # fmt: skip
    """Each box above the threshold as its own picture, in a folder per species or category."""
    models, source, photos = _boxed_photos(db, card, out, threshold, source)
    report = PictureReport(out)
    for row, boxes in photos:
        try:
            image = _open_upright(source / disk_rel(row.rel_path))
        except OSError as error:
            report.failed.append((row.rel_path, str(error)))
            continue
        width, height = image.size
        stem = PurePosixPath(row.rel_path).with_suffix("").as_posix().replace("/", "_")
        for number, box in enumerate(boxes):
            folder = out / _folder_name(box, models)
            x, y, w, h = box.box
            region = (round(x * width), round(y * height), round((x + w) * width),
                      round((y + h) * height))  # fmt: skip
            folder.mkdir(parents=True, exist_ok=True)
            image.crop(region).save(folder / f"{stem}_{number}.jpg", quality=92)
            report.written += 1
    return report

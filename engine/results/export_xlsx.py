"""XLSX export: the workbook a park biologist opens first, one sheet per table.

"Summary" (the run, counts per group, errors per reason), "Files" (the CSV's rows), "Predictions"
(a row per file and rank), "Errors" and, when there are videos, "Video frames" (a row per
sampled frame). When a detector ran: "Boxes" (a row per box at the threshold, with its
species) and the files per answer at that threshold in the summary.
Sheet names and headers are in the current language;
the values (label keys, group ids, error codes) stay language-independent beside translated
texts, as in the CSV. Written in openpyxl's write-only mode: rows stream to disk, so 20,000+
files take little memory, and all sheets are filled in one pass over the database.
"""

from collections import Counter
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from engine.errors import describe
from engine.i18n import _, language
from engine.models.card import ModelCard
from engine.results.atomic import replacing
from engine.results.box_columns import box_headers, box_values
from engine.results.boxes import RunModels, boxes_at, category_text, run_models, species_of
from engine.results.db import ResultsDB
from engine.results.export_csv import COLUMNS, row_values
from engine.results.rows import FileRow, FrameRow

_NUMERIC = {"confidence", "width", "height", "size_bytes", "frame_number", "frames_processed"}
_DECIMAL = {"confidence", "time_s", "motion", "fps", "duration_s", "first_seen_s", "last_seen_s"}
_WIDE = {"file": 48, "top5": 60, "error_message": 60, "labels_seen": 60}


def _file_headers() -> dict[str, str]:
    """Column id → header in the current language (made at call time, after set_language)."""
    return {
        "file": _("File"), "kind": _("Kind"), "status": _("Status"),
        "label_en": _("Label (English)"), "label_es": _("Label (Spanish)"),
        "group": _("Group id"), "group_en": _("Group (English)"), "group_es": _("Group (Spanish)"),
        "confidence": _("Confidence"), "top5": _("Top 5"), "taken_at": _("Taken at"),
        "camera_make": _("Camera make"), "camera_model": _("Camera model"),
        "camera_serial": _("Camera serial"), "width": _("Width"), "height": _("Height"),
        "size_bytes": _("Size (bytes)"), "error_code": _("Error code"),
        "error_message": _("What happened"), "reviewed_label": _("Reviewed label"),
        "reviewed_group": _("Reviewed group"), "classification_method": _("Classified by"),
        "frame_number": _("Frame"), "time_s": _("Time in video (s)"), "motion": _("Motion"),
        "fps": _("Frames per second"), "duration_s": _("Duration (s)"),
        "frames_processed": _("Frames classified"), "first_seen_s": _("First seen (s)"),
        "last_seen_s": _("Last seen (s)"), "labels_seen": _("Labels seen"), **box_headers(),
    }  # fmt: skip


def _sheet(book: Workbook, title: str, headers: list[str], widths: list[int]):
    """A write-only sheet with a bold, frozen header row; widths must precede the rows."""
    sheet: WriteOnlyWorksheet = book.create_sheet(title)
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    cells = []
    for header in headers:
        cell = WriteOnlyCell(sheet, value=header)
        cell.font = bold
        cells.append(cell)
    sheet.append(cells)
    return sheet


def _files_row(
    row: FileRow, card: ModelCard, frames: list[FrameRow], boxes: dict[str, object]
) -> list[object]:
    values = {**row_values(row, card, frames), **boxes}
    for key in _NUMERIC | _DECIMAL:
        if values.get(key) not in (None, ""):
            values[key] = float(values[key]) if key in _DECIMAL else int(values[key])
    return [values.get(key, "") for key in COLUMNS]


def _frame_rows(row: FileRow, frames: list[FrameRow], card: ModelCard) -> list[list[object]]:
    lines = []
    for frame in frames:
        index, label, group, score = frame.predictions[0] if frame.predictions else (0, "", "", 0)
        lines.append(
            [row.rel_path, frame.frame_number, frame.time_s, frame.motion,
             card.label_text(index, language()) if label else "", label,
             card.group_text(group, language()) if group else "", group, round(score, 6)]
        )  # fmt: skip
    return lines


def _frames_sheet(book: Workbook):
    return _sheet(
        book,
        _("Video frames"),
        [_("File"), _("Frame"), _("Time in video (s)"), _("Motion"), _("Label"), _("Label key"),
         _("Group"), _("Group id"), _("Confidence")],
        [48, 10, 16, 10, 32, 32, 28, 20, 12],
    )  # fmt: skip


def _prediction_rows(row: FileRow, card: ModelCard) -> list[list[object]]:
    return [
        [row.rel_path, rank + 1, card.label_text(index, language()), label,
         card.group_text(group, language()), group, round(score, 6)]
        for rank, (index, label, group, score) in enumerate(row.predictions)
    ]  # fmt: skip


def _boxes_sheet(book: Workbook):
    return _sheet(
        book, _("Boxes"),
        [_("File"), _("Frame"), _("Category"), _("Confidence"), "x", "y", _("Width"),
         _("Height"), _("Species"), _("Scientific name"), _("Species confidence")],
        [48, 8, 12, 12, 10, 10, 10, 10, 32, 32, 16],
    )  # fmt: skip


def _box_rows(row: FileRow, reviews: tuple, models: RunModels, threshold: float) -> list[list]:
    lines = []
    for box in boxes_at(row.detections, threshold, reviews):
        found = species_of(box, models.classifier)
        lines.append(
            [row.rel_path, box.frame_number, box.category, round(box.conf, 4), *box.box,
             found.label if found else "", found.scientific_name if found else "",
             round(found.score, 4) if found else None]
        )  # fmt: skip
    return lines


def _summary(sheet, db: ResultsDB, card: ModelCard, counts: Counter) -> None:
    run = db.latest_run() or {}
    lines: list[list[object]] = [
        [_("Model"), f"{card.name} ({card.id})"],
        [_("Variant"), run.get("variant", "")],
        [_("Backend"), run.get("backend", "")],
        [_("Source folder"), run.get("source", "")],
        [_("Started (UTC)"), run.get("started_at", "")],
        [_("Finished (UTC)"), run.get("finished_at") or ""],
        [_("Run status"), run.get("status", "")],
        [_("Files"), counts["files"]],
        [_("Classified"), counts["ok"]],
        [_("Reviewed by a person"), counts["reviewed"]],
        [_("Errors"), counts["error"]],
        [],
        [_("Group"), _("Files")],
    ]
    groups = Counter(db.top_group_counts())
    lines += [[card.group_text(group, language()), n] for group, n in groups.most_common()]
    if counts.get("threshold") is not None:
        lines += [[], [_("At confidence {threshold}").format(threshold=counts["threshold"]),
                       _("Files")]]  # fmt: skip
        answers = ("animal", "person", "vehicle", "empty")
        lines += [[category_text(name), counts[f"answer:{name}"]] for name in answers]
    lines += [[], [_("Error"), _("Files")]]
    errors = Counter(db.error_counts())
    lines += [[describe(code), n] for code, n in errors.most_common()]
    for line in lines:
        sheet.append(line)


def export_xlsx(db: ResultsDB, card: ModelCard, path: Path, threshold: float | None = None) -> Path:
    """Write the workbook under a temporary name and rename it, like the other exports."""
    models = run_models(db, card)
    threshold = models.typical if threshold is None else threshold
    book = Workbook(write_only=True)
    headers = _file_headers()
    summary = _sheet(book, _("Summary"), [_("Item"), _("Value")], [36, 60])
    files = _sheet(
        book,
        _("Files"),
        [headers[key] for key in COLUMNS],
        [_WIDE.get(key, 16) for key in COLUMNS],
    )
    predictions = _sheet(
        book,
        _("Predictions"),
        [_("File"), _("Rank"), _("Label"), _("Label key"), _("Group"), _("Group id"),
         _("Confidence")],
        [48, 8, 32, 32, 28, 20, 12],
    )  # fmt: skip
    errors = _sheet(
        book, _("Errors"), [_("File"), _("Error code"), _("What happened")], [48, 20, 80]
    )
    video_frames = None  # made at the first video: a photo-only card keeps four sheets
    boxes = _boxes_sheet(book) if models.boxes_decide else None
    counts: Counter = Counter()
    if models.boxes_decide:
        counts["threshold"] = threshold
    for row in db.iter_files():
        counts["files"] += 1
        counts[row.status] += 1
        counts["reviewed"] += row.review is not None
        frames = db.frames(row.rel_path) if row.video is not None else []
        reviews = db.box_reviews(row.rel_path)
        found = box_values(row, reviews, models, threshold)
        files.append(_files_row(row, card, frames, found))
        if boxes is not None:
            counts[f"answer:{found.get('answer')}"] += 1
            for line in _box_rows(row, reviews, models, threshold):
                boxes.append(line)
        if frames and video_frames is None:
            video_frames = _frames_sheet(book)
        for line in _frame_rows(row, frames, card):
            video_frames.append(line)
        for line in _prediction_rows(row, card):
            predictions.append(line)
        if row.status == "error":
            errors.append([row.rel_path, row.error_code, describe(str(row.error_code))])
    _summary(summary, db, card, counts)
    with replacing(path) as partial:
        book.save(partial)
    return path

"""CSV export: one row per file, labels and groups in both languages, errors in words.

A person's review, when there is one, sits in the last columns beside the machine's label
(`reviewed_label`, `reviewed_group`, `classification_method` human); it never replaces it.
"""

import csv
from pathlib import Path

from engine.errors import describe
from engine.models.card import ModelCard
from engine.results.atomic import replacing
from engine.results.db import FileRow, ResultsDB

COLUMNS = [
    "file", "kind", "status", "label_en", "label_es", "group", "group_en", "group_es",
    "confidence", "top5", "taken_at", "camera_make", "camera_model", "camera_serial",
    "width", "height", "size_bytes", "error_code", "error_message",
    "reviewed_label", "reviewed_group", "classification_method",
]  # fmt: skip


def row_values(row: FileRow, card: ModelCard) -> dict[str, object]:
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
        index, _label, group, score = row.predictions[0]
        values.update(
            label_en=card.labels[index].en,
            label_es=card.labels[index].es,
            group=group,
            group_en=card.groups[group].en,
            group_es=card.groups[group].es,
            confidence=f"{score:.4f}",
            top5="; ".join(f"{label}={score:.4f}" for _i, label, _g, score in row.predictions),
            classification_method="machine",
        )
    if row.review is not None:
        values.update(
            reviewed_label=row.review.label,
            reviewed_group=row.review.group,
            classification_method="human",
        )
    return values


def export_csv(db: ResultsDB, card: ModelCard, path: Path) -> Path:
    """Written to a temporary name and renamed, so a crash never leaves half a file."""
    with replacing(path) as partial, partial.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS, restval="")
        writer.writeheader()
        for row in db.iter_files():
            writer.writerow(row_values(row, card))
    return path

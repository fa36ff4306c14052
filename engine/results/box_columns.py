"""Per-file box columns for the CSV and XLSX exports, read at a threshold.

`answer` is empty / animal / person / vehicle; `animals`, `persons`, `vehicles` count the
boxes of each category at or above the threshold (a person's box verdicts applied);
`species` lists what the animal boxes hold (rolled up to a genus, family… when the classifier
was unsure) and `scientific_names` the same in Latin where the taxonomy is known.
Without a detector these columns stay empty and `answer` comes from the whole-frame label.
"""

from engine.i18n import _
from engine.results.boxes import Box, RunModels, answer_at, boxes_at, category_counts, species_of
from engine.results.rows import BoxReview, FileRow

BOX_COLUMNS = [
    "threshold", "answer", "animals", "persons", "vehicles", "species", "scientific_names",
]  # fmt: skip


def box_headers() -> dict[str, str]:
    return {
        "threshold": _("Threshold"), "answer": _("Empty, animal, person or vehicle"),
        "animals": _("Animal boxes"), "persons": _("Person boxes"),
        "vehicles": _("Vehicle boxes"), "species": _("Species in the boxes"),
        "scientific_names": _("Scientific names"),
    }  # fmt: skip


def _names(boxes: list[Box], models: RunModels) -> tuple[list[str], list[str]]:
    labels, latin = [], []
    for box in boxes:
        found = species_of(box, models.classifier)
        if found is None:
            continue
        if found.label not in labels:
            labels.append(found.label)
        if found.scientific_name and found.scientific_name not in latin:
            latin.append(found.scientific_name)
    return labels, latin


def box_values(
    row: FileRow, reviews: tuple[BoxReview, ...], models: RunModels, threshold: float
) -> dict[str, object]:
    """A file's box columns (empty strings where they do not apply)."""
    if row.status != "ok":
        return {}
    values: dict[str, object] = {"threshold": threshold}
    if not models.boxes_decide:
        values["answer"] = answer_at(row, threshold, models) or ""
        return values
    shown = boxes_at(row.detections, threshold, reviews)
    counts = category_counts(shown)
    labels, latin = _names(shown, models)
    values.update(
        answer=max(shown, key=lambda b: b.conf).category if shown else "empty",
        animals=counts["animal"], persons=counts["person"], vehicles=counts["vehicle"],
        species="; ".join(labels), scientific_names="; ".join(latin),
    )  # fmt: skip
    return values

"""Plain-language notes beside a variant's figures: what it does and does not buy, measured."""

from __future__ import annotations

from engine.i18n import _, fmt_number
from engine.optimize.evaluate import Evaluation
from engine.optimize.reviewed import Reviewed

FASTER = 1.05  # below 5% faster, timing noise on a busy PC could explain it


def speed_notes(result: Evaluation, original: Evaluation) -> list[str]:
    """ "Not faster" per backend where `result` is under 5 % faster than `original`."""
    notes = []
    for speed in result.speeds:
        before = original.speed(speed.backend)
        if before and speed.images_per_second < before * FASTER:
            notes.append(
                _("Not faster than the original on {backend} ({new} vs {old} images/s).").format(
                    backend=speed.backend,
                    new=fmt_number(speed.images_per_second, 1),
                    old=fmt_number(before, 1),
                )
            )
    return notes


def notes_for(
    method: str, result: Evaluation, original: Evaluation, reviewed: Reviewed | None
) -> tuple[str, ...]:
    """Notes for the table and the CLI, in the user's language."""
    notes = speed_notes(result, original)
    if method == "prune-magnitude":
        notes.append(
            _(
                "Zeroed weights are multiplied like any others: onnxruntime runs this model no "
                "faster; only the file is smaller (zipped: {zipped})."
            ).format(zipped=fmt_number(result.zipped_bytes / 2**20, 1) + " MB")
        )
    if reviewed is None:
        notes.append(_("No reviewed photos: accuracy could not be measured (review photos first)."))
    elif reviewed.skipped:
        notes.append(
            _("{count} reviews name no class of this model and were not counted.").format(
                count=reviewed.skipped
            )
        )
    return tuple(notes)

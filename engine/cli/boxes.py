"""What the commands print about boxes: counts at a threshold, and the honest note when no
detector ran (a first sort without boxes)."""

import argparse

from engine.detection.country import CountryError
from engine.i18n import _, fmt_number
from engine.results.boxes import Counts, RunModels, category_text


def add_threshold_argument(parser: argparse.ArgumentParser) -> None:
    """`--threshold`, read-time: the same option on classify, export and sort."""
    parser.add_argument(
        "--threshold", type=float, metavar="T",
        help=_("confidence from which a box counts (default: the detector's typical one)"),
    )  # fmt: skip


def check_threshold(threshold: float | None) -> None:
    if threshold is not None and not 0.0 <= threshold <= 1.0:
        raise ValueError(threshold)


def usage_message(error: Exception) -> str:
    if isinstance(error, CountryError):
        return _("{code} is not a country code: use three letters, e.g. COL for Colombia.").format(
            code=error.args[0]
        )
    return _("The threshold is a confidence between 0 and 1, e.g. 0.2.")


def threshold_lines(counts: Counts, models: RunModels, most: int = 8) -> list[str]:
    """Files per answer and the species seen, at the threshold; or the note without boxes."""
    if not models.boxes_decide:
        return [_("First sort without boxes: no detector ran, each photo was labelled as a whole.")]
    answers = ", ".join(
        f"{category_text(name)} {fmt_number(counts.answers.get(name, 0))}"
        for name in ("animal", "person", "vehicle", "empty")
    )
    lines = [
        _("At confidence {threshold}: {answers}").format(
            threshold=fmt_number(counts.threshold, 2), answers=answers
        )
    ]
    if counts.species:
        seen = ", ".join(
            f"{name} ({fmt_number(n)})" for name, n in counts.species.most_common(most)
        )
        lines.append(_("Species in the boxes: {species}").format(species=seen))
    return lines

"""The answers a person gave: a labels CSV (`file`, `four_way`, optional `species`,
`sequence_id`), or the reviews stored in the results folder."""

import csv
from dataclasses import dataclass
from pathlib import Path

from engine.i18n import _
from engine.results.four_way import FOUR_WAY, group_four_way
from engine.results.rows import FileRow


class TruthError(Exception):
    """The labels cannot be used; the message says why, in the user's language."""


@dataclass(frozen=True)
class Truth:
    four_way: str
    species: str = ""
    sequence: str = ""


def read_truth_csv(path: Path) -> dict[str, Truth]:
    """rel path (as stored, '/' separated) → the person's answer."""
    try:
        with open(path, newline="", encoding="utf-8-sig") as handle:
            reader = csv.DictReader(handle)
            missing = {"file", "four_way"} - set(reader.fieldnames or ())
            if missing:
                raise TruthError(
                    _(
                        "{path} has no column {column}: a labels file needs file and four_way."
                    ).format(path=path, column=", ".join(sorted(missing)))
                )
            labels: dict[str, Truth] = {}
            for line, row in enumerate(reader, start=2):
                answer = (row.get("four_way") or "").strip().lower()
                if answer not in FOUR_WAY:
                    raise TruthError(
                        _(
                            "{path}, line {line}: four_way is {value!r}, not one of {choices}."
                        ).format(path=path, line=line, value=answer, choices=", ".join(FOUR_WAY))
                    )
                rel = (row.get("file") or "").strip().replace("\\", "/")
                labels[rel] = Truth(answer, (row.get("species") or "").strip(),
                                    (row.get("sequence_id") or "").strip())  # fmt: skip
            return labels
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        raise TruthError(
            _("Cannot read {path}: {reason}").format(path=path, reason=error)
        ) from error


def reviewed_truth(rows: list[FileRow]) -> dict[str, Truth]:
    """The files a person reviewed in the window: their verdict as the four-way answer."""
    labels = {}
    for row in rows:
        if row.review is None:
            continue
        if row.review.label.strip().lower() in FOUR_WAY:
            labels[row.rel_path] = Truth(row.review.label.strip().lower())
        else:
            labels[row.rel_path] = Truth(group_four_way(row.review.group), row.review.label)
    return labels

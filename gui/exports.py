"""The Export menu: one entry per engine export format, plus "sort copies into folders".

No export logic here: the engine's registry (`engine.results.exporters.FORMATS`) names the
formats and writes them; this module only says whether each wants a file or a folder.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from engine.i18n import _, language
from engine.models.card import ModelCard
from engine.pipeline.job import RESULTS_DB
from engine.results import exporters
from engine.results.db import ResultsDB
from engine.results.export_camtrapdp import export_camtrapdp
from engine.results.sort_copies import sort_copies
from gui.jobs import TaskControl

SORT = "sort"
FOLDER_FORMATS = {"camtrapdp", "boxes", "crops", SORT}  # written as a folder of files


@dataclass(frozen=True)
class MenuEntry:
    id: str
    title: Callable[[], str]  # called when the menu is (re)built, so it follows the language
    default_name: str
    needs_options: bool  # Camtrap DP: the user confirms the clock's offset and the place

    @property
    def target(self) -> str:
        return "folder" if self.id in FOLDER_FORMATS else "file"


def menu_entries() -> list[MenuEntry]:
    entries = [
        MenuEntry(
            name,
            lambda name=name: exporters.format_titles()[name] + "…",
            fmt.default_name,
            fmt.needs_camtrap_options,
        )
        for name, fmt in sorted(exporters.FORMATS.items(), key=lambda pair: pair[0] != "xlsx")
    ]  # the workbook first: it is what opens right in Excel (dates, filters); the CSV is for
    # programs (comma, decimal point, UTF-8 with BOM)
    entries.append(
        MenuEntry(SORT, lambda: _("Sort copies into folders by group…"), "sorted", False)
    )
    return entries


def folder_name(card: ModelCard, group: str, lang: str) -> str:
    """A sorted folder is named in the user's language ("Pequeños carnívoros"), not by its id;
    "Background / empty" becomes "Background - empty" (a slash would make two folders)."""
    name = card.group_text(group, lang) if group in card.groups else group
    return re.sub(r"\s*[/\\]\s*", " - ", name)


def target_in(chosen: Path, default_name: str) -> Path:
    """The folder an export writes into: a new `default_name` folder inside the one chosen,
    unless the one chosen already is it (choosing "sorted" must not give sorted/sorted)."""
    return chosen if chosen.name == default_name else chosen / default_name


def run_export(
    entry: MenuEntry,
    out_dir: Path,
    source: Path | None,
    card: ModelCard,
    target: Path,
    options: object,
    control: TaskControl,
) -> object:
    """Runs on a worker thread with its own database connection."""
    with ResultsDB(out_dir / RESULTS_DB) as db:
        if entry.id == SORT:
            if source is None:
                raise exporters.ExportError(_("The folder of the photos is not known."))
            return sort_copies(
                db,
                source,
                target,
                on_progress=control.progress,
                cancel=control.cancel,
                name_of=lambda group: folder_name(card, group, language()),
            )
        if entry.needs_options:  # Camtrap DP: its report says what was dated and set aside
            return export_camtrapdp(db, card, target, options)  # type: ignore[arg-type]
        return exporters.export(entry.id, db, card, target, camtrap=options)  # type: ignore[arg-type]

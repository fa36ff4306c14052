"""The Export menu: one entry per engine export format, plus "sort copies into folders".

No export logic here: the engine's registry (`engine.results.exporters.FORMATS`) names the
formats and writes them; this module only says whether each wants a file or a folder.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from engine.i18n import _
from engine.models.card import ModelCard
from engine.pipeline.job import RESULTS_DB
from engine.results import exporters
from engine.results.db import ResultsDB
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
        for name, fmt in exporters.FORMATS.items()
    ]
    entries.append(
        MenuEntry(SORT, lambda: _("Sort copies into folders by group…"), "sorted", False)
    )
    return entries


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
                db, source, target, on_progress=control.progress, cancel=control.cancel
            )
        return exporters.export(entry.id, db, card, target, camtrap=options)  # type: ignore[arg-type]

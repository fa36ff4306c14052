"""Every export format in one place, for the `ocelote export` command and the window's menu.

A format is a name (what the user types), a title (translated when shown), where it goes by
default inside the results folder, and the function that writes it. Camtrap DP alone needs
more from the user (UTC offset, coordinates): `CamtrapOptions`. Every format reads boxes at a
`threshold` (None: the detector's typical one); "boxes" and "crops" write pictures into a
folder, read from the photos' folder (`source`, by default the run's).
"""

from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from engine.i18n import _
from engine.models.card import ModelCard
from engine.results.atomic import ExportError
from engine.results.db import ResultsDB
from engine.results.export_boxes import export_boxes, export_crops
from engine.results.export_camtrapdp import CamtrapOptions, export_camtrapdp
from engine.results.export_coco import export_coco
from engine.results.export_csv import export_csv
from engine.results.export_megadetector import export_megadetector
from engine.results.export_xlsx import export_xlsx

Writer = Callable[..., Path]  # (db, card, path, threshold=...) -> path


@dataclass(frozen=True)
class ExportFormat:
    name: str
    default_name: str  # a file, or a folder for Camtrap DP
    needs_camtrap_options: bool
    write: Writer | None  # None: needs options, see `export`

    @property
    def title(self) -> str:
        return format_titles()[self.name]


def format_titles() -> dict[str, str]:
    """Titles in the current language (made at call time, after the language is set)."""
    return {
        "csv": _("CSV table (one row per file)"),
        "json": _("MegaDetector JSON (Timelapse and other tools)"),
        "xlsx": _("Excel workbook with summary"),
        "camtrapdp": _("Camtrap DP 1.0 data package (GBIF, Agouti)"),
        "coco": _("COCO Camera Traps JSON (boxes and species)"),
        "boxes": _("Copies of the photos with their boxes drawn"),
        "crops": _("The boxes cut out, one folder per species"),
    }


FORMATS: dict[str, ExportFormat] = {
    "csv": ExportFormat("csv", "results.csv", False, export_csv),
    "json": ExportFormat("json", "results.json", False, export_megadetector),
    "xlsx": ExportFormat("xlsx", "results.xlsx", False, export_xlsx),
    "camtrapdp": ExportFormat("camtrapdp", "camtrap-dp", True, None),
    "coco": ExportFormat("coco", "results-coco.json", False, export_coco),
    "boxes": ExportFormat("boxes", "boxes", False, None),
    "crops": ExportFormat("crops", "crops", False, None),
}
PICTURES = {"boxes": export_boxes, "crops": export_crops}


def export(
    name: str,
    db: ResultsDB,
    card: ModelCard,
    path: Path,
    camtrap: CamtrapOptions | None = None,
    threshold: float | None = None,
    source: Path | None = None,
) -> Path:
    """Write format `name` to `path`; raise ExportError with a message for the user."""
    if name not in FORMATS:
        raise ExportError(
            _("Unknown export format {name}; use one of: {names}.").format(
                name=name, names=", ".join(FORMATS)
            )
        )
    chosen = FORMATS[name]
    if chosen.write is not None:
        return chosen.write(db, card, path, threshold=threshold)
    if name in PICTURES:
        report = PICTURES[name](db, card, path, threshold, source)
        if report.failed:
            raise ExportError(
                _("{count} photos could not be read, e.g. {file}: {reason}").format(
                    count=len(report.failed), file=report.failed[0][0],
                    reason=report.failed[0][1],
                )
            )  # fmt: skip
        return report.path
    if camtrap is None:
        raise ExportError(
            _("Camtrap DP needs the UTC offset of the cameras' clocks and the coordinates.")
        )
    if threshold is not None:
        camtrap = replace(camtrap, threshold=threshold)
    return export_camtrapdp(db, card, path, camtrap).path

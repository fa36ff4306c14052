"""Sort into folders: copy each classified file into `OUT/<group or label>/<its sub-path>`.

Never moves, never overwrites, never writes outside OUT:
- the folder name is a group id or an English label key (a reviewed file goes by the person's
  verdict); a name that is empty, `.`/`..`, absolute or holds a path separator is refused for
  that file, with the reason in the report; characters Windows forbids become `_`;
- each copy goes to a temporary name in the target folder, is checked by SHA-256 against the
  source, then renamed into place;
- resumable: a file already there with the same content is skipped; a different file there is
  kept and the copy gets a suffix (`name (1).jpg`).
"""

import os
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath, PureWindowsPath

from engine.hashing import sha256_of
from engine.i18n import _
from engine.models.store import DEFAULT_MODEL_ID, find_card
from engine.pipeline.cancel import CancelToken
from engine.results.atomic import ExportError
from engine.results.box_folders import BOX_SORTS, box_folder
from engine.results.boxes import run_models
from engine.results.db import ResultsDB
from engine.results.records import disk_rel
from engine.results.rows import FileRow

SORT_BY = ("group", "label", *BOX_SORTS)
_WINDOWS_FORBIDDEN = re.compile(r'[<>:"|?*\x00-\x1f]')
ProgressCallback = Callable[[int, int], None]


@dataclass
class SortReport:
    copied: int = 0
    skipped: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)  # (file, reason)
    cancelled: bool = False
    not_classified: int = 0  # files with an error: nothing to sort them by, so not copied


def safe_folder_name(name: str) -> str:
    """A single, harmless path component made from a label; refuse one that would escape."""
    cleaned = name.strip()
    escapes = (
        cleaned in ("", ".", "..")
        or "/" in cleaned
        or "\\" in cleaned
        or PurePosixPath(cleaned).is_absolute()
        or PureWindowsPath(cleaned).drive != ""
    )
    if escapes:
        raise ExportError(
            _('The name "{name}" cannot be a folder name inside the output folder.').format(
                name=name
            )
        )
    return _WINDOWS_FORBIDDEN.sub("_", cleaned).rstrip(". ") or "_"


def folder_for(row: FileRow, by: str) -> str:
    """The person's verdict wins over the machine's best label."""
    if row.review is not None:
        return row.review.group if by == "group" else row.review.label
    _index, label, group, _score = row.predictions[0]
    return group if by == "group" else label


def _relative(rel_path: str) -> PurePosixPath:
    rel = PurePosixPath(rel_path)
    if rel.is_absolute() or ".." in rel.parts or not rel.parts:
        raise ExportError(_("The path {path} leaves the source folder.").format(path=rel_path))
    return rel


def _free_target(target: Path, digest: str) -> Path | None:
    """Where the copy goes: None if an identical copy is there already."""
    candidate, number = target, 0
    while candidate.exists():
        if candidate.is_file() and sha256_of(candidate) == digest:
            return None
        number += 1
        candidate = target.with_name(f"{target.stem} ({number}){target.suffix}")
    return candidate


def copy_verified(source: Path, target: Path) -> bool:
    """Copy `source` to `target` (or a suffixed name); False if it was already there."""
    digest = sha256_of(source)
    final = _free_target(target, digest)
    if final is None:
        return False
    final.parent.mkdir(parents=True, exist_ok=True)
    temporary = final.with_name(f".{final.name}.ocelote-partial")
    try:
        shutil.copy2(source, temporary)
        if sha256_of(temporary) != digest:
            raise ExportError(_("The copy differs from the original; check the disk."))
        os.replace(temporary, final)
    finally:
        temporary.unlink(missing_ok=True)
    return True


def _plan(
    db: ResultsDB, by: str, threshold: float | None, report: SortReport
) -> list[tuple[str, str]]:
    """(file, folder) of every classified file: small tuples, so 20,000 files fit easily."""
    if by in BOX_SORTS:
        models = run_models(db, find_card(model_of(db)))
        limit = models.typical if threshold is None else threshold
    plan = []
    for row in db.iter_files():
        if by in BOX_SORTS and row.status == "ok":
            folder = box_folder(row, db.box_reviews(row.rel_path), models, limit, by)
            plan.append((row.rel_path, folder))
        elif by not in BOX_SORTS and row.predictions:
            plan.append((row.rel_path, folder_for(row, by)))
        else:
            report.not_classified += 1
    return plan


def model_of(db: ResultsDB) -> str:
    return str((db.latest_run() or {}).get("model_id") or DEFAULT_MODEL_ID)


def sort_copies(
    db: ResultsDB,
    source: Path,
    out: Path,
    by: str = "group",
    on_progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
    threshold: float | None = None,
    name_of: Callable[[str], str] | None = None,
) -> SortReport:
    """Copy every classified file of `source` into `out`, sorted; see the module's rules.

    `name_of` turns a group id or label key into the folder's name (the window passes the
    names in the user's language); the exports keep the ids.
    """
    if by not in SORT_BY:
        raise ExportError(_("Sort by group, label, category or species, not {by}.").format(by=by))
    if out.resolve().is_relative_to(source.resolve()):
        raise ExportError(_("The output folder must not be inside the photos' folder."))
    report = SortReport()
    plan = _plan(db, by, threshold, report)
    for done, (rel_path, folder) in enumerate(plan, start=1):
        if cancel is not None and cancel.cancelled:
            report.cancelled = True
            break
        try:
            name = name_of(folder) if name_of is not None else folder
            on_disk = disk_rel(rel_path)  # the copy keeps the name the file has on the card
            target = out / safe_folder_name(name) / _relative(on_disk)
            if copy_verified(source / on_disk, target):
                report.copied += 1
            else:
                report.skipped += 1
        except (ExportError, OSError) as error:
            report.failed.append((rel_path, str(error)))
        if on_progress is not None:
            on_progress(done, len(plan))
    return report

"""Before a run: what is on disk now against what the results remember.

- A file whose size and content fingerprint match its row is already done (a same-size,
  same-time rewrite is not: engine.results.fingerprint).
- A remembered file no longer on disk is marked gone: kept for history, out of counts and
  exports. One that comes back is present again.
- A new name whose content matches a file no longer there is that file renamed: its row and
  its person's review move to the new name; it is not classified again.
- Files under a folder that cannot be listed now are not called gone: they may still be there.
"""

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from engine.errors import ErrorCode
from engine.media.discover import Found, Problem, discover
from engine.results.db import KnownFile, ResultsDB
from engine.results.fingerprint import fingerprint
from engine.results.records import storable_path

FOUND_STEP = 1000
"""How often (in files found) discovery reports progress: 100,000 files take seconds."""


@dataclass
class Collected:
    """What a run has to do, and what reconciling changed."""

    todo: list[Found] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    already: int = 0
    gone: int = 0
    renamed: int = 0
    found: int = 0


@dataclass
class _Pending:
    known: dict[str, KnownFile]
    present: set[str] = field(default_factory=set)
    unlisted: list[str] = field(default_factory=list)  # folders that cannot be listed now
    back: list[str] = field(default_factory=list)
    fingerprints: list[tuple[str, str]] = field(default_factory=list)
    new: list[Found | Problem] = field(default_factory=list)


def collect(
    db: ResultsDB,
    source: Path,
    out_dir: Path,
    resume: bool,
    on_found: Callable[[int], None] | None = None,
) -> Collected:
    """Walk `source`, reconcile the database with it, and return the files still to do."""
    pending = _Pending(db.known_files())
    result = Collected()
    results_folder = os.path.realpath(out_dir)
    for item in discover(source):
        result.found += 1
        if on_found is not None and result.found % FOUND_STEP == 0:
            on_found(result.found)
        if _inside(os.path.realpath(item.path), results_folder):
            continue
        _sort(item, pending, result, resume)
    missing = {
        rel: known
        for rel, known in pending.known.items()
        if rel not in pending.present and not _under(rel, pending.unlisted)
    }
    renamed = _renamed(pending.new, missing)
    arrived = {new for _old, new in renamed}
    for item in pending.new:
        if resume and storable_path(item.rel) in arrived:
            result.already += 1
        elif isinstance(item, Problem):
            result.problems.append(item)
        else:
            result.todo.append(item)
    moved = {old for old, _new in renamed}
    gone = [rel for rel, known in missing.items() if not known.gone and rel not in moved]
    db.reconcile(gone, pending.back, renamed, pending.fingerprints)
    result.gone, result.renamed = len(gone), len(renamed)
    return result


def _sort(item: Found | Problem, pending: _Pending, result: Collected, resume: bool) -> None:
    """Count `item` as done, or keep it for the run."""
    rel = storable_path(item.rel)
    pending.present.add(rel)
    if isinstance(item, Problem) and item.code == ErrorCode.FOLDER_UNREADABLE:
        pending.unlisted.append(rel)
    known = pending.known.get(rel)
    if known is not None and known.gone:
        pending.back.append(rel)
    if resume and known is not None and _unchanged(item, rel, known, pending):
        result.already += 1
    else:
        pending.new.append(item)


def _unchanged(item: Found | Problem, rel: str, known: KnownFile, pending: _Pending) -> bool:
    """Whether the stored result still describes the file on disk."""
    if known.size != item.size:
        return False
    if isinstance(item, Problem):  # cheap to report again; its content may not be readable
        return known.mtime_ns == item.mtime_ns
    if known.fingerprint is None:  # stored before fingerprints: trust size and time once
        if not known.ok or known.mtime_ns != item.mtime_ns:
            return False
        now = fingerprint(item.path)
        if now is not None:
            pending.fingerprints.append((rel, now))
        return True
    return fingerprint(item.path) == known.fingerprint


def _renamed(new: list[Found | Problem], missing: dict[str, KnownFile]) -> list[tuple[str, str]]:
    """(old name, new name) for new files whose content is that of a file no longer there."""
    by_content: dict[tuple[int | None, str], str] = {
        (known.size, known.fingerprint): rel
        for rel, known in sorted(missing.items())
        if known.fingerprint is not None
    }
    sizes = {size for size, _fp in by_content}
    moves = []
    for item in new:
        if not isinstance(item, Found) or item.size not in sizes:
            continue
        old = by_content.pop((item.size, fingerprint(item.path) or ""), None)
        if old is not None:
            moves.append((old, storable_path(item.rel)))
    return moves


def _inside(real: str, folder: str) -> bool:
    return real == folder or real.startswith(folder.rstrip(os.sep) + os.sep)


def _under(rel: str, folders: list[str]) -> bool:
    return any(folder == "." or rel.startswith(folder + "/") for folder in folders)

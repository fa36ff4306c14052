"""Files and folders written whole or not at all: a crash never leaves half an export.

Everything is written under a `.partial` name beside the target, flushed to the disk (fsync),
then renamed over the target, and the folder's entry is flushed too. A reader (a ranger's
spreadsheet, a biologist's upload) sees either the old file or the new one, even after a power
cut. Every writer in Ocelote goes through `replacing`, `replacing_together`, `write_text` or
`replacing_folder`; a failure (a full disk) names the file and says the old one is intact.
A kill leaves only `*.partial` names, which `remove_partials` clears on the next run.
"""

import os
import shutil
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from engine.i18n import _

PARTIAL_SUFFIX = ".partial"


class ExportError(Exception):
    """An export or copy that cannot be done as asked; the message is for the user."""


def partial_name(path: Path) -> Path:
    return path.with_name(path.name + PARTIAL_SUFFIX)


def write_failed(path: Path, error: OSError) -> ExportError:
    """The words for a write that failed: which file, why, and that the old one is intact."""
    reason = error.strerror or str(error)
    return ExportError(
        _(
            "Could not write {path} ({reason}). The earlier {name}, if there was one, is intact; "
            "free some disk space and export again."
        ).format(path=path, reason=reason, name=path.name)
    )


def fsync_file(path: Path) -> None:
    with open(path, "rb+") as handle:
        os.fsync(handle.fileno())


def fsync_folder(folder: Path) -> None:
    """Make a rename inside `folder` durable; Windows cannot open folders and needs no call."""
    if os.name == "nt":
        return
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


@contextmanager
def replacing(path: Path) -> Iterator[Path]:
    """Yield a temporary file path; on success it replaces `path`, on failure it is removed.

    An OSError while writing (a full disk) becomes an ExportError naming `path`. A `path` that
    is already a temporary name (inside `replacing_together`) is written directly.
    """
    if path.name.endswith(PARTIAL_SUFFIX):
        yield path
        return
    with replacing_together([path]) as (partial,):
        yield partial


@contextmanager
def replacing_together(paths: list[Path]) -> Iterator[tuple[Path, ...]]:
    """Temporary paths for several files that replace their targets only if all were written.

    Results exported in two formats (CSV and JSON) then never disagree: either both are new
    or both are the earlier ones.
    """
    partials = tuple(partial_name(path) for path in paths)
    try:
        yield partials
        for partial in partials:
            fsync_file(partial)
    except BaseException as error:
        for partial in partials:
            partial.unlink(missing_ok=True)
        if isinstance(error, OSError):
            raise write_failed(_failed_target(paths, error), error) from error
        raise
    for partial, path in zip(partials, paths, strict=True):
        partial.replace(path)
    for folder in {path.parent for path in paths}:
        fsync_folder(folder)


def _failed_target(paths: list[Path], error: OSError) -> Path:
    """The target whose temporary file the error names (the first one if it names none)."""
    named = Path(error.filename) if isinstance(error.filename, str) else None
    for path in paths:
        if named is not None and named.name in (path.name, partial_name(path).name):
            return path
    return paths[0]


def write_text(path: Path, text: str) -> None:
    """A small text file (a cache, a settings file), written whole or not at all."""
    with replacing(path) as partial:
        partial.write_text(text, encoding="utf-8")


@contextmanager
def replacing_folder(path: Path, marker: str) -> Iterator[Path]:
    """Yield a fresh temporary folder that becomes `path` on success.

    An existing `path` is replaced only if it holds `marker` (a file this export writes), so
    a mistyped `--out` never deletes a folder of someone's photos.
    """
    if path.exists() and not (path / marker).is_file() and any(path.iterdir()):
        raise ExportError(
            _("{path} exists and is not an earlier export; choose another folder.").format(
                path=path
            )
        )
    partial = partial_name(path)
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    try:
        yield partial
        for written in partial.rglob("*"):
            if written.is_file():
                fsync_file(written)
        fsync_folder(partial)
    except BaseException as error:
        shutil.rmtree(partial, ignore_errors=True)
        if isinstance(error, OSError):
            raise write_failed(path, error) from error
        raise
    old = path.with_name(path.name + ".old")
    if path.exists():
        shutil.rmtree(old, ignore_errors=True)
        path.rename(old)
    partial.rename(path)
    fsync_folder(path.parent)
    shutil.rmtree(old, ignore_errors=True)


def remove_partials(folder: Path, names: Iterable[str]) -> list[Path]:
    """Remove what a killed export of `names` left in `folder` (`<name>.partial`, a file or a
    folder); other `.partial` files (a browser's download) are not Ocelote's and stay.

    Call it only while holding the folder's lock: a running export owns its partials.
    """
    removed = []
    for name in names:
        leftover = folder / (name + PARTIAL_SUFFIX)
        if leftover.is_dir() and not leftover.is_symlink():
            shutil.rmtree(leftover, ignore_errors=True)
        elif leftover.exists() or leftover.is_symlink():
            leftover.unlink(missing_ok=True)
        else:
            continue
        removed.append(leftover)
    return removed

"""Files and folders written whole or not at all: a crash never leaves half an export.

Everything is written under a `.partial` name beside the target and renamed at the end, so
a reader (a ranger's spreadsheet, a biologist's upload) sees either the old file or the new.
"""

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from engine.i18n import _


class ExportError(Exception):
    """An export or copy that cannot be done as asked; the message is for the user."""


def partial_name(path: Path) -> Path:
    return path.with_name(path.name + ".partial")


@contextmanager
def replacing(path: Path) -> Iterator[Path]:
    """Yield a temporary file path; on success it replaces `path`, on failure it is removed."""
    partial = partial_name(path)
    try:
        yield partial
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    partial.replace(path)


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
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    old = path.with_name(path.name + ".old")
    if path.exists():
        shutil.rmtree(old, ignore_errors=True)
        path.rename(old)
    partial.rename(path)
    shutil.rmtree(old, ignore_errors=True)

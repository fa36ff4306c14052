"""Opening the results folder for a run: the checks that keep results apart and whole.

In order: the folder is not the photo folder nor one that contains it (results would be
written among the photos and nothing classified); it is made; one run at a time holds it; what
a killed export left (`*.partial`) is cleared; a damaged database is set aside and its reviews
saved; the database belongs to this source, never another one's.
"""

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from engine.i18n import _
from engine.pipeline.errors import JobError, UsageError
from engine.pipeline.events import DatabaseRecovered, Event
from engine.pipeline.lock import results_lock
from engine.results.atomic import remove_partials
from engine.results.db import ResultsDB
from engine.results.folders import EXPORT_NAMES, RESULTS_DB, source_key
from engine.results.integrity import set_aside_if_damaged


def check_out_dir(source: Path, out_dir: Path) -> None:
    """UsageError when the results would go into the photo folder or a folder containing it."""
    real_source, real_out = Path(source_key(source)), Path(source_key(out_dir))
    if real_source == real_out or real_source.is_relative_to(real_out):
        raise UsageError(
            _(
                "The results folder {out} is the photo folder {source} or contains it: results "
                "would be written among the photos. Choose a results folder outside it, or "
                "leave out --out to use one in your Documents."
            ).format(out=out_dir, source=source)
        )


@contextmanager
def open_results(source: Path, out_dir: Path, emit: Callable[[Event], None]) -> Iterator[ResultsDB]:
    """The locked, checked results database of `source` in `out_dir`, for one run."""
    check_out_dir(source, out_dir)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise _cannot_create(out_dir, error) from error
    with results_lock(out_dir):
        remove_partials(out_dir, EXPORT_NAMES)
        db = _open_checked(out_dir / RESULTS_DB, emit)
        try:
            _claim(db, source, out_dir)
            yield db
        finally:
            db.close()


def _open_checked(path: Path, emit: Callable[[Event], None]) -> ResultsDB:
    try:
        recovery = set_aside_if_damaged(path)
        db = ResultsDB(path)
    except (OSError, sqlite3.Error) as error:
        raise _cannot_create(path.parent, error) from error
    if recovery is not None:
        db.restore_reviews(recovery.reviews)
        emit(
            DatabaseRecovered(
                recovery.damaged, recovery.reason, len(recovery.reviews), recovery.reviews_from
            )
        )
    return db


def _claim(db: ResultsDB, source: Path, out_dir: Path) -> None:
    """Record that these results are `source`'s; refuse those of another folder."""
    key = source_key(source)
    owner = db.source()
    if owner is None:
        db.set_source(key)
        return
    if owner != key:
        raise UsageError(
            _(
                "The results folder {out} holds the results of another photo folder ({other}). "
                "Results of two folders are never mixed: choose another results folder, or "
                "leave out --out to get one of its own."
            ).format(out=out_dir, other=owner)
        )
    if db.meta("source") is None:
        db.set_source(key)


def _cannot_create(folder: Path, error: Exception) -> JobError:
    return JobError(
        _("Cannot create the results folder {path} ({reason}).").format(path=folder, reason=error)
    )

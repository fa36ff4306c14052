"""Nothing half-installed: a model is built in a staging folder inside the store and renamed
into place in one step; a kill at any moment leaves either the old model or the new one.

Leftovers of a killed run (staging folders, a replaced model set aside) are cleaned on the
next start; a model set aside but not yet replaced is put back.
"""

import logging
import shutil
import tempfile
from pathlib import Path

STAGING = ".staging"
TRASH = ".trash"
DOWNLOADS = ".downloads"  # partial downloads, kept across runs so a cut download resumes

_log = logging.getLogger(__name__)


def is_internal(path: Path) -> bool:
    """The store's own working folders, never a model."""
    return path.name.startswith(".")


def new_stage(store: Path, model_id: str) -> Path:
    """An empty folder on the store's own disk (so the final rename is atomic)."""
    area = store / STAGING
    area.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=f"{model_id}-", dir=area))


def commit(stage: Path, target: Path) -> None:
    """Replace `target` by `stage`: the old model is set aside first, removed after."""
    target.parent.mkdir(parents=True, exist_ok=True)
    if not target.exists():
        stage.rename(target)
        return
    aside = Path(tempfile.mkdtemp(dir=_trash(target.parent))) / target.name
    target.rename(aside)
    stage.rename(target)
    shutil.rmtree(aside.parent, ignore_errors=True)


def _trash(store: Path) -> Path:
    area = store / TRASH
    area.mkdir(parents=True, exist_ok=True)
    return area


def discard(stage: Path) -> None:
    shutil.rmtree(stage, ignore_errors=True)


def clean_leftovers(store: Path) -> None:
    """After a kill: drop staging folders; put back a model set aside but never replaced."""
    staging = store / STAGING
    if staging.is_dir():
        for leftover in staging.iterdir():
            _log.info("removing an unfinished install: %s", leftover.name)
            shutil.rmtree(leftover, ignore_errors=True)
    trash = store / TRASH
    if trash.is_dir():
        for holder in trash.iterdir():
            for model in holder.iterdir() if holder.is_dir() else ():
                if not (store / model.name).exists():
                    _log.warning("restoring %s, set aside by an install that stopped", model.name)
                    model.rename(store / model.name)
            shutil.rmtree(holder, ignore_errors=True)

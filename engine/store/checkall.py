"""`ocelote models verify`: every file of every installed model against its manifest and card."""

import json
from dataclasses import dataclass
from pathlib import Path

from engine.paths import models_dir
from engine.store.errors import StoreError
from engine.store.location import store_dir
from engine.store.staging import is_internal
from engine.store.verify import verify_folder


@dataclass(frozen=True)
class Verdict:
    id: str
    folder: Path
    problem: str | None  # None: every file verifies


def model_folders() -> dict[str, list[Path]]:
    """id (the folder's name in the store; the card's id for bundled ones) -> its folders."""
    result: dict[str, list[Path]] = {}
    for base in (models_dir(), store_dir()):
        if not base.is_dir():
            continue
        for card in sorted(base.glob("*/card.json")):
            if is_internal(card.parent):
                continue
            result.setdefault(_id(card), []).append(card.parent)
    return result


def _id(card: Path) -> str:
    try:
        return str(json.loads(card.read_text(encoding="utf-8"))["id"])
    except (OSError, ValueError, KeyError, TypeError):
        return card.parent.name


def verify_models(model_id: str | None = None) -> list[Verdict]:
    """A verdict for each folder of `model_id` (or of every model); KeyError when unknown."""
    folders = model_folders()
    if model_id is not None and model_id not in folders:
        raise KeyError(model_id)
    verdicts = []
    for key in [model_id] if model_id else sorted(folders):
        for folder in folders[key]:
            try:
                verify_folder(folder)
                verdicts.append(Verdict(key, folder, None))
            except (StoreError, ValueError, OSError) as error:
                verdicts.append(Verdict(key, folder, str(error)))
    return verdicts

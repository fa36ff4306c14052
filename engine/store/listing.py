"""What the store holds and what the catalog offers, as rows for `ocelote models list` and the
Models page: id, kind, name, licence, size, installed, recommended for this PC.
"""

import json
import shutil
from dataclasses import asdict, dataclass
from pathlib import Path

from engine.detection.int8 import measured_int8, stored_line
from engine.hardware.device import DeviceProfile
from engine.models.card import ModelCard
from engine.models.store import all_cards
from engine.paths import models_dir
from engine.store.catalog import entries, recommended
from engine.store.errors import StoreError
from engine.store.location import store_dir
from engine.store.staging import is_internal, new_stage
from engine.store.verify import read_card_data


@dataclass(frozen=True)
class ModelRow:
    id: str
    kind: str
    name: str
    license: str
    size_bytes: int
    installed: bool
    recommended: bool
    origin: str  # "bundled" | "store" | "catalog"
    purpose: str
    speed: str
    plain_license: str
    int8: str = ""  # a detector's INT8 made on the user's photos: its stored measurement


def folder_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def has_discrete_gpu(profile: DeviceProfile) -> bool:
    """The heavy detectors need a graphics card of its own; an integrated one is not enough."""
    return any(not gpu.integrated for gpu in profile.gpus)


def _text(words: dict | None, language: str) -> str:
    words = words or {}
    return words.get(language) or words.get("en", "")


def _int8_line(card: ModelCard) -> str:
    made = measured_int8(card) if card.kind == "detector" else None
    return stored_line(made[1]) if made is not None else ""


def rows(has_gpu: bool, language: str = "en") -> list[ModelRow]:
    """Installed models first (bundled, then the store), then what the catalog offers."""
    result = []
    installed = set()
    for card in all_cards():
        bundled = card.folder.resolve().is_relative_to(models_dir().resolve())
        raw = card.raw
        spdx = raw.get("license", {}).get("spdx", "")
        result.append(
            ModelRow(card.id, card.kind, card.name, spdx, folder_size(card.folder), True, False,
                     "bundled" if bundled else "store", _text(raw.get("purpose"), language),
                     _text(raw.get("speed"), language),
                     _text(raw.get("license", {}).get("plain"), language), _int8_line(card))
        )  # fmt: skip
        installed.add(card.id)
    for item in entries():
        is_installed = item.id in installed
        row = ModelRow(
            item.id, item.kind, item.name, item.spdx, item.size_bytes, is_installed,
            recommended(item, has_gpu), "catalog", _text(item.purpose, language),
            _text(item.speed, language), _text(item.license.get("plain"), language),
        )  # fmt: skip
        if is_installed:
            index = next(i for i, r in enumerate(result) if r.id == item.id)
            result[index] = ModelRow(**{**asdict(result[index]), "recommended": row.recommended})
        else:
            result.append(row)
    return result


def as_json(model_rows: list[ModelRow]) -> str:
    return json.dumps([asdict(row) for row in model_rows], indent=1, ensure_ascii=False)


@dataclass(frozen=True)
class DiskUse:
    models_bytes: int
    partial_bytes: int  # downloads waiting to resume
    free_bytes: int
    folder: Path


def disk_use() -> DiskUse:
    store = store_dir()
    store.mkdir(parents=True, exist_ok=True)
    models = sum(folder_size(p) for p in store.iterdir() if p.is_dir() and not is_internal(p))
    partial = sum(folder_size(p) for p in store.iterdir() if p.is_dir() and is_internal(p))
    return DiskUse(models, partial, shutil.disk_usage(store).free, store)


def remove(model_id: str) -> bool:
    """Remove a store model (never a bundled one); False when it is not in the store."""
    store = store_dir()
    folder = store / model_id
    if is_internal(folder) or not (folder / "card.json").is_file():
        return False
    aside = new_stage(store, model_id)
    folder.rename(aside / model_id)  # one rename: the model is gone at once, never half
    shutil.rmtree(aside, ignore_errors=True)
    return True


def broken_in_store() -> list[str]:
    """Store folders whose card does not verify (they are not listed as installed)."""
    store = store_dir()
    if not store.is_dir():
        return []
    result = []
    for card in sorted(store.glob("*/card.json")):
        if is_internal(card.parent):
            continue
        try:
            read_card_data(card.parent)
        except (StoreError, ValueError, OSError):
            result.append(card.parent.name)
    return result

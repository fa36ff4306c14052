"""Where models are found: the bundled ones shipped with the program, and the user's store.

The user's store (`<user data>/models/`, or `$OCELOTE_DATA_DIR/models`) holds one folder per
model id, laid out like a bundled model (card.json, labels, groups, files). A folder whose id
is a bundled model adds variants to it (an FP16 or pruned copy made on this PC); any other
folder is a model of its own (a classifier trained on the park's photos). Every file is
checked against its SHA-256 before use; nothing here ever unpickles or executes a file.
"""

import json
import shutil
from dataclasses import replace
from pathlib import Path

from engine.hashing import sha256_of
from engine.models.card import ModelCard, Variant, load_card
from engine.paths import models_dir, user_data_dir
from engine.results.atomic import write_text

DEFAULT_MODEL_ID = "efficientnet-lite0-imagenet"
CARD_FILE = "card.json"


class ModelFileError(Exception):
    """A model file is missing or not the file its card describes."""


def store_dir() -> Path:
    return user_data_dir() / "models"


def _cards_in(folder: Path) -> list[ModelCard]:
    return [load_card(card.parent) for card in sorted(folder.glob(f"*/{CARD_FILE}"))]


def all_cards() -> list[ModelCard]:
    """Bundled models (with the variants the user added) and the user's own models."""
    bundled = {card.id: card for card in _cards_in(models_dir())}
    own = []
    for card in _cards_in(store_dir()):
        if card.id in bundled:
            base = bundled[card.id]
            bundled[card.id] = replace(base, variants=base.variants + card.variants)
        else:
            own.append(card)
    return [*bundled.values(), *own]


def find_card(model_id: str = DEFAULT_MODEL_ID) -> ModelCard:
    for card in all_cards():
        if card.id == model_id:
            return card
    raise KeyError(model_id)


def verify(variant: Variant) -> None:
    """Refuse a model file that was damaged or swapped: wrong labels would follow silently."""
    for path, expected in variant.all_files():
        if not path.is_file():
            raise ModelFileError(f"missing model file {path}")
        actual = sha256_of(path)
        if actual != expected:
            raise ModelFileError(f"{path} has SHA-256 {actual}, the card says {expected}")


def _user_folder_for(card: ModelCard) -> Path:
    """The store folder of a model, made from its card (without variants) the first time."""
    folder = store_dir() / card.id
    if not (folder / CARD_FILE).is_file():
        folder.mkdir(parents=True, exist_ok=True)
        data = json.loads((card.folder / CARD_FILE).read_text(encoding="utf-8"))
        for name in (data["labels_file"], data["groups_file"]):
            shutil.copyfile(card.folder / name, folder / name)
        data["variants"] = []
        (folder / CARD_FILE).write_text(json.dumps(data, indent=2), encoding="utf-8")
    return folder


def add_variant(card: ModelCard, source: Path, entry: dict) -> ModelCard:
    """Copy a new variant file into the store beside its card; `entry` is its card.json item.

    `file`, `sha256` and `size_bytes` are filled here from the copied file.
    """
    folder = _user_folder_for(card)
    target = folder / f"{entry['id']}{source.suffix}"
    shutil.copyfile(source, target)
    item = {**entry, "file": target.name, "sha256": sha256_of(target)}
    item["size_bytes"] = target.stat().st_size
    _edit_variants(folder, lambda items: [*[i for i in items if i["id"] != entry["id"]], item])
    return find_card(card.id)


def remove_variant(card: ModelCard, variant_id: str) -> ModelCard:
    """Delete a variant the user made (bundled variants are read-only and stay)."""
    folder = store_dir() / card.id
    data = json.loads((folder / CARD_FILE).read_text(encoding="utf-8"))
    for item in data["variants"]:
        if item["id"] == variant_id:
            (folder / item["file"]).unlink(missing_ok=True)
    _edit_variants(folder, lambda items: [i for i in items if i["id"] != variant_id])
    return find_card(card.id)


def install_model(folder: Path) -> ModelCard:
    """Copy a complete model folder (card.json, labels, groups, files) into the store."""
    card = load_card(folder)
    for variant in card.variants:
        verify(variant)
    target = store_dir() / card.id
    shutil.copytree(folder, target, dirs_exist_ok=True)
    return find_card(card.id)


def _edit_variants(folder: Path, change) -> None:  # noqa: ANN001 - list -> list
    path = folder / CARD_FILE
    data = json.loads(path.read_text(encoding="utf-8"))
    data["variants"] = change(data["variants"])
    write_text(path, json.dumps(data, indent=2))

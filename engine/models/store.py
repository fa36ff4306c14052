"""Where models are found: the bundled ones shipped with the program, checked by hash."""

import hashlib
from pathlib import Path

from engine.models.card import ModelCard, Variant, load_card
from engine.paths import models_dir

DEFAULT_MODEL_ID = "efficientnet-lite0-imagenet"


class ModelFileError(Exception):
    """A model file is missing or not the file its card describes."""


def bundled_cards() -> list[ModelCard]:
    return [load_card(card.parent) for card in sorted(models_dir().glob("*/card.json"))]


def find_card(model_id: str = DEFAULT_MODEL_ID) -> ModelCard:
    for card in bundled_cards():
        if card.id == model_id:
            return card
    raise KeyError(model_id)


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def verify(variant: Variant) -> None:
    """Refuse a model file that was damaged or swapped: wrong labels would follow silently."""
    if not variant.file.is_file():
        raise ModelFileError(f"missing model file {variant.file}")
    actual = sha256_of(variant.file)
    if actual != variant.sha256:
        raise ModelFileError(f"{variant.file} has SHA-256 {actual}, the card says {variant.sha256}")

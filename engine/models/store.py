"""Where models are found: the bundled ones shipped with the program, and the user's store.

The user's store (`<user data>/models/`, or `$OCELOTE_DATA_DIR/models`) holds one folder per
model id, laid out like a bundled model (card.json, labels, groups, files, manifest.sha256). A
folder whose id is a bundled model adds variants to it (an FP16 or pruned copy made on this
PC); any other folder is a model of its own (a trained head, a detector from the catalog).

Every card is read only after its manifest check (card.json, labels, groups), and every
weights file is checked against its SHA-256 before use: a swapped label line or a damaged file
gives a message naming the model and what to do, never wrong labels. Nothing here ever
unpickles or executes a file. Installing, importing and packing live in `engine.store`.
"""

import json
import logging
import shutil
from dataclasses import replace
from pathlib import Path

from engine.hashing import sha256_of
from engine.i18n import _
from engine.models.card import ModelCard, Variant, load_card
from engine.paths import models_dir
from engine.results.atomic import write_text
from engine.store.errors import ModelFileError
from engine.store.location import store_dir
from engine.store.manifest import write_manifest
from engine.store.staging import clean_leftovers, commit, discard, is_internal, new_stage
from engine.store.verify import read_card_data, verify_file, what_to_do

__all__ = [
    "CARD_FILE", "DEFAULT_MODEL_ID", "ModelFileError", "add_variant", "add_variant_files",
    "all_cards", "find_card",
    "install_model", "remove_variant", "sha256_of", "store_dir", "verify",
]  # fmt: skip

DEFAULT_MODEL_ID = "efficientnet-lite0-imagenet"
CARD_FILE = "card.json"
_log = logging.getLogger(__name__)


def _load(folder: Path) -> ModelCard:
    """A card after its manifest check; an unreadable one is a ModelFileError, not a traceback."""
    data = read_card_data(folder)
    try:
        return load_card(folder)
    except (KeyError, ValueError, TypeError, IndexError, OSError) as error:
        name = data.get("name", folder.name)
        raise ModelFileError(
            _("The model “{model}” cannot be read ({error}).").format(model=name, error=error)
            + " "
            + what_to_do(folder, data.get("id", folder.name))
        ) from error


def _claimed_id(folder: Path) -> str:
    """The id a folder's card claims, read without trusting it (to name a broken model)."""
    try:
        return str(json.loads((folder / CARD_FILE).read_text(encoding="utf-8"))["id"])
    except (OSError, ValueError, KeyError, TypeError):
        return folder.name


def _scan(folder: Path) -> tuple[list[ModelCard], dict[str, ModelFileError]]:
    cards, broken = [], {}
    for card_file in sorted(folder.glob(f"*/{CARD_FILE}")):
        if is_internal(card_file.parent):
            continue
        try:
            cards.append(_load(card_file.parent))
        except ModelFileError as error:
            _log.warning("model folder %s refused: %s", card_file.parent, error)
            broken[card_file.parent.name] = broken[_claimed_id(card_file.parent)] = error
    return cards, broken


def _catalog() -> tuple[list[ModelCard], dict[str, ModelFileError]]:
    bundled_cards, broken = _scan(models_dir())
    bundled = {card.id: card for card in bundled_cards}
    own_cards, own_broken = _scan(store_dir())
    own = []
    for card in own_cards:
        if card.id in bundled:
            base = bundled[card.id]
            bundled[card.id] = replace(base, variants=base.variants + card.variants)
        else:
            own.append(card)
    for key, error in own_broken.items():
        broken.setdefault(key, error)
    return [*bundled.values(), *own], broken


def all_cards() -> list[ModelCard]:
    """Bundled models (with the variants the user added) and the user's own models that verify.

    A model whose card or labels do not verify is left out (and logged); `find_card` names it.
    """
    return _catalog()[0]


def find_card(model_id: str = DEFAULT_MODEL_ID) -> ModelCard:
    """The card of `model_id`; ModelFileError when it is installed but does not verify."""
    cards, broken = _catalog()
    for card in cards:
        if card.id == model_id:
            return card
    if model_id in broken:
        raise broken[model_id]
    raise KeyError(model_id)


def verify(variant: Variant, card: ModelCard | None = None) -> None:
    """Refuse a model file that was damaged or swapped: wrong labels would follow silently."""
    name = card.name if card is not None else variant.id
    model_id = card.id if card is not None else variant.id
    sizes = {f.file: f.size_bytes for f in variant.files}
    if not variant.files:
        sizes[variant.file] = variant.size_bytes
    for path, expected in variant.all_files():
        verify_file(path, expected, sizes.get(path), name, model_id)


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
        write_manifest(folder)
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


def add_variant_files(card: ModelCard, files: dict[str, Path], entry: dict) -> ModelCard:
    """Move a variant made of several files (ncnn: `param` graph + `bin` weights) into the
    model's store folder; the first file names the variant (`file`, `sha256`), all are listed
    under `files`, and the manifest is rewritten."""
    folder = store_dir() / card.id
    listed = {}
    for role, source in files.items():
        target = folder / source.name
        shutil.move(source, target)
        listed[role] = {"file": target.name, "sha256": sha256_of(target),
                        "size_bytes": target.stat().st_size}  # fmt: skip
    first = next(iter(listed.values()))
    item = {**entry, "file": first["file"], "sha256": first["sha256"], "files": listed,
            "size_bytes": sum(f["size_bytes"] for f in listed.values())}  # fmt: skip
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
    """Copy a complete model folder (card.json, labels, groups, files) into the store.

    The files are checked against the card first; the copy is staged and renamed into place,
    with a manifest of every file, so a failure leaves the store as it was.
    """
    card = load_card(folder)
    for variant in card.variants:
        verify(variant, card)
    store = store_dir()
    clean_leftovers(store)
    stage = new_stage(store, card.id)
    try:
        shutil.copytree(folder, stage, dirs_exist_ok=True)
        write_manifest(stage)
        commit(stage, store / card.id)
    except BaseException:
        discard(stage)
        raise
    return find_card(card.id)


def _edit_variants(folder: Path, change) -> None:  # noqa: ANN001 - list -> list
    path = folder / CARD_FILE
    data = json.loads(path.read_text(encoding="utf-8"))
    data["variants"] = change(data["variants"])
    write_text(path, json.dumps(data, indent=2))
    write_manifest(folder)

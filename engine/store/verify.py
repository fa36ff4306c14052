"""Proving a model folder is the one installed: every file against its manifest, the weights
against their card, with a message that names the model and says what to do.
"""

import json
from pathlib import Path

from engine.hashing import sha256_of
from engine.i18n import _
from engine.paths import models_dir
from engine.store.errors import ModelFileError
from engine.store.manifest import MANIFEST_NAME, Problem, check, read_manifest

CARD_FILE = "card.json"


def _bundled(folder: Path) -> bool:
    return folder.resolve().is_relative_to(models_dir().resolve())


def what_to_do(folder: Path, model_id: str) -> str:
    """The remedy: a bundled model comes back with the program, a store model by reinstalling."""
    if _bundled(folder):
        return _("Reinstall Ocelote to restore it.")
    return _(
        "Reinstall it (Models page, or: ocelote models install {id}) "
        "or import its model pack again."
    ).format(id=model_id)


def problem_text(name: str, model_id: str, folder: Path, file: str, state: str) -> str:
    """One sentence for the user: which model, which file, what happened, what to do."""
    if state == "missing":
        what = _("The model “{model}” cannot be used: its file {file} is missing.")
    elif state == "truncated":
        what = _("The model “{model}” cannot be used: its file {file} is incomplete (cut short).")
    else:
        what = _(
            "The model “{model}” cannot be used: its file {file} has changed since it was "
            "installed (damaged or edited)."
        )
    return what.format(model=name, file=file) + " " + what_to_do(folder, model_id)


def _raise(folder: Path, name: str, model_id: str, problem: Problem) -> None:
    raise ModelFileError(problem_text(name, model_id, folder, problem.path, problem.state))


def card_files(data: dict) -> list[str]:
    """The small files that say what the model is and what its classes are called."""
    names = [CARD_FILE]
    for key in ("labels_file", "groups_file"):
        if data.get(key):
            names.append(data[key])
    return names


def read_card_data(folder: Path) -> dict:
    """card.json after its manifest check: a card that is not the installed one is refused."""
    entries = read_manifest(folder)
    name = folder.name
    if entries is None:
        raise ModelFileError(problem_text(name, name, folder, MANIFEST_NAME, "missing"))
    for problem in check(folder, entries, [CARD_FILE]):
        _raise(folder, name, name, problem)
    data = json.loads((folder / CARD_FILE).read_text(encoding="utf-8"))
    model_id, name = data.get("id", name), data.get("name", name)
    for problem in check(folder, entries, card_files(data)[1:]):
        _raise(folder, name, model_id, problem)
    return data


def verify_file(path: Path, sha256: str, size: int | None, name: str, model_id: str) -> None:
    """One weights file against its card: size first (a cut copy is found without hashing)."""
    folder = path.parent
    if not path.is_file():
        _raise(folder, name, model_id, Problem(path.name, "missing"))
    if size is not None and path.stat().st_size < size:
        _raise(folder, name, model_id, Problem(path.name, "truncated"))
    if sha256_of(path) != sha256:
        _raise(folder, name, model_id, Problem(path.name, "changed"))


def verify_folder(folder: Path) -> None:
    """Every file the manifest lists (`ocelote models verify`, after an install or import)."""
    data = read_card_data(folder)
    entries = read_manifest(folder) or {}
    name, model_id = data.get("name", folder.name), data.get("id", folder.name)
    for problem in check(folder, entries):
        _raise(folder, name, model_id, problem)
    for item in data.get("variants", []):
        for entry in list(item.get("files", {}).values()) or [item]:
            if entries.get(entry["file"]) == entry["sha256"]:
                continue  # hashed once above: the file is what both manifest and card say
            size = entry.get("size_bytes")
            verify_file(folder / entry["file"], entry["sha256"], size, name, model_id)

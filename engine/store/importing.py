"""Bring models into the store without a download: a model pack (zip or folder), a zip of a
model folder, or a bare ONNX file (inspected, then carded with the user's answers).

Every file is checked against its card before anything is copied, and the model lands in the
store through a staging folder, so a failed import leaves nothing behind.
"""

from __future__ import annotations

import json
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from engine.i18n import _
from engine.paths import models_dir
from engine.store import records
from engine.store.cards import for_bare_onnx, variant_entry
from engine.store.errors import ImportProblem, ModelFileError
from engine.store.inspect_onnx import inspect
from engine.store.labels import read_labels_file, write_labels
from engine.store.location import store_dir
from engine.store.manifest import check, read_manifest, write_manifest
from engine.store.staging import STAGING, clean_leftovers, commit, discard, new_stage
from engine.store.unzip import safe_extract
from engine.store.verify import verify_file, verify_folder

ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9.-]*$")


@dataclass(frozen=True)
class BareOnnxAnswers:
    """What the user confirms for a bare ONNX: the inspection proposes kind and layout."""

    model_id: str
    name: str
    kind: str | None = None
    layout: str | None = None
    labels: Path | None = None
    license_spdx: str = "LicenseRef-unknown"


def _bundled_ids() -> set[str]:
    ids = set()
    for card in models_dir().glob("*/card.json"):
        ids.add(json.loads(card.read_text(encoding="utf-8"))["id"])
    return ids


def _model_folders(root: Path) -> list[Path]:
    """Folders holding a card.json: the root itself or its sub-folders (a pack)."""
    if (root / "card.json").is_file():
        return [root]
    return sorted(p.parent for p in root.glob("*/card.json"))


def _check_source(folder: Path) -> dict:
    """A model folder from outside, checked before copying: its manifest and its card's files."""
    try:
        data = json.loads((folder / "card.json").read_text(encoding="utf-8"))
        model_id, name = data["id"], data.get("name", data["id"])
    except (OSError, ValueError, KeyError) as error:
        raise ImportProblem(
            _("{folder} has no readable card.json ({error}).").format(folder=folder, error=error)
        ) from error
    if not ID_PATTERN.match(model_id):
        raise ImportProblem(_("“{id}” is not a valid model id.").format(id=model_id))
    if model_id in _bundled_ids():
        raise ImportProblem(
            _("{id} is the model bundled with Ocelote; it is never replaced.").format(id=model_id)
        )
    entries = read_manifest(folder)
    problems = check(folder, entries) if entries is not None else []
    for problem in problems:
        raise ModelFileError(
            _("The pack's copy of “{model}” is damaged: {file} is {state}. Make the pack again "
              "from a PC where the model verifies.").format(
                model=name, file=problem.path, state=_state_text(problem.state)
            )
        )  # fmt: skip
    for item in data.get("variants", []):
        for entry in list(item.get("files", {}).values()) or [item]:
            verify_file(
                folder / entry["file"], entry["sha256"], entry.get("size_bytes"), name, model_id
            )
    return data


def _state_text(state: str) -> str:
    return _("missing") if state == "missing" else _("changed")


def _install_folder(folder: Path) -> str:
    data = _check_source(folder)
    store = store_dir()
    stage = new_stage(store, data["id"])
    try:
        shutil.copytree(folder, stage, dirs_exist_ok=True)
        write_manifest(stage)
        commit(stage, store / data["id"])
    except BaseException:
        discard(stage)
        raise
    verify_folder(store / data["id"])
    _carry_record(store, data)
    return data["id"]


def _carry_record(store: Path, data: dict) -> None:
    """A pack carries the SHA-256 of the original download: a later download on this PC is
    checked against it, as on the PC that first installed the model."""
    download = data.get("download") or {}
    if download.get("sha256") and records.recorded(store, data["id"]) is None:
        size = int(download.get("size_bytes") or 0)
        records.record(store, data["id"], download.get("url", ""), download["sha256"], size)


def import_path(path: Path, answers: BareOnnxAnswers | None = None) -> list[str]:
    """Import a pack, a zip, a model folder or a bare ONNX; the ids now in the store."""
    store = store_dir()
    clean_leftovers(store)
    if not path.exists():
        raise ImportProblem(_("{path} does not exist.").format(path=path))
    if path.is_file() and path.suffix.lower() == ".onnx":
        if answers is None:
            raise ImportProblem(_("A bare ONNX file needs a model id, a name and its labels."))
        return [import_onnx(path, answers)]
    if path.is_dir():
        folders = _model_folders(path)
        if not folders:
            raise ImportProblem(_("{path} holds no model (no card.json).").format(path=path))
        return [_install_folder(folder) for folder in folders]
    area = store / STAGING
    area.mkdir(parents=True, exist_ok=True)
    unpacked = Path(tempfile.mkdtemp(prefix="import-", dir=area))
    try:
        safe_extract(path, unpacked)
        folders = _model_folders(unpacked)
        if not folders:
            raise ImportProblem(_("{path} holds no model (no card.json).").format(path=path))
        return [_install_folder(folder) for folder in folders]
    finally:
        shutil.rmtree(unpacked, ignore_errors=True)


def import_onnx(path: Path, answers: BareOnnxAnswers) -> str:
    """A bare ONNX with the user's answers: kind and layout default to what inspection proposes."""
    if not ID_PATTERN.match(answers.model_id):
        raise ImportProblem(_("“{id}” is not a valid model id.").format(id=answers.model_id))
    info = inspect(path)
    kind = answers.kind or info.kind
    layout = answers.layout or info.layout
    rows = read_labels_file(answers.labels) if answers.labels else None
    if kind == "classifier":
        if rows is None:
            raise ImportProblem(_("A classifier needs its labels file (one name a line)."))
        if info.classes is not None and len(rows) != info.classes:
            raise ImportProblem(
                _("The labels file has {count} names but the model has {classes} outputs.").format(
                    count=len(rows), classes=info.classes
                )
            )
    elif rows is None and info.classes not in (None, 3):
        raise ImportProblem(
            _("This detector has {classes} classes: give its categories (one name a line).")
            .format(classes=info.classes)
        )  # fmt: skip
    store = store_dir()
    stage = new_stage(store, answers.model_id)
    try:
        target = stage / "model.onnx"
        shutil.copyfile(path, target)
        if rows is not None and kind == "classifier":
            write_labels(stage, rows)
        variant = variant_entry(stage, target.name, None)
        card = for_bare_onnx(
            answers.model_id, answers.name, kind, layout, info, variant, answers.license_spdx
        )
        if kind == "detector" and rows is not None:
            card["categories"] = [row.en for row in rows]
        (stage / "card.json").write_text(json.dumps(card, indent=2, ensure_ascii=False), "utf-8")
        write_manifest(stage)
        commit(stage, store / answers.model_id)
    except BaseException:
        discard(stage)
        raise
    verify_folder(store / answers.model_id)
    return answers.model_id

"""A trained head becomes a model like any other: backbone + head in one ONNX graph per variant,
a card in the user's words, and a place in the model store.

Every standard precision of the bundled model (FP32, FP16, INT8) is exported with the same
head, so the selector finds the variant it would pick on any PC; the searched variant is added
when it is not one of them, and the card names it as recommended.
"""

from __future__ import annotations

import csv
import json
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

from engine.media.preprocess import card_entry
from engine.models.card import ModelCard
from engine.models.store import DEFAULT_MODEL_ID, find_card, install_model, sha256_of
from engine.search.dataset import OTHER_GROUP, ClassInfo
from engine.search.features import preprocessing_at
from engine.search.graph import FINAL, INPUT, LOGITS, head_model
from engine.search.head import Head
from engine.store.manifest import write_manifest

STANDARD_VARIANTS = ("fp32", "fp16", "int8")
OTHER_GROUP_NAMES = ("Other animals", "Otros animales")


@dataclass(frozen=True)
class Architecture:
    """Where the features come from: backbone variant, input resolution, feature layer."""

    variant_id: str = "fp32"
    resolution: int = 224
    layer: str = FINAL

    def label(self) -> str:
        return f"{self.variant_id} {self.resolution}px {self.layer}"


def model_id_for(name: str) -> str:
    """A store id from the user's name: "Jaguares del norte" → custom-jaguares-del-norte."""
    from engine.search.dataset import normalise

    slug = re.sub(r"[^a-z0-9]+", "-", normalise(name)).strip("-") or "model"
    return f"custom-{slug}"


def head_onnx(base: ModelCard, arch: Architecture, head: Head, variant_id: str) -> bytes:
    return head_model(base.variant(variant_id).file, arch.resolution, arch.layer, head.layers)


def _variant_ids(base: ModelCard, arch: Architecture) -> list[str]:
    onnx_ids = [v.id for v in base.variants_in("onnx")]
    ids = [v for v in STANDARD_VARIANTS if v in onnx_ids]
    return ids if arch.variant_id in ids else [*ids, arch.variant_id]


def _write_labels(folder: Path, classes: tuple[ClassInfo, ...]) -> None:
    with (folder / "labels.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["index", "label_en", "label_es", "group"])
        for index, info in enumerate(classes):
            writer.writerow([index, info.en, info.es, info.group])


def _write_groups(folder: Path, base: ModelCard) -> None:
    rows = [(g.id, g.en, g.es) for g in base.groups.values()]
    if OTHER_GROUP not in base.groups:
        rows.append((OTHER_GROUP, *OTHER_GROUP_NAMES))
    with (folder / "groups.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["group", "name_en", "name_es"])
        writer.writerows(rows)


def _variant_entry(base: ModelCard, folder: Path, variant_id: str, model: bytes) -> dict:
    source = base.variant(variant_id)
    target = folder / f"{variant_id}.onnx"
    target.write_bytes(model)
    return {
        "id": variant_id,
        "precision": source.precision,
        "format": "onnx",
        "file": target.name,
        "sha256": sha256_of(target),
        "size_bytes": target.stat().st_size,
        "sparsity": source.sparsity,
        "top1_agreement_with_fp32": 1.0 if variant_id == "fp32" else None,
    }


def _license(base: ModelCard, folder: Path) -> dict:
    data = json.loads((base.folder / "card.json").read_text(encoding="utf-8"))["license"]
    for key in ("file", "notice"):
        if data.get(key) and (base.folder / data[key]).is_file():
            shutil.copyfile(base.folder / data[key], folder / data[key])
    note = "; modified: a classifier head trained on the user's own photos by Ocelote."
    return {**data, "attribution": base.attribution + note}


def write_model(
    folder: Path,
    name: str,
    classes: tuple[ClassInfo, ...],
    head: Head,
    arch: Architecture,
    build: dict | None = None,
    base: ModelCard | None = None,
) -> Path:
    """A complete model folder (card.json, labels, groups, ONNX files) ready to install."""
    base = base or find_card(DEFAULT_MODEL_ID)
    folder.mkdir(parents=True, exist_ok=True)
    _write_labels(folder, classes)
    _write_groups(folder, base)
    variants = [
        _variant_entry(base, folder, vid, head_onnx(base, arch, head, vid))
        for vid in _variant_ids(base, arch)
    ]
    prep = preprocessing_at(base, arch.resolution)
    card = {
        "id": model_id_for(name),
        "name": name,
        "task": "classification",
        "input": {"name": INPUT, "size": arch.resolution, "layout": "NCHW", "color": "RGB"},
        "output": {"name": LOGITS, "kind": "logits", "classes": len(classes)},
        "preprocessing": card_entry(prep),
        "labels_file": "labels.csv",
        "groups_file": "groups.csv",
        "license": _license(base, folder),
        "build": {
            "base_model": base.id,
            "architecture": arch.label(),
            "recommended_variant": arch.variant_id,
            "head": head.spec.label(),
            **(build or {}),
        },
        "variants": variants,
    }
    (folder / "card.json").write_text(json.dumps(card, indent=2, ensure_ascii=False), "utf-8")
    write_manifest(folder)  # the folder verifies on its own, before and after install
    return folder


def install(folder: Path) -> ModelCard:
    """Into the user's model store: `ocelote classify --model <id>` and the window find it."""
    return install_model(folder)

"""Ocelote cards (card.json, schema 2) for models that arrive without one: a catalog download,
a publisher's zip, a bare ONNX. The model file itself names its input and output tensors.
"""

from pathlib import Path

from engine.hashing import sha256_of
from engine.store.catalog import CatalogEntry
from engine.store.inspect_onnx import OnnxInfo

SCHEMA = 2
DEFAULT_CATEGORIES = ["animal", "person", "vehicle"]  # MegaDetector's '1', '2', '3'
DEFAULT_THRESHOLDS = {"floor": 0.01, "typical": 0.2, "conservative": 0.05, "nms_iou": 0.45}


def variant_entry(folder: Path, file: str, published: dict | None) -> dict:
    """The one variant of a downloaded or imported model, with the SHA-256 Ocelote records."""
    path = folder / file
    return {
        "id": "fp32",
        "precision": "fp32",
        "format": "onnx",
        "file": file,
        "sha256": sha256_of(path),
        "size_bytes": path.stat().st_size,
        "published": published,
    }


def _named(sections: dict, info: OnnxInfo) -> dict:
    """The card's input/output names replaced by the ones the graph really has."""
    result = dict(sections)
    result["input"] = {**sections.get("input", {}), "name": info.inputs[0].name}
    output = {**sections.get("output", {}), "name": info.outputs[0].name}
    if len(info.outputs) > 1:
        output["names"] = [t.name for t in info.outputs]
    result["output"] = output
    return result


def from_catalog(entry: CatalogEntry, info: OnnxInfo, variant: dict, has_labels: bool) -> dict:
    """The card of a model installed from the catalog."""
    card = {
        "schema": SCHEMA,
        "id": entry.id,
        "kind": entry.kind,
        "name": entry.name,
        "version": entry.version,
        "purpose": entry.purpose,
        "speed": entry.speed,
        "source": {**entry.source, "catalog": "engine/store/catalog.json"},
        "license": entry.license,
        **_named(entry.card, info),
        "variants": [variant],
    }
    if has_labels:
        card["labels_file"], card["groups_file"] = "labels.csv", "groups.csv"
    return card


def for_bare_onnx(
    model_id: str, name: str, kind: str, layout: str, info: OnnxInfo, variant: dict, spdx: str
) -> dict:
    """The card of an ONNX file the user imports: what inspection proposed and they confirmed."""
    size = info.input_size or 640
    sections: dict = {"output": {"layout": layout}}
    if kind == "detector":
        sections["input"] = {
            "size": size, "layout": "NCHW", "color": "RGB", "resize": "letterbox",
            "stride": 32, "fixed_shape": info.input_size is not None, "pad_value": 114,
            "scale": 255.0,
        }  # fmt: skip
        sections["categories"] = DEFAULT_CATEGORIES
        sections["thresholds"] = DEFAULT_THRESHOLDS
    else:
        sections["input"] = {"size": size, "layout": "NCHW", "color": "RGB"}
        sections["preprocessing"] = {"resize_shorter": size, "crop": size}
    card = {
        "schema": SCHEMA,
        "id": model_id,
        "kind": kind,
        "name": name,
        "version": "",
        "purpose": {"en": "", "es": ""},
        "source": {"publisher": "", "urls": [], "imported_from": variant["file"]},
        "license": {"spdx": spdx, "attribution": name},
        **_named(sections, info),
        "variants": [variant],
    }
    if kind == "classifier":
        card["labels_file"], card["groups_file"] = "labels.csv", "groups.csv"
    return card

"""Where a detector's ncnn files are: its card's `ncnn` variant, else a conversion cache.

`ocelote models prepare ID` (and an install whose plan runs detectors on Vulkan) converts once
into the model folder: the files join the card as the `ncnn` variant and the manifest is
rewritten, so `models verify` checks them like any other. A model that was not prepared (a
stand-in, a test pack, a model installed before) is converted on first use into the user's
cache, keyed by the ONNX file's SHA-256 and the input size, never into the model folder.
"""

import json
import logging
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from engine.detection.ncnn_convert import Converted, convert
from engine.detection.spec import DetectorSpec
from engine.models.card import ModelCard, Variant
from engine.models.store import verify
from engine.paths import user_data_dir

log = logging.getLogger(__name__)
VARIANT_ID = "ncnn"
CACHE_NOTE = "converted.json"


@dataclass(frozen=True)
class NcnnModel:
    param: Path
    weights: Path
    size: int  # the fixed square input
    outputs: tuple[str, ...]  # ONNX output names in ncnn's order (out0, out1, ...)


def cache_dir() -> Path:
    return user_data_dir() / "cache" / "ncnn"


def from_card(card: ModelCard, check: bool = False) -> NcnnModel | None:
    """The card's prepared `ncnn` variant, if it has one; with `check`, its files' SHA-256
    verified first (ModelFileError when damaged)."""
    entry = next((v for v in card.raw.get("variants", []) if v.get("id") == VARIANT_ID), None)
    if entry is None or entry.get("format") != "ncnn":
        return None
    variant = card.variant(VARIANT_ID)
    if check:
        verify(variant, card)
    return NcnnModel(
        variant.file_for("param"), variant.file_for("bin"), int(entry["input_size"]),
        tuple(entry["outputs"]),
    )  # fmt: skip


def _cached(folder: Path) -> NcnnModel | None:
    note = folder / CACHE_NOTE
    if not note.is_file():
        return None
    data = json.loads(note.read_text(encoding="utf-8"))
    param, weights = folder / "model.param", folder / "model.bin"
    if not param.is_file() or not weights.is_file():
        return None
    if weights.stat().st_size != data["bin_size"] or param.stat().st_size != data["param_size"]:
        return None
    return NcnnModel(param, weights, int(data["size"]), tuple(data["outputs"]))


def cached(card: ModelCard, variant: Variant, root: Path | None = None) -> NcnnModel:
    """Converted once into the cache (ConversionError when pnnx cannot)."""
    size = DetectorSpec.from_card(card).size
    folder = (root or cache_dir()) / f"{card.id}-{variant.sha256[:16]}-{size}"
    found = _cached(folder)
    if found is not None:
        return found
    folder.parent.mkdir(parents=True, exist_ok=True)
    log.info("converting %s for ncnn into %s", card.id, folder)
    with tempfile.TemporaryDirectory(prefix=f".{card.id}-", dir=folder.parent) as temp:
        work = Path(temp) / "files"
        done = convert(variant, size, work, "model")
        note = {"size": size, "outputs": list(done.outputs), "converter": done.converter,
                "source_sha256": variant.sha256, "param_size": done.param.stat().st_size,
                "bin_size": done.weights.stat().st_size}  # fmt: skip
        (work / CACHE_NOTE).write_text(json.dumps(note, indent=2), encoding="utf-8")
        shutil.rmtree(folder, ignore_errors=True)
        work.rename(folder)
    found = _cached(folder)
    assert found is not None
    return found


def ncnn_model_for(card: ModelCard, variant: Variant) -> NcnnModel:
    """The prepared variant when the card has one, else the cached conversion."""
    return from_card(card, check=True) or cached(card, variant)


def variant_entry(done: Converted, source: Variant) -> dict:
    """The card's `ncnn` item; `file`/`sha256` are filled by the store from the graph."""
    return {
        "id": VARIANT_ID, "precision": "fp32", "format": "ncnn", "weights_storage": "fp16",
        "input_size": done.size, "outputs": list(done.outputs),
        "converter": f"{done.converter} from {source.file.name}", "sparsity": 0.0,
    }  # fmt: skip

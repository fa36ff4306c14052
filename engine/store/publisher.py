"""A publisher's model zip made into an Ocelote model folder.

The SPARROW Engine zoo (microsoft/SPARROW-Engine, on Zenodo) ships `<id>/model.onnx`,
`labels.txt` and `manifest.toml` (with the ONNX file's SHA-256). The detector fields of the card
come from Ocelote's catalog entry; the publisher's output method, where it names one, wins
over the catalog's layout, since the publisher made the export. The publisher's own files are
kept under `publisher/` beside the card.
"""

import logging
import shutil
import sys
from pathlib import Path

from engine.hashing import sha256_of
from engine.i18n import _
from engine.store.cards import from_catalog, variant_entry
from engine.store.catalog import CatalogEntry
from engine.store.errors import ChecksumError, ImportProblem
from engine.store.inspect_onnx import inspect
from engine.store.labels import parse_labels_text, write_labels

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

MODEL_FILE = "model.onnx"
PUBLISHER_FOLDER = "publisher"
# SPARROW's postprocessing methods (docs/user-manual.md §10.2) as card output layouts.
METHOD_LAYOUTS = {
    "yolo_e2e": "e2e",
    "megadet_v5a": "yolov5",
    "rtdetr_topk": "rtdetr",
    "softmax": "logits",
}
_log = logging.getLogger(__name__)


def _root(raw: Path, entry: CatalogEntry) -> Path:
    named = raw / entry.download.get("zip_root", "")
    for candidate in (named, raw):
        if (candidate / MODEL_FILE).is_file() or (candidate / "manifest.toml").is_file():
            return candidate
    raise ImportProblem(
        _("The zip for {model} does not hold the expected model files.").format(model=entry.name)
    )


def _manifest(root: Path) -> dict:
    path = root / "manifest.toml"
    if not path.is_file():
        return {}
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise ImportProblem(f"manifest.toml: {error}") from error


def _check_onnx(path: Path, model: dict, entry: CatalogEntry) -> None:
    """The publisher's own SHA-256 of the ONNX file, where its manifest gives one."""
    expected = model.get("onnx_sha256")
    if expected and sha256_of(path) != expected.lower():
        raise ChecksumError(
            _("The model file of {model} is not the one its publisher's manifest describes.")
            .format(model=entry.name)
        )  # fmt: skip


def convert(raw: Path, stage: Path, entry: CatalogEntry, published: dict | None) -> dict:
    """Fill `stage` with model.onnx, labels, the publisher's files; return the card."""
    root = _root(raw, entry)
    manifest = _manifest(root)
    model = manifest.get("model", {})
    source = root / model.get("file", MODEL_FILE)
    if not source.is_file():
        raise ImportProblem(_("The zip for {model} has no ONNX file.").format(model=entry.name))
    _check_onnx(source, model, entry)
    shutil.move(str(source), stage / MODEL_FILE)
    labels_section = manifest.get("labels", {})
    labels_path = root / labels_section.get("file", "labels.txt")
    has_labels = entry.kind == "classifier" and labels_path.is_file()
    if has_labels:
        text = labels_path.read_text(encoding="utf-8-sig")
        write_labels(stage, parse_labels_text(text, labels_section.get("format", "one_per_line")))
    keep = stage / PUBLISHER_FOLDER
    shutil.copytree(root, keep, ignore=shutil.ignore_patterns("*.onnx", "*.tflite"))
    info = inspect(stage / MODEL_FILE)
    card = from_catalog(entry, info, variant_entry(stage, MODEL_FILE, published), has_labels)
    method = manifest.get("postprocessing", {}).get("method")
    layout = METHOD_LAYOUTS.get(method or "")
    if layout and layout != card["output"].get("layout"):
        _log.info("%s: the publisher's method %s gives layout %s", entry.id, method, layout)
        card["output"]["layout"] = layout
    card["source"]["publisher_files"] = PUBLISHER_FOLDER
    return card

"""Stand-in models for the detection tests: the committed detector packs and a tiny species
classifier with taxonomy and a country filter, built here with onnx.helper.

The species classifier looks at how bright its crop is (the mean of every pixel, 0..1) and
gives logits `brightness x weights`: a white crop (the stand-in detectors' "animal") is most
likely a lion, then an ocelot; in Colombia (COL) the lion is filtered out and the ocelot wins.
"""

import csv
import hashlib
import json
import shutil
from pathlib import Path

import numpy as np
import onnx
import pytest
from onnx import TensorProto, helper, numpy_helper

REPO = Path(__file__).resolve().parents[3]
PACKS = REPO / "tests" / "data" / "models"
LAYOUTS = ("yolov5", "ultralytics", "e2e", "rtdetr")
SPECIES = [  # label_en, label_es, group, class, order, family, genus, species, countries, weight
    ("ocelot", "ocelote", "felines", "mammalia", "carnivora", "felidae", "leopardus", "pardalis",
     "COL BRA PER", 2.5),
    ("margay", "margay", "felines", "mammalia", "carnivora", "felidae", "leopardus", "wiedii",
     "COL BRA", 1.0),
    ("jaguar", "jaguar", "felines", "mammalia", "carnivora", "felidae", "panthera", "onca",
     "COL BRA PER", 0.0),
    ("puma", "puma", "felines", "mammalia", "carnivora", "felidae", "puma", "concolor", "", 0.0),
    ("lowland paca", "paca", "rodents_lagomorphs", "mammalia", "rodentia", "cuniculidae",
     "cuniculus", "paca", "COL BRA PER", 0.0),
    ("lion", "león", "felines", "mammalia", "carnivora", "felidae", "panthera", "leo",
     "KEN TZA ZAF", 3.0),
]  # fmt: skip
SPECIES_ID = "tiny-species"


def _classifier_graph() -> onnx.ModelProto:
    weights = np.array([[row[-1] for row in SPECIES]], dtype=np.float32)
    nodes = [
        helper.make_node("ReduceMean", ["input"], ["mean"], axes=[1, 2, 3], keepdims=0),
        helper.make_node("Unsqueeze", ["mean", "axis"], ["brightness"]),
        helper.make_node("MatMul", ["brightness", "weights"], ["logits"]),
    ]
    graph = helper.make_graph(
        nodes, "tiny_species",
        [helper.make_tensor_value_info("input", TensorProto.FLOAT, ["batch", 3, 32, 32])],
        [helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["batch", len(SPECIES)])],
        [numpy_helper.from_array(weights, "weights"),
         numpy_helper.from_array(np.array([1], dtype=np.int64), "axis")],
    )  # fmt: skip
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    onnx.checker.check_model(model)
    return model


def make_species_classifier(folder: Path) -> Path:
    """A classifier card (schema 2) with taxonomy labels and a geofence, in `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    onnx.save(_classifier_graph(), folder / "tiny.onnx")
    with (folder / "labels.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["index", "label_en", "label_es", "group", "class", "order", "family",
                         "genus", "species"])  # fmt: skip
        writer.writerows([(i, *row[:8]) for i, row in enumerate(SPECIES)])
    with (folder / "geofence.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["index", "countries"])
        writer.writerows([(i, row[8]) for i, row in enumerate(SPECIES)])
    shutil.copy(REPO / "assets" / "models" / "efficientnet_lite0" / "groups.csv", folder)
    data = (folder / "tiny.onnx").read_bytes()
    card = {
        "schema": 2, "id": SPECIES_ID, "kind": "classifier", "name": "Tiny species stand-in",
        "version": "1", "license": {"spdx": "MIT", "attribution": "Ocelote tests"},
        "input": {"name": "input", "size": 32}, "output": {"name": "logits", "layout": "logits"},
        "preprocessing": {"resize_shorter": 32, "crop": 32, "mean": 0.0, "std": 255.0,
                          "resample": "bilinear"},
        "crop": {"mode": "exact", "margin": 0.0, "resize": "stretch"},
        "rollup_threshold": 0.65, "labels_file": "labels.csv", "groups_file": "groups.csv",
        "geofence_file": "geofence.csv",
        "variants": [{"id": "fp32", "precision": "fp32", "format": "onnx", "file": "tiny.onnx",
                      "sha256": hashlib.sha256(data).hexdigest(), "size_bytes": len(data)}],
    }  # fmt: skip
    (folder / "card.json").write_text(json.dumps(card, indent=2), encoding="utf-8")
    return folder


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private model store holding the four stand-in detectors and the tiny classifier."""
    data = tmp_path / "user-data"
    monkeypatch.setenv("OCELOTE_DATA_DIR", str(data))
    models = data / "models"
    for layout in LAYOUTS:
        shutil.copytree(PACKS / f"standin-det-{layout}", models / f"standin-det-{layout}")
    make_species_classifier(models / SPECIES_ID)
    return models


PATCHES = {"animal": (255, 255, 255), "person": (230, 10, 10), "vehicle": (10, 10, 230)}


def scene(
    path: Path, size: tuple[int, int], patches: dict[str, tuple[int, int, int, int]],
    background: np.ndarray | None = None, orientation: int | None = None,
    taken: str = "2025:03:04 05:06:07",
) -> dict[str, tuple[float, float, float, float]]:  # fmt: skip
    """Write an upright `size` (w, h) JPEG with coloured patches (left, top, right, bottom
    pixels per category, EXIF time `taken`) and return their normalised [x, y, w, h] boxes. With
    `orientation`
    6 the file holds the picture turned a quarter left and an EXIF tag saying to turn it back.
    """
    from PIL import Image

    width, height = size
    pixels = np.full((height, width, 3), 40, np.uint8) if background is None else background
    for category, (left, top, right, bottom) in patches.items():
        pixels[top:bottom, left:right] = PATCHES[category]
    image = Image.fromarray(pixels)
    exif = Image.Exif()
    exif[0x0132] = taken  # DateTime, as a trap camera writes it
    if orientation == 6:
        exif[0x0112] = 6
        image = image.transpose(Image.Transpose.ROTATE_90)
    image.save(path, quality=95, exif=exif)
    return {
        category: (left / width, top / height, (right - left) / width, (bottom - top) / height)
        for category, (left, top, right, bottom) in patches.items()
    }

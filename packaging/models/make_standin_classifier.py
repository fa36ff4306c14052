"""Build the stand-in species classifier that the tests import as a model pack.

Why a stand-in: the real species classifiers (SpeciesNet, AI4G Amazon) are 90–214 MB and cannot
be committed or downloaded by the tests. This one is a real ONNX graph (global average pool and
a dense layer, fixed seed, about 1 kB) with the same card and labels a real one gets: Neotropical
species with class/order/family/genus/species and English/Spanish common names, a person and
an empty label. Its answers mean nothing; its files, card and taxonomy are what the store, the
crop classifier and the reports read.

    /work/main/.venv/bin/python packaging/models/make_standin_classifier.py \
        --out tests/data/models/standin-species
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from pathlib import Path

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from engine.hashing import sha256_of  # noqa: E402
from engine.store.manifest import write_manifest  # noqa: E402

SIZE = 224
MODEL_FILE = "standin_species.onnx"
# label_en, label_es, group, class, order, family, genus, species
LABELS = [
    ("Ocelot", "Ocelote", "mammals", "mammalia", "carnivora", "felidae", "leopardus", "pardalis"),
    ("Jaguar", "Jaguar", "mammals", "mammalia", "carnivora", "felidae", "panthera", "onca"),
    ("Puma", "Puma", "mammals", "mammalia", "carnivora", "felidae", "puma", "concolor"),
    ("Lowland tapir", "Danta", "mammals", "mammalia", "perissodactyla", "tapiridae", "tapirus",
     "terrestris"),
    ("Collared peccary", "Saíno", "mammals", "mammalia", "artiodactyla", "tayassuidae", "pecari",
     "tajacu"),
    ("Spotted paca", "Guagua", "mammals", "mammalia", "rodentia", "cuniculidae", "cuniculus",
     "paca"),
    ("Central American agouti", "Ñeque", "mammals", "mammalia", "rodentia", "dasyproctidae",
     "dasyprocta", "punctata"),
    ("South American coati", "Cusumbo", "mammals", "mammalia", "carnivora", "procyonidae",
     "nasua", "nasua"),
    ("Nine-banded armadillo", "Armadillo de nueve bandas", "mammals", "mammalia", "cingulata",
     "dasypodidae", "dasypus", "novemcinctus"),
    ("Brocket deer", "Venado soche", "mammals", "mammalia", "artiodactyla", "cervidae", "mazama",
     ""),
    ("Great curassow", "Paujil", "birds", "aves", "galliformes", "cracidae", "crax", "rubra"),
    ("Human", "Persona", "people", "mammalia", "primates", "hominidae", "homo", "sapiens"),
    ("Blank", "Vacío", "background", "", "", "", "", ""),
]  # fmt: skip
GROUPS = [
    ("mammals", "Mammals", "Mamíferos"),
    ("birds", "Birds", "Aves"),
    ("people", "People", "Personas"),
    ("background", "Background / empty", "Fondo / vacío"),
]


def build_onnx(path: Path) -> None:
    """input [1, 3, 224, 224] → logits [1, classes]: pool, then a fixed-seed dense layer."""
    rng = np.random.default_rng(20261130)
    weight = rng.normal(size=(3, len(LABELS))).astype(np.float32)
    bias = rng.normal(size=(len(LABELS),)).astype(np.float32)
    nodes = [
        helper.make_node("GlobalAveragePool", ["input"], ["pooled"]),
        helper.make_node("Flatten", ["pooled"], ["flat"]),
        helper.make_node("Gemm", ["flat", "w", "b"], ["logits"]),
    ]
    graph = helper.make_graph(
        nodes,
        "standin-species",
        [helper.make_tensor_value_info("input", TensorProto.FLOAT, [1, 3, SIZE, SIZE])],
        [helper.make_tensor_value_info("logits", TensorProto.FLOAT, [1, len(LABELS)])],
        [numpy_helper.from_array(weight, "w"), numpy_helper.from_array(bias, "b")],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    model.producer_name = "ocelote make_standin_classifier.py"
    onnx.checker.check_model(model)
    path.write_bytes(model.SerializeToString())


def write_csvs(out: Path) -> None:
    with (out / "labels.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["index", "label_en", "label_es", "group", "class", "order", "family",
                         "genus", "species"])  # fmt: skip
        for index, row in enumerate(LABELS):
            writer.writerow([index, *row])
    with (out / "groups.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["group", "name_en", "name_es"])
        writer.writerows(GROUPS)


def card(out: Path) -> dict:
    model = out / MODEL_FILE
    return {
        "schema": 2,
        "id": "standin-species",
        "kind": "classifier",
        "name": "Stand-in species classifier (tests)",
        "version": "1",
        "purpose": {
            "en": "A tiny stand-in for a species classifier, for tests: its answers mean nothing.",
            "es": "Un sustituto diminuto de un clasificador de especies, para pruebas: sus "
            "respuestas no significan nada.",
        },
        "source": {
            "publisher": "Ocelote",
            "urls": [],
            "homepage": "packaging/models/make_standin_classifier.py",
        },  # fmt: skip
        "license": {"spdx": "Apache-2.0", "attribution": "Made by Ocelote's build script."},
        "input": {"name": "input", "size": SIZE, "layout": "NCHW", "color": "RGB"},
        "preprocessing": {
            "resize_shorter": SIZE,
            "crop": SIZE,
            "mean": 0.0,
            "std": 255.0,
            "resample": "bilinear",
        },  # fmt: skip
        "output": {"name": "logits", "layout": "logits"},
        "crop": {"mode": "exact", "margin": 0.0},
        "rollup_threshold": 0.65,
        "labels_file": "labels.csv",
        "groups_file": "groups.csv",
        "variants": [
            {
                "id": "fp32",
                "precision": "fp32",
                "format": "onnx",
                "file": MODEL_FILE,
                "sha256": sha256_of(model),
                "size_bytes": model.stat().st_size,
                "published": None,
            }
        ],  # fmt: skip
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "tests/data/models/standin-species")
    out = parser.parse_args().out
    out.mkdir(parents=True, exist_ok=True)
    build_onnx(out / MODEL_FILE)
    write_csvs(out)
    text = json.dumps(card(out), indent=2, ensure_ascii=False) + "\n"
    (out / "card.json").write_text(text, encoding="utf-8")
    write_manifest(out)
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

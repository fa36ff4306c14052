"""Stand-in detectors built on demand into `<user data>/cache/standins/<id>/` with a card.

Kept out of the model store on purpose: a stand-in must never be offered for real work. The
first `bench detect --stand-in` on a PC builds it (seconds; ~560 MB for the YOLOv5x6), later
runs reuse it once its files match the card's sizes and SHA-256.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import onnx

from engine.bench.standins.arch import YOLOV5S, YOLOV5X6, Arch, build
from engine.bench.standins.flops import conv_gflops
from engine.detection.plan import MDV5A_GFLOPS
from engine.hashing import sha256_of
from engine.paths import user_data_dir

CARD_FILE = "card.json"


@dataclass(frozen=True)
class StandIn:
    """What a stand-in stands for: the architecture and the input its original is run at."""

    key: str  # the `--stand-in` value
    arch: Arch
    size: int
    stands_for: str
    seed: int

    @property
    def model_id(self) -> str:
        return f"standin-{self.key}"


STANDINS = {
    "mdv5a": StandIn("mdv5a", YOLOV5X6, 1280, "MegaDetector v5a / MDv1000-redwood", 5),
    "light": StandIn(
        "light", YOLOV5S, 640, "a light detector at 640 (MDv1000-spruce, MDv6-compact)", 6
    ),
}  # fmt: skip


def standins_dir() -> Path:
    return user_data_dir() / "cache" / "standins"


def _file_entry(path: Path) -> dict[str, object]:
    return {"file": path.name, "sha256": sha256_of(path), "size_bytes": path.stat().st_size}


def standin_card(standin: StandIn, graph: Path, weights: Path) -> dict[str, object]:
    """card.json (schema 2, detector) for a stand-in: says loudly that its weights are random."""
    arch = standin.arch
    layers = onnx.load(str(graph), load_external_data=False)
    gflops = conv_gflops(layers, standin.size, standin.size)
    yaml = f"https://github.com/ultralytics/yolov5/blob/master/models/{arch.name}.yaml"
    if arch.p6:
        yaml = yaml.replace("/models/", "/models/hub/")
    return {
        "schema": 2,
        "id": standin.model_id,
        "kind": "detector",
        "name": f"Stand-in for {standin.stands_for}: {arch.name} layers, RANDOM weights",
        "version": "1",
        "random_weights": True,
        "stands_for": standin.stands_for,
        "purpose": {
            "en": "Speed benchmarks only: the layers of the real detector with random weights. "
            "It finds nothing; never use it on photos for results.",
            "es": "Solo para medir velocidad: las capas del detector real con pesos aleatorios. "
            "No encuentra nada; nunca lo use para resultados.",
        },
        "source": {
            "publisher": "Ocelote (built on this PC by engine/bench/standins)",
            "urls": [yaml],
            "homepage": "https://github.com/ultralytics/yolov5",
        },
        "license": {
            "spdx": "Apache-2.0",
            "attribution": f"Layer layout after Ultralytics YOLOv5 ({arch.name}.yaml); "
            "the weights are random numbers drawn on this PC.",
        },
        "architecture": {
            "name": arch.name,
            "strides": list(arch.strides),
            "anchors_per_level": 3,
            "gflops_at_size": round(gflops, 1),
        },
        "relative_speed": round(MDV5A_GFLOPS / gflops, 2),
        "input": {
            "name": "images",
            "size": standin.size,
            "layout": "NCHW",
            "color": "RGB",
            "resize": "letterbox",
            "stride": max(arch.strides),
            "fixed_shape": False,
            "pad_value": 114,
            "scale": 255.0,
        },  # fmt: skip
        "output": {"name": "output0", "layout": "yolov5"},
        "categories": ["animal", "person", "vehicle"],
        "thresholds": {"floor": 0.01, "typical": 0.2, "conservative": 0.05, "nms_iou": 0.45},
        "variants": [
            {
                "id": "fp32",
                "precision": "fp32",
                "format": "onnx",
                "file": graph.name,
                **{k: v for k, v in _file_entry(graph).items() if k != "file"},
                "files": {"graph": _file_entry(graph), "weights": _file_entry(weights)},
                "published": None,
            }
        ],  # fmt: skip
    }


def _valid(folder: Path) -> bool:
    card_path = folder / CARD_FILE
    if not card_path.is_file():
        return False
    card = json.loads(card_path.read_text(encoding="utf-8"))
    if "relative_speed" not in card:  # built by an earlier version: plans need its speed
        return False
    for entry in card["variants"][0]["files"].values():
        path = folder / entry["file"]
        if not path.is_file() or path.stat().st_size != entry["size_bytes"]:
            return False
        if sha256_of(path) != entry["sha256"]:
            return False
    return True


def ensure_standin(key: str, root: Path | None = None) -> Path:
    """The folder of a built stand-in (card.json + ONNX graph + weights), building it if needed."""
    standin = STANDINS[key]
    root = root or standins_dir()
    folder = root / standin.model_id
    if _valid(folder):
        return folder
    root.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=f".{standin.model_id}-", dir=root) as temp:
        work = Path(temp)
        graph, weights = work / f"{standin.model_id}.onnx", work / f"{standin.model_id}.weights"
        onnx.save_model(
            build(standin.arch, standin.seed), str(graph), save_as_external_data=True,
            all_tensors_to_one_file=True, location=weights.name,
        )  # fmt: skip
        card = standin_card(standin, graph, weights)
        (work / CARD_FILE).write_text(json.dumps(card, indent=2) + "\n", encoding="utf-8")
        if folder.exists():
            shutil.rmtree(folder)
        work.rename(folder)
        work.mkdir()  # the context manager removes the (now empty) temporary name
    return folder

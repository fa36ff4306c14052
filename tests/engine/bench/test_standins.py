"""Stand-in detectors: the real YOLOv5 layouts (checked against Ultralytics' published FLOPs and
parameter counts), runnable by onnxruntime at any size, with a card that says 'random'."""

import json
import math
from pathlib import Path

import numpy as np
import onnxruntime as ort
import pytest

from engine.bench.standins.arch import YOLOV5S, YOLOV5X6, Arch, build
from engine.bench.standins.flops import conv_gflops
from engine.bench.standins.store import STANDINS, ensure_standin, standins_dir
from engine.hashing import sha256_of

# Ultralytics' README table: GFLOPs at 640 (thop, x2) and parameters of the PyTorch models.
PUBLISHED = {"yolov5s": (16.5, 7.2e6), "yolov5x6": (209.8, 140.7e6)}


def _rows(arch: Arch, height: int, width: int) -> int:
    return sum(3 * math.ceil(height / s) * math.ceil(width / s) for s in arch.strides)


def _run(model: bytes | str, batch: np.ndarray) -> np.ndarray:
    session = ort.InferenceSession(model, providers=["CPUExecutionProvider"])
    return session.run(["output0"], {"images": batch})[0]


@pytest.mark.parametrize(
    "arch", [YOLOV5S, pytest.param(YOLOV5X6, marks=pytest.mark.slow)], ids=lambda a: a.name
)
def test_layout_matches_the_published_network(arch: Arch) -> None:
    model = build(arch)
    gflops, params = PUBLISHED[arch.name]
    # Convolutions only: thop also counts BatchNorm and activations, a few per cent more.
    assert conv_gflops(model, 640, 640) == pytest.approx(gflops, rel=0.06)
    weights = sum(int(np.prod(t.dims)) for t in model.graph.initializer if len(t.dims) == 4)
    assert weights == pytest.approx(params, rel=0.03)
    batch = np.random.default_rng(1).random((2, 3, 128, 192), dtype=np.float32)
    out = _run(model.SerializeToString(), batch)
    assert out.shape == (2, _rows(arch, 128, 192), 8)
    assert np.all((out[..., 4:] >= 0) & (out[..., 4:] <= 1))  # sigmoid scores
    assert np.all(out[..., 2:4] > 0)  # widths and heights in pixels
    first_level = out[0, : 3 * 16 * 24].reshape(3, 16 * 24, 8)  # stride 8: 16 x 24 cells
    centres = first_level[0, :, :2]
    grid = np.stack(np.meshgrid(np.arange(24), np.arange(16)), -1).reshape(-1, 2) * 8 + 4
    assert np.all(np.abs(centres - grid) <= 12)  # (2 sigmoid - 0.5 + cell) x stride


def test_rows_at_the_sizes_the_originals_run() -> None:
    assert _rows(YOLOV5X6, 1280, 1280) == 102_000 and _rows(YOLOV5S, 640, 640) == 25_200


def test_light_standin_is_built_once_with_its_card(tmp_path: Path) -> None:
    folder = ensure_standin("light", tmp_path)
    card = json.loads((folder / "card.json").read_text(encoding="utf-8"))
    assert card["schema"] == 2 and card["kind"] == "detector" and card["random_weights"] is True
    assert "RANDOM" in card["name"] and "random" in card["purpose"]["en"]
    assert card["input"]["size"] == 640 and card["input"]["stride"] == 32
    assert card["output"] == {"name": "output0", "layout": "yolov5"}
    assert card["categories"] == ["animal", "person", "vehicle"]
    variant = card["variants"][0]
    for entry in variant["files"].values():
        assert sha256_of(folder / entry["file"]) == entry["sha256"]
    out = _run(str(folder / variant["file"]), np.zeros((1, 3, 640, 640), np.float32))
    assert out.shape == (1, 25_200, 8)
    graph = folder / variant["file"]
    stamp = graph.stat().st_mtime_ns
    assert ensure_standin("light", tmp_path) == folder and graph.stat().st_mtime_ns == stamp
    (folder / variant["files"]["weights"]["file"]).write_bytes(b"damaged")
    ensure_standin("light", tmp_path)  # a damaged cache is rebuilt, not used
    assert (
        sha256_of(folder / variant["files"]["weights"]["file"])
        == (variant["files"]["weights"]["sha256"])
    )


def test_standins_live_in_the_cache_not_the_model_store() -> None:
    assert standins_dir().parts[-2:] == ("cache", "standins")
    assert set(STANDINS) == {"mdv5a", "light"}


@pytest.mark.slow
def test_mdv5a_standin_at_1280() -> None:
    folder = ensure_standin("mdv5a")
    card = json.loads((folder / "card.json").read_text(encoding="utf-8"))
    assert card["input"]["size"] == 1280 and card["input"]["stride"] == 64
    assert card["architecture"]["gflops_at_size"] == pytest.approx(4 * 209.8, rel=0.06)
    out = _run(str(folder / card["variants"][0]["file"]), np.zeros((1, 3, 1280, 1280), np.float32))
    assert out.shape == (1, 102_000, 8)

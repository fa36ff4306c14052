"""A tiny model (3x8x8 -> conv 3x3 + ReLU -> global average -> 4 values) in ONNX and ncnn form.

Why: "is this backend usable here?" must create a real session on the device (drivers fail at
session creation or at the first run, not at import), yet take well under a second. The expected
output is computed in numpy, so a device that runs but computes wrong numbers is caught too.
The ONNX bytes were made with onnx.helper (tests/engine/backends/test_tiny_models.py rebuilds
them); the ncnn files are written from the same weights.
"""

import base64
import struct
from pathlib import Path

import numpy as np

from engine.hashing import sha256_of
from engine.media.preprocess import Preprocessing
from engine.models.card import Label, ModelCard, ModelFile, Variant

SIZE = 8
CLASSES = 4
ONNX_B64 = (
    "CAgSDW9jZWxvdGUtcHJvYmU6qgUKQAoFaW5wdXQKAXcKAWISAWMiBENvbnYqFQoMa2VybmVsX3NoYXBlQANAA6AB"
    "ByoRCgRwYWRzQAFAAUABQAGgAQcKDAoBYxIBciIEUmVsdQoZCgFyEgFnIhFHbG9iYWxBdmVyYWdlUG9vbAoUCgFn"
    "EgZsb2dpdHMiB0ZsYXR0ZW4SBHRpbnkqwAMIBAgDCAMIAxABQgF3SrADmpmZvs3MTL7NzMy9AAAAAM3MzD3NzEw+"
    "mpmZPpqZmb7NzEy+zczMvQAAAADNzMw9zcxMPpqZmT6amZm+zcxMvs3MzL0AAAAAzczMPc3MTD6amZk+mpmZvs3M"
    "TL7NzMy9AAAAAM3MzD3NzEw+mpmZPpqZmb7NzEy+zczMvQAAAADNzMw9zcxMPpqZmT6amZm+zcxMvs3MzL0AAAAA"
    "zczMPc3MTD6amZk+mpmZvs3MTL7NzMy9AAAAAM3MzD3NzEw+mpmZPpqZmb7NzEy+zczMvQAAAADNzMw9zcxMPpqZ"
    "mT6amZm+zcxMvs3MzL0AAAAAzczMPc3MTD6amZk+mpmZvs3MTL7NzMy9AAAAAM3MzD3NzEw+mpmZPpqZmb7NzEy+"
    "zczMvQAAAADNzMw9zcxMPpqZmT6amZm+zcxMvs3MzL0AAAAAzczMPc3MTD6amZk+mpmZvs3MTL7NzMy9AAAAAM3M"
    "zD3NzEw+mpmZPpqZmb7NzEy+zczMvQAAAADNzMw9zcxMPpqZmT6amZm+zcxMvs3MzL0AAAAAzczMPc3MTD6amZk+"
    "mpmZvs3MTL7NzMy9KhkIBBABQgFiShDNzMw9zcxMvpqZmT4AAAAAWiQKBWlucHV0EhsKGQgBEhUKBxIFYmF0Y2gK"
    "AggDCgIICAoCCAhiHQoGbG9naXRzEhMKEQgBEg0KBxIFYmF0Y2gKAggEQgQKABAR"
)
NCNN_PARAM = """7767517
3 3
Input in0 0 1 in0
Convolution conv0 1 1 in0 c0 0=4 1=3 4=1 5=1 6=108 9=1
Pooling gap0 1 1 c0 out0 0=1 4=1
"""


def weights() -> tuple[np.ndarray, np.ndarray]:
    """The same numbers as in ONNX_B64."""
    w = (np.arange(108, dtype=np.float32).reshape(4, 3, 3, 3) % 7 - 3) / 10
    return w, np.array([0.1, -0.2, 0.3, 0.0], np.float32)


def sample_batch(n: int = 2) -> np.ndarray:
    return np.linspace(-1.0, 1.0, n * 3 * SIZE * SIZE, dtype=np.float32).reshape(n, 3, SIZE, SIZE)


def expected(batch: np.ndarray) -> np.ndarray:
    """Conv 3x3 (padding 1) + bias, ReLU, mean over the image: the right answer, in numpy."""
    w, b = weights()
    padded = np.pad(batch, ((0, 0), (0, 0), (1, 1), (1, 1)))
    out = np.zeros((len(batch), CLASSES, SIZE, SIZE), np.float32) + b[None, :, None, None]
    for dy in range(3):
        for dx in range(3):
            window = padded[:, :, dy : dy + SIZE, dx : dx + SIZE]
            out += np.einsum("nchw,oc->nohw", window, w[:, :, dy, dx])
    return np.maximum(out, 0).mean(axis=(2, 3))


def _variant(vid: str, fmt: str, file: Path, files: tuple[ModelFile, ...] = ()) -> Variant:
    return Variant(vid, "fp32", file, sha256_of(file), file.stat().st_size, 0.0, 1.0, fmt, files)


def write_tiny_card(folder: Path) -> ModelCard:
    """Write both forms into `folder` and describe them as a card the adapters can load."""
    folder.mkdir(parents=True, exist_ok=True)
    onnx_path = folder / "tiny.onnx"
    onnx_path.write_bytes(base64.b64decode("".join(ONNX_B64)))
    param, bin_path = folder / "tiny.ncnn.param", folder / "tiny.ncnn.bin"
    param.write_text(NCNN_PARAM, encoding="utf-8")
    w, b = weights()
    bin_path.write_bytes(struct.pack("<I", 0) + w.tobytes() + b.tobytes())  # flag 0: float32
    files = tuple(
        ModelFile(role, path, sha256_of(path), path.stat().st_size)
        for role, path in (("param", param), ("bin", bin_path))
    )
    variants = (
        _variant("fp32", "onnx", onnx_path),
        _variant("ncnn", "ncnn", param, files),
    )
    labels = tuple(Label(i, f"c{i}", f"c{i}", "other") for i in range(CLASSES))
    return ModelCard(
        id="ocelote-tiny-probe", name="tiny probe", folder=folder, input_name="input",
        input_size=SIZE, output_name="logits", preprocessing=Preprocessing(), labels=labels,
        groups={}, variants=variants, attribution="",
    )  # fmt: skip

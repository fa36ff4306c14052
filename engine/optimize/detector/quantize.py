"""Static QDQ INT8 of a detector with the settings measured to agree and to run fast on CPUs.

The classifier's `engine.optimize.quantize.make_int8` uses symmetric QInt8 activations; for a
YOLO detector on onnxruntime 1.32's CPU that pair (S8S8) is not fused into QLinearConv: the
convolutions stay in float between Dequantize/Quantize nodes, measured 3.8x slower than FP32 on
the trained stand-in. Asymmetric QUInt8 activations (U8S8) are fused. Agreement with FP32 on
the trained stand-in (80 photos calibrate, 80 held out, 139-146 detections at threshold 0.2):
- every node quantized but the stem: 89.7 % of detections agree (and slower than below);
- stem and head (graph.head_nodes) in FP32, MinMax ranges: 97.2 %;
- the same with the 99.999th percentile of each activation as its range: 100 %.
On harder photo sets (more boxes near the threshold) quantizing the convolutions only, not
SiLU's sigmoid and product, moved agreement from 93.9 to 96.9 % (30 held out) and from 95.2
to 98.0 % (50 held out), at the same speed. What disagrees is boxes scored 0.2-0.22 that
cross the threshold either way.
"""

from __future__ import annotations

import contextlib
import io
import tempfile
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from engine.optimize.quantize import PhotoReader

PERCENTILE = 99.999
# The histogram calibrator holds every activation of every calibration photo at once: it gets
# the photos this budget holds. MinMax's calibration graph outputs only each tensor's min and
# max, so it takes every photo in little memory.
HISTOGRAM_BUDGET = 1 << 30
MIN_HISTOGRAM_PHOTOS = 16  # fewer than this in the budget: MinMax ranges on every photo
# Convolutions only: their activations in float between them (SiLU's sigmoid, the residual
# adds, concats) cost little time and keep boxes near the threshold where FP32 puts them.
QUANTIZED_OPS = ("Conv",)


def make_detector_int8_file(
    source: Path, target: Path, tensors: np.ndarray, keep_fp32: Sequence[str], input_name: str,
    photo_bytes: int = 0,
) -> tuple[str, int]:  # fmt: skip
    """`source`: one file, every node named (onnx_tools.named_copy). Per-channel QInt8 weights,
    QUInt8 activations ranged at their 99.999th percentile on as many calibration photos as
    the histogram budget holds (`photo_bytes`: the activations of one photo), or MinMax on all
    of them where fewer than MIN_HISTOGRAM_PHOTOS fit or the histogram cannot bin a tensor (a
    near-constant one of large values, as random-weight stand-ins have); `keep_fp32` nodes
    left in float. Returns the ranges used ("percentile" or "minmax") and the photos used."""
    from onnxruntime.quantization.shape_inference import quant_pre_process

    fit = HISTOGRAM_BUDGET // max(photo_bytes, 1)
    # The histogram calibrator prints its progress; the CLI prints its own figures instead.
    with (
        tempfile.TemporaryDirectory(prefix="ocelote-int8-") as work,
        contextlib.redirect_stdout(io.StringIO()),
    ):
        prepared = Path(work) / "prepared.onnx"
        quant_pre_process(str(source), str(prepared), skip_symbolic_shape=True)
        if fit >= min(MIN_HISTOGRAM_PHOTOS, len(tensors)):
            used = tensors[:fit]  # in hash order already: an even sample
            try:
                _quantize(prepared, target, used, keep_fp32, input_name, "percentile")
                return "percentile", len(used)
            except ValueError:
                pass
        _quantize(prepared, target, tensors, keep_fp32, input_name, "minmax")
        return "minmax", len(tensors)


def _quantize(
    prepared: Path, target: Path, tensors: np.ndarray, keep_fp32: Sequence[str],
    input_name: str, ranges: str,
) -> None:  # fmt: skip
    from onnxruntime.quantization import CalibrationMethod, QuantFormat, QuantType, quantize_static

    percentile = ranges == "percentile"
    quantize_static(
        str(prepared),
        str(target),
        PhotoReader(tensors, input_name),
        quant_format=QuantFormat.QDQ,
        per_channel=True,
        activation_type=QuantType.QUInt8,
        weight_type=QuantType.QInt8,
        calibrate_method=CalibrationMethod.Percentile if percentile else CalibrationMethod.MinMax,
        nodes_to_exclude=list(keep_fp32),
        op_types_to_quantize=list(QUANTIZED_OPS),
        extra_options={"CalibPercentile": PERCENTILE} if percentile else {},
    )

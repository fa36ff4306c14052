"""Make INT8 of an installed detector from the user's photos, check it, and keep it if offered.

Steps: split the photos (calibration / held out, `photos.split_photos`), quantize on the
calibration photos (static QDQ, per-channel weights, `quantize.make_detector_int8_file`),
run FP32 and INT8 through the job's runtime on the held-out photos only, compare them at the
card's typical threshold (`engine.detection.agreement`), measure both speeds on this PC. INT8
is offered only when it is faster AND agrees in >= 98 % of detections and of empty calls; only
an offered variant can be kept, with its measurement, in the detector's model folder.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from engine.detection.agreement import Agreement, compare
from engine.detection.int8 import CPU_BACKEND, MIN_DETECTIONS, MIN_GAIN, Int8Measurement
from engine.detection.runtime import DetectorRuntime
from engine.detection.spec import DetectorSpec
from engine.hardware.cpu import read_cpu
from engine.models.card import ModelCard, Variant
from engine.optimize.detector.graph import activation_bytes, head_nodes
from engine.optimize.detector.inputs import calibration_tensors, decode_photos
from engine.optimize.detector.photos import Split, all_photos, split_photos
from engine.optimize.detector.quantize import make_detector_int8_file
from engine.optimize.detector.speed import compare_speed
from engine.optimize.onnx_tools import named_copy
from engine.optimize.quantize import input_layers
from engine.optimize.sample import NoPhotos

VARIANT_ID = "user-int8"
WORK_PREFIX = "ocelote-detector-int8-"
Progress = Callable[[str], None]


class NotOffered(ValueError):
    """Keeping a variant whose measurement does not offer it."""


@dataclass(frozen=True)
class DetectorRequest:
    photos: Path
    limit: int = 100  # photos in all, calibration and held-out together
    seconds: float = 3.0  # speed measurement, per model
    calibration: Path | None = None  # calibrate on this folder; then all `photos` check
    head_in_fp32: bool = True  # graph.head_nodes stay FP32 (see graph.py)


@dataclass(frozen=True)
class DetectorCandidate:
    card: ModelCard
    path: Path  # the INT8 file, in a work folder until kept
    measurement: Int8Measurement
    split: Split


def _split(request: DetectorRequest) -> Split:
    if request.calibration is None:
        return split_photos(request.photos, request.limit)
    return Split(
        all_photos(request.calibration, request.limit), all_photos(request.photos, request.limit)
    )


def _fp32(card: ModelCard) -> Variant:
    return next(v for v in card.variants_in("onnx") if v.precision == "fp32")


def _agrees(agreement: Agreement) -> bool:
    return agreement.good_enough() and agreement.detections >= MIN_DETECTIONS


def make_detector_int8(
    card: ModelCard, request: DetectorRequest, progress: Progress | None = None
) -> DetectorCandidate:
    """Quantize, check and measure; the file stays in a work folder (keep or discard it).
    `progress` hears each step's name: decode, quantize, compare, speed."""
    say = progress or (lambda _step: None)
    spec = DetectorSpec.from_card(card)
    split = _split(request)
    say("decode")
    tensors = calibration_tensors(split.calibration, spec)
    held_out = decode_photos(split.held_out, spec)
    if not len(tensors) or not len(held_out):
        raise NoPhotos(str(request.photos))
    work = Path(tempfile.mkdtemp(prefix=WORK_PREFIX))
    try:
        say("quantize")
        target, kept, ranges, calibrated = _quantized(card, spec, request, tensors, work)
        int8_variant = Variant(VARIANT_ID, "int8", target, "", target.stat().st_size, 0.0, None)
        fp32 = DetectorRuntime(card, _fp32(card), CPU_BACKEND)
        int8 = DetectorRuntime(card, int8_variant, CPU_BACKEND)
        say("compare")
        pixels, placements = list(held_out.pixels), list(held_out.placements)
        agreement = compare(
            fp32.detect(pixels, placements), int8.detect(pixels, placements), spec.typical
        )
        say("speed")
        fp32_rate, int8_rate = compare_speed(fp32, int8, held_out, request.seconds)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)  # nothing half-made is left behind
        raise
    import onnxruntime

    fp32_rate, int8_rate = round(fp32_rate, 2), round(int8_rate, 2)
    measured = Int8Measurement(
        variant_id=VARIANT_ID, calibration_photos=calibrated, held_out_photos=len(held_out),
        detections=agreement.detections, matched=agreement.matched,
        calls_equal=agreement.calls_equal, detection_rate=round(agreement.detection_rate, 4),
        call_rate=round(agreement.call_rate, 4), threshold=spec.typical,
        fp32_images_per_second=fp32_rate, int8_images_per_second=int8_rate,
        batch=fp32.max_batch or 0, backend=CPU_BACKEND, cpu=read_cpu().model,
        onnxruntime=onnxruntime.__version__,
        date=datetime.now(UTC).isoformat(timespec="seconds"),
        faster=int8_rate >= fp32_rate * MIN_GAIN, agrees=_agrees(agreement),
        kept_in_fp32=tuple(kept), ranges=ranges,
    )  # fmt: skip
    return DetectorCandidate(card, target, measured, split)


def _quantized(
    card: ModelCard, spec: DetectorSpec, request: DetectorRequest, tensors: np.ndarray,
    work: Path,
) -> tuple[Path, list[str], str, int]:  # fmt: skip
    """(INT8 file, nodes kept in FP32, ranges, calibration photos used)."""
    named = named_copy(_fp32(card).file, work / "source.onnx")
    kept = input_layers(named) + (head_nodes(named) if request.head_in_fp32 else [])
    target = work / f"{VARIANT_ID}.onnx"
    ranges, calibrated = make_detector_int8_file(
        named, target, tensors, kept, spec.input_name, activation_bytes(named, spec.size)
    )
    named.unlink()
    return target, kept, ranges, calibrated


def keep_detector_int8(candidate: DetectorCandidate) -> ModelCard:
    """Into the detector's model folder (card entry with the measurement, manifest rewritten);
    refused unless the measurement offers it."""
    from engine.models.store import add_variant

    if not candidate.measurement.offered:
        raise NotOffered(candidate.measurement.variant_id)
    entry = {
        "id": VARIANT_ID, "precision": "int8", "format": "onnx", "sparsity": 0.0,
        "made_from": "fp32", "measured": candidate.measurement.as_json(),
    }  # fmt: skip
    updated = add_variant(candidate.card, candidate.path, entry)
    discard_detector_int8(candidate)
    return updated


def discard_detector_int8(candidate: DetectorCandidate) -> None:
    candidate.path.unlink(missing_ok=True)
    if candidate.path.parent.name.startswith(WORK_PREFIX):
        shutil.rmtree(candidate.path.parent, ignore_errors=True)

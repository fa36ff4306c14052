"""A plain-language verdict from measured figures only: photos per hour, on what, and how much
longer the CPU alone would take. Inputs are plain dicts (a run just made or one from history).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

from engine.i18n import _, fmt_duration, fmt_number

CARD_PHOTOS = 10_000  # a typical memory card, for the time a detector takes
CPU_BACKENDS = ("onnxruntime-cpu", "ncnn-cpu", "opencv-cpu")
APIS = {
    "ncnn-vulkan": "Vulkan",
    "onnxruntime-directml": "DirectML",
    "onnxruntime-cuda": "CUDA",
    "onnxruntime-rocm": "ROCm",
    "onnxruntime-migraphx": "MIGraphX",
    "onnxruntime-openvino": "OpenVINO",
    "opencv-opencl": "OpenCL",
}


def about(value: float) -> str:
    """Two significant figures, locale-formatted: "about 9,000" reads better than 9,137."""
    if value <= 0:
        return fmt_number(0)
    digits = max(0, int(math.floor(math.log10(value))) - 1)
    return fmt_number(round(value / 10**digits) * 10**digits)


def _usable(rows: Sequence[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    return [r for r in rows if r.get("images_per_s", 0) > 0 and not r.get("problem")]


def backend_verdict(rows: Sequence[Mapping[str, Any]]) -> str:
    """From `ocelote bench backends` rows: the fastest route, and the CPU's time against it."""
    usable = _usable(rows)
    if not usable:
        return _("No backend ran on this PC: nothing was measured.")
    best = max(usable, key=lambda r: r["images_per_s"])
    cpus = [r for r in usable if r["backend"] in CPU_BACKENDS]
    per_hour = about(best["images_per_s"] * 3600)
    if best["backend"] in CPU_BACKENDS or not cpus:
        return _(
            "The model alone classifies about {count} photos per hour on the CPU ({backend}, "
            "{precision})."
        ).format(count=per_hour, backend=best["backend"], precision=best["variant"].upper())
    cpu = max(cpus, key=lambda r: r["images_per_s"])
    ratio = best["images_per_s"] / cpu["images_per_s"]
    return _(
        "The model alone classifies about {count} photos per hour with the {device} on {api}; "
        "the CPU alone would take {ratio}× as long."
    ).format(
        count=per_hour,
        device=best.get("device") or best["backend"],
        api=APIS.get(best["backend"], best["backend"]),
        ratio=fmt_number(ratio, 1),
    )


def _against_peer(rate: float, peer: float) -> str:
    """How much longer a one-photo-at-a-time tool takes (nothing when it was not measured)."""
    if peer <= 0:
        return ""
    return " " + _("A one-photo-at-a-time tool would take {ratio}× as long.").format(
        ratio=fmt_number(rate / peer, 1)
    )


def pipeline_verdict(result: Mapping[str, Any]) -> str:
    """From a pipeline benchmark: the whole job's rate per hour and what limits it."""
    rate = float(result.get("pipeline", 0.0))
    if rate <= 0:
        return _("The pipeline did not classify any photo: nothing was measured.")
    decode, infer = result.get("decode_only", 0.0), result.get("inference_only", 0.0)
    limit = _("decoding the photos") if decode < infer else _("the model itself")
    text = _(
        "The whole job (read, decode, classify, save) ran at about {count} photos per "
        "hour; what limits it here is {limit}."
    ).format(count=about(rate * 3600), limit=limit)
    return text + _against_peer(rate, result.get("peer_style", 0.0))


def detect_verdict(result: Mapping[str, Any]) -> str:
    """From a detector benchmark: photos per hour, a 10,000-photo card, and what limits it."""
    rate = float(result.get("pipeline", 0.0))
    if rate <= 0:
        return _("The detector did not run on any photo: nothing was measured.")
    decode, infer = result.get("decode_only", 0.0), result.get("inference_only", 0.0)
    limit = _("decoding the photos") if decode < infer else _("the detector itself")
    text = _(
        "Finding animals ran at about {count} photos per hour here, so a card of {photos} "
        "photos takes about {duration}; what limits it is {limit}."
    ).format(
        count=about(rate * 3600), photos=fmt_number(CARD_PHOTOS),
        duration=fmt_duration(CARD_PHOTOS / rate), limit=limit,
    )  # fmt: skip
    return text + _against_peer(rate, result.get("peer_style", 0.0))


def device_verdict(records: Sequence[Mapping[str, Any]]) -> str:
    """From OpenCL micro-benchmarks: achieved GFLOP/s against the card's paper peak."""
    parts = []
    for r in records:
        if r.get("sgemm_ok") and r.get("sgemm_gflops") and r.get("paper_fp32_gflops"):
            parts.append(
                _(
                    "{device} reached {share} of its paper FP32 peak ({gflops} of {peak} GFLOP/s)."
                ).format(
                    device=r.get("board_name") or r.get("device"),
                    share=fmt_number(100 * r["sgemm_gflops"] / r["paper_fp32_gflops"]) + " %",
                    gflops=fmt_number(r["sgemm_gflops"]),
                    peak=fmt_number(r["paper_fp32_gflops"]),
                )
            )
    return " ".join(parts) or _("No OpenCL device was measured against a known paper peak.")


def headline(rate: str, pipeline: float, bound: float, peer_style: float) -> str:
    """The one line both benches end their table with: the pipeline (`rate`, formatted as
    the bench's table) against its bound and a one-photo-at-a-time tool (0 where missing)."""
    ratio_bound = pipeline / bound if bound else 0.0
    ratio_peer = pipeline / peer_style if peer_style else 0.0
    return _("pipeline {rate} img/s = {bound} of bound, {peer} x peer-style").format(
        rate=rate, bound=fmt_number(ratio_bound, 2), peer=fmt_number(ratio_peer, 1)
    )

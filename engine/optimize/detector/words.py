"""The measured figures and the verdict in words, for the CLI and the Models page."""

from __future__ import annotations

from engine.detection.agreement import REQUIRED
from engine.detection.int8 import MIN_DETECTIONS, MIN_GAIN, Int8Measurement
from engine.i18n import _, fmt_number


def _percent(rate: float) -> str:
    return fmt_number(rate * 100, 1) + " %"


def step_text(step: str) -> str:
    """What `make_detector_int8` is doing, for a progress line."""
    return {
        "decode": _("Reading your photos…"),
        "quantize": _("Making INT8 from the calibration photos…"),
        "compare": _("Comparing INT8 with FP32 on the held-out photos…"),
        "speed": _("Measuring the speed of both on this PC…"),
    }[step]


def figures(m: Int8Measurement) -> list[str]:
    return [
        _("Photos: {calibration} to calibrate, {held_out} held out to check (never used to "
          "calibrate)").format(calibration=m.calibration_photos, held_out=m.held_out_photos),
        _("Agreement with FP32 at threshold {threshold}: detections {detections} ({matched} of "
          "{total}), empty or not {calls} ({equal} of {photos})").format(
            threshold=fmt_number(m.threshold, 2), detections=_percent(m.detection_rate),
            matched=m.matched, total=m.detections, calls=_percent(m.call_rate),
            equal=m.calls_equal, photos=m.held_out_photos,
        ),
        _("Speed on this PC ({backend}, batch {batch}): FP32 {fp32} photos/s, INT8 {int8} "
          "photos/s, {ratio}x").format(
            backend=m.backend, batch=m.batch or _("all"),
            fp32=fmt_number(m.fp32_images_per_second, 1),
            int8=fmt_number(m.int8_images_per_second, 1), ratio=fmt_number(m.ratio, 2),
        ),
    ]  # fmt: skip


def verdict(m: Int8Measurement) -> str:
    """One plain line: offered, or why not (slower, disagrees, or both)."""
    if m.offered:
        return _("Verdict: INT8 is offered: {ratio}x faster on this PC and agrees with FP32 on "
                 "your photos.").format(ratio=fmt_number(m.ratio, 1))  # fmt: skip
    reasons = []
    if not m.faster:
        reasons.append(
            _(
                "INT8 is not clearly faster than FP32 on this PC ({ratio}x; {needed}x needed)"
            ).format(ratio=fmt_number(m.ratio, 2), needed=fmt_number(MIN_GAIN, 2))
        )
    if m.detections < MIN_DETECTIONS:
        reasons.append(
            _("too few detections on the held-out photos to judge ({count}; {needed} needed): "
              "use more photos, or photos with animals").format(
                count=m.detections, needed=MIN_DETECTIONS
            )
        )  # fmt: skip
    elif not m.agrees:
        reasons.append(
            _("INT8 disagrees with FP32 on your photos (detections {detections}, empty or not "
              "{calls}; {required} needed)").format(
                detections=_percent(m.detection_rate), calls=_percent(m.call_rate),
                required=_percent(REQUIRED),
            )
        )  # fmt: skip
    return _("Verdict: INT8 is not offered: {reasons}.").format(reasons="; ".join(reasons))

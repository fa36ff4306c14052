"""An INT8 detector variant's stored measurement, and whether this PC may use it.

`ocelote optimize --detector` makes INT8 from the user's photos and stores, in the variant's
card entry (`measured`), what it found on this PC: agreement with FP32 on held-out photos and
the speed of both. The job and the plan use the INT8 file only where that measurement says
offered (faster and agreeing) and was taken on this CPU with the CPU backend: a measurement
from another PC says nothing about this one.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from datetime import datetime

from engine.i18n import _, fmt_datetime, fmt_number
from engine.models.card import ModelCard, Variant

KIND = "detector-int8"
CPU_BACKEND = "onnxruntime-cpu"
# INT8 answers differ a little from FP32's, so it must pay for it: within 5 % is a tie on a
# busy PC (two runs of the same model differ that much), and a tie keeps FP32.
MIN_GAIN = 1.05
# Agreement on photos where FP32 finds (almost) nothing proves little: at least this many
# detections on the held-out photos before INT8 can be said to agree.
MIN_DETECTIONS = 10


@dataclass(frozen=True)
class Int8Measurement:
    """What one `optimize --detector` run measured; stored as JSON in the card entry."""

    variant_id: str
    calibration_photos: int
    held_out_photos: int
    detections: int
    matched: int
    calls_equal: int
    detection_rate: float
    call_rate: float
    threshold: float
    fp32_images_per_second: float
    int8_images_per_second: float
    batch: int
    backend: str
    cpu: str
    onnxruntime: str
    date: str
    faster: bool
    agrees: bool
    kept_in_fp32: tuple[str, ...] = ()  # nodes left unquantized, by name
    ranges: str = "percentile"  # how activation ranges were set: "percentile" or "minmax"

    @property
    def ratio(self) -> float:
        fp32 = self.fp32_images_per_second
        return self.int8_images_per_second / fp32 if fp32 > 0 else 0.0

    @property
    def offered(self) -> bool:
        return self.faster and self.agrees

    def as_json(self) -> dict:
        data = asdict(self)
        data["kept_in_fp32"] = list(self.kept_in_fp32)
        return {"kind": KIND, **data, "ratio": round(self.ratio, 3), "offered": self.offered}

    @classmethod
    def from_json(cls, data: dict) -> Int8Measurement | None:
        """None for anything but a detector INT8 measurement (a classifier's figures)."""
        if not isinstance(data, dict) or data.get("kind") != KIND:
            return None
        names = {f.name for f in fields(cls)}
        try:
            values = {k: v for k, v in data.items() if k in names}
            values["kept_in_fp32"] = tuple(values.get("kept_in_fp32", ()))
            return cls(**values)
        except TypeError:
            return None

    def summary(self) -> str:
        """One line people read: "INT8 made on your photos: 1.7x faster, agrees 99.1 %"."""
        agrees = min(self.detection_rate, self.call_rate) * 100
        return _("INT8 made on your photos: {ratio}x faster, agrees {agrees} %").format(
            ratio=fmt_number(self.ratio, 1), agrees=fmt_number(agrees, 1)
        )


def stored_line(found: Int8Measurement) -> str:
    """The summary with where and when it was measured (`models list`, the Models page)."""
    try:
        when = fmt_datetime(datetime.fromisoformat(found.date))
    except ValueError:
        when = found.date
    return _("{summary} (measured on {cpu}, {date})").format(
        summary=found.summary(), cpu=found.cpu, date=when
    )


def measurement(card: ModelCard, variant: Variant) -> Int8Measurement | None:
    for item in card.raw.get("variants", []):
        if item.get("id") == variant.id:
            return Int8Measurement.from_json(item.get("measured", {}))
    return None


def measured_int8(card: ModelCard) -> tuple[Variant, Int8Measurement] | None:
    """The card's latest-listed INT8 variant that has a detector measurement."""
    for variant in reversed(card.variants_in("onnx")):
        found = measurement(card, variant) if variant.precision == "int8" else None
        if found is not None:
            return variant, found
    return None


def offered_here(found: Int8Measurement, cpu_model: str, backend: str = CPU_BACKEND) -> bool:
    """Measured offered, on this CPU, for the backend that will run it."""
    return found.offered and backend == found.backend and cpu_model == found.cpu


def detector_variant(card: ModelCard, backend: str, cpu_model: str) -> Variant:
    """The file a job runs: INT8 where its measurement offers it here, else the first ONNX."""
    made = measured_int8(card)
    if made is not None and offered_here(made[1], cpu_model, backend):
        return made[0]
    return next(v for v in card.variants_in("onnx") if v.precision != "int8")

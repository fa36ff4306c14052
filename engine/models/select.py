"""Which variant of a model runs on which backend of this PC, with the reasons in words.

Rules from facts, in this order: the user's override; a measurement cached by
`ocelote devices --probe`; then the rules below. The result lists fallbacks too, so a backend
that fails on an old driver hands the job to the next one instead of stopping it.

- A discrete GPU whose family has a Vulkan driver runs ncnn on Vulkan (measured far faster
  than the CPU); integrated GPUs are not known to beat the CPU, so they need a measurement.
- FP16 only where it pays: a family with fast FP16, or a card whose memory is tight for FP32.
- FP32 on the CPU by rule: INT8 QDQ measured slower than FP32 with onnxruntime here, both on
  AVX2 (0.7x) and on an AVX-512 VNNI Xeon (0.3x); a probe that measures it faster wins.
  Never INT8 on OpenCV DNN.
- OpenCV's OpenCL target is never chosen by rule (measured 70x slower than the CPU).
- Batch size: the largest power of two up to 16 (64 on ncnn-Vulkan, which runs 16 images per
  pass on 4 extractors) whose estimated memory fits with headroom.
"""

from dataclasses import dataclass, field
from typing import Protocol

from engine.backends.ncnn_vulkan import DEFAULT_GPU_EXTRACTORS, DEFAULT_GPU_IMAGES_PER_PASS
from engine.hardware.device import DeviceProfile, GpuDevice
from engine.i18n import _, fmt_bytes, fmt_number
from engine.models.card import ModelCard, Variant

AUTO = "auto"
CPU_BACKEND = "onnxruntime-cpu"
GPU_BACKEND = "ncnn-vulkan"
ORT_GPU_BACKENDS = ("onnxruntime-directml", "onnxruntime-cuda", "onnxruntime-migraphx")
MAX_BATCH = 16
GPU_MAX_BATCH = DEFAULT_GPU_EXTRACTORS * DEFAULT_GPU_IMAGES_PER_PASS  # every extractor busy: 64
HEADROOM = 2.0
ACTIVATION_BYTES_PER_IMAGE = 24 * 1024**2  # FP32 EfficientNet-Lite0 at 224 px, generous


@dataclass(frozen=True)
class Preferences:
    variant: str = AUTO
    backend: str = AUTO
    threads: int | None = None
    batch_size: int | None = None


class Measured(Protocol):
    """A probe's winner (engine.backends.measure.Row has these fields)."""

    backend: str
    variant: str
    device: str
    images_per_s: float


@dataclass(frozen=True)
class Choice:
    """What runs the job: precision, backend, on which device, batch size, and why."""

    variant: Variant
    backend: str
    device: str
    batch_size: int
    memory_bytes: int
    reasons: tuple[str, ...]
    fallbacks: tuple[tuple[str, str], ...] = field(default=())  # (backend, variant id)

    @property
    def reason(self) -> str:
        return "; ".join(self.reasons)


def estimated_memory(variant: Variant, batch: int) -> int:
    scale = 0.5 if variant.precision == "fp16" else 1.0
    return int(variant.size_bytes + batch * ACTIVATION_BYTES_PER_IMAGE * scale)


def largest_batch(backend: str) -> int:
    return GPU_MAX_BATCH if backend == GPU_BACKEND else MAX_BATCH


def fitting_batch(
    variant: Variant, free_bytes: int | None, wanted: int | None, largest: int = MAX_BATCH
) -> int:
    if wanted:
        return wanted
    batch = largest
    while free_bytes and batch > 1 and estimated_memory(variant, batch) * HEADROOM > free_bytes:
        batch //= 2
    return batch


def _gib(value: int | None) -> str:
    return fmt_bytes(value) if value else _("unknown memory")


def _gpu_candidate(profile: DeviceProfile) -> GpuDevice | None:
    """The discrete GPU that ncnn-Vulkan can reach, the one with most memory first."""
    for gpu in profile.gpus:
        if GPU_BACKEND in gpu.backends and not gpu.integrated:
            return gpu
    return None


def _gpu_precision(gpu: GpuDevice, card: ModelCard) -> tuple[str, str]:
    fp32 = card.variant("fp32")
    free = gpu.vram_free_bytes or gpu.vram_bytes
    if gpu.fast_fp16:
        return "fp16", _("fast FP16 → FP16")
    if free and estimated_memory(fp32, GPU_MAX_BATCH) * HEADROOM > free:
        return "fp16", _("memory is tight → FP16")
    return "fp32", _("no fast FP16 → FP32")


def _cpu_precision() -> tuple[str, str]:
    return "fp32", _("on the CPU, FP32 measured faster than INT8 and is exact")


def _describe(gpu: GpuDevice) -> str:
    return f"{gpu.board or gpu.name}, {_gib(gpu.vram_bytes)}, {gpu.family or _('unknown family')}"


def _integrated_note(profile: DeviceProfile) -> tuple[str, ...]:
    return tuple(
        _("{device} is integrated: not known to beat the CPU (measure it with --probe)").format(
            device=gpu.board or gpu.name
        )
        for gpu in profile.gpus
        if gpu.integrated
    )


def _measured_choice(card: ModelCard, measured: Measured, prefs: Preferences) -> Choice:
    variant = card.variant(measured.variant)
    batch = fitting_batch(variant, None, prefs.batch_size, largest_batch(measured.backend))
    reasons = (
        _("measured on this PC by --probe: {rate} images/s").format(
            rate=fmt_number(measured.images_per_s)
        ),
        _("batch {batch} (~{memory})").format(
            batch=batch, memory=_gib(estimated_memory(variant, batch))
        ),
    )
    device = measured.device or _("CPU")
    routes = () if measured.backend == CPU_BACKEND else ((CPU_BACKEND, "fp32"),)
    memory = estimated_memory(variant, batch)
    return Choice(variant, measured.backend, device, batch, memory, reasons, routes)


def choose(
    card: ModelCard,
    profile: DeviceProfile,
    prefs: Preferences | None = None,
    measured: Measured | None = None,
) -> Choice:
    """The user's choice, else a `--probe` measurement, else the rules above."""
    prefs = prefs or Preferences()
    if measured is not None and prefs.variant == AUTO and prefs.backend == AUTO:
        return _measured_choice(card, measured, prefs)
    gpu = _gpu_candidate(profile) if prefs.backend in (AUTO, GPU_BACKEND) else None
    cpu_variant, cpu_reason = _cpu_precision()
    cpu_route = (CPU_BACKEND, cpu_variant)
    if gpu is not None:
        precision, why = _gpu_precision(gpu, card)
        reasons = [_describe(gpu), why]
        backend, device, free = GPU_BACKEND, gpu.board or gpu.name, gpu.vram_free_bytes
        free = free or gpu.vram_bytes
        others = tuple((name, "fp32") for name in gpu.backends if name in ORT_GPU_BACKENDS)
        fallbacks = (*others, cpu_route)
    else:
        backend = prefs.backend if prefs.backend != AUTO else CPU_BACKEND
        precision, why = cpu_variant, cpu_reason
        reasons = [*_integrated_note(profile), why] if backend == CPU_BACKEND else [why]
        device, free, fallbacks = _("CPU"), None, ((CPU_BACKEND, "fp32"),)
        if not profile.gpus and backend == CPU_BACKEND:
            reasons.insert(0, _("no usable GPU found"))
    if prefs.variant != AUTO:
        precision = prefs.variant
        reasons.append(_("{variant} as requested").format(variant=prefs.variant.upper()))
    variant = card.variant(precision)
    batch = fitting_batch(variant, free, prefs.batch_size, largest_batch(backend))
    memory = estimated_memory(variant, batch)
    reasons.append(_("batch {batch} (~{memory})").format(batch=batch, memory=_gib(memory)))
    fallbacks = tuple(route for route in fallbacks if route != (backend, precision))
    return Choice(variant, backend, device, batch, memory, tuple(reasons), fallbacks)

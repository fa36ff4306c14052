"""Which installed detector suits this PC, on which backend, and how long a folder will take.

One model of speed, in photos per second (the unit of the job's Progress events, whose ETA is
the photos left over the measured rate): a detector's cost is MegaDetector v5a's (YOLOv5x6 at
1280 px, 839 GFLOPs per photo in Ultralytics' table) divided by its `relative_speed` (catalog
cards carry it; other cards scale by input area). The device's rate for MDv5a is a share of its
paper FP32 peak (engine.hardware's board table) on a GPU, or cores x a per-core rate on the CPU
(the catalog's note: 1-2 s per photo on a 4-core laptop). These are estimates, said as such.

Detector backends, by card: CUDA on NVIDIA, ROCm (MIGraphX) on the AMD cards ROCm supports,
DirectML on Windows only for graphs it runs whole (fixed input size, opset <= 17), ncnn on
Vulkan for the rest (Polaris and every AMD card without ROCm; converted on the PC with pnnx),
the CPU without a usable card. Integrated GPUs share the CPU's memory and lose to it.
"""

import math
from collections.abc import Mapping
from dataclasses import dataclass, replace

from engine.detection.int8 import Int8Measurement, measured_int8, offered_here
from engine.detection.measured import Measured
from engine.detection.onnx_facts import DIRECTML_MAX_OPSET, graph_facts
from engine.hardware import boards
from engine.hardware.device import DeviceProfile, GpuDevice
from engine.hardware.families import ALL_BOARDS, estimate_fp32_tflops
from engine.i18n import _, fmt_bytes, fmt_datetime, fmt_duration, fmt_number
from engine.models.card import ModelCard
from engine.store.catalog import CatalogEntry, entries

MDV5A_GFLOPS = 839.2  # YOLOv5x6 at 1280 px: 209.8 GFLOPs at 640 (Ultralytics), x4 for the area
MDV5A_SIZE = 1280
# photos/s per core: the catalog's note says 1-2 s per photo on 4 cores (0.12-0.25). The
# YOLOv5x6 stand-in measured 0.30 per core on 2 EPYC cores with AVX-512 VNNI and 0.097 per
# core on 16 server cores (onnxruntime scales poorly past a few threads): the catalog's middle
# stays until `ocelote bench detect` measures this PC (engine.detection.measured).
CPU_MDV5A_PER_CORE = 0.15
GPU_EFFICIENCY = 0.3  # share of the paper FP32 peak onnxruntime reaches on YOLO convs
# ncnn's Vulkan kernels are generic (no vendor libraries): 0.19 of the paper peak measured for
# the YOLOv5x6 stand-in on an H200 through NVIDIA's Vulkan driver (14.9 photos/s inference,
# benchmarks/device_ncnn_detect_check.sh); not yet measured on Polaris, where
# `ocelote bench detect --backend ncnn-vulkan` replaces it on that PC (engine.detection.measured).
NCNN_EFFICIENCY = 0.2
GPU_OVERHEAD_S = 0.02  # per photo: JPEG decode and letterbox on the CPU, not on the card
ASSUMED_CORES = 4  # when a dump does not name the CPU's cores
GB = 1024**3
PER_IMAGE_GB_AT_1280 = 1.2  # activations of one 1280 px photo in a YOLOv5x6-class graph
RESERVE_GB = 1.0  # left to the desktop and the classifier
USABLE_VRAM = 0.85  # drivers and fragmentation keep the rest
MDV5A_WEIGHTS_GB = 0.56  # FP32 YOLOv5x6: assumed when the file's size is not known
MAX_BATCH = 8
VENDOR_BACKENDS = ("onnxruntime-cuda", "onnxruntime-migraphx")  # CUDA, ROCm


@dataclass(frozen=True)
class Route:
    """Where detectors run on this PC and how many MDv5a photos a second it manages."""

    device: str
    backend: str
    on_gpu: bool
    mdv5a_rate: float
    vram_bytes: int | None
    fast_fp16: bool
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class Candidate:
    """What the plan needs of a detector: installed (a card) or in the catalog (not yet)."""

    id: str
    name: str
    input_size: int
    relative_speed: float
    has_fp16: bool = False
    directml_ready: bool = True  # fixed input size and opset <= 17 (engine.detection.onnx_facts)
    weights_gb: float = MDV5A_WEIGHTS_GB
    int8: Int8Measurement | None = None  # `optimize --detector`'s stored measurement


@dataclass(frozen=True)
class DetectorPlan:
    card: Candidate
    route: Route
    precision: str
    batch: int
    photos_per_second: float

    def seconds_for(self, photos: int) -> float:
        """The estimated time for `photos` photos (the same sum the job's ETA does)."""
        return photos / self.photos_per_second


def relative_speed(card: ModelCard) -> float:
    """How many times faster than MDv5a: the card's `relative_speed`, else by input area."""
    given = card.raw.get("relative_speed")
    if isinstance(given, int | float) and given > 0:
        return float(given)
    return (MDV5A_SIZE / card.input_size) ** 2


def from_card(card: ModelCard) -> Candidate:
    fp16 = any(variant.precision == "fp16" for variant in card.variants)
    onnx_variants = card.variants_in("onnx")
    facts = graph_facts(onnx_variants[0].file) if onnx_variants else None
    weights = onnx_variants[0].size_bytes / GB if onnx_variants else MDV5A_WEIGHTS_GB
    made = measured_int8(card)
    return Candidate(
        card.id, card.name, card.input_size, relative_speed(card), fp16,
        bool(facts and facts.directml_ready), weights, made[1] if made is not None else None,
    )  # fmt: skip


def from_catalog(item: CatalogEntry) -> Candidate:
    """A catalog detector not installed yet: its card's input size and its speed note."""
    fixed = bool(item.card["input"].get("fixed_shape", False))
    opset = int(item.card.get("opset", DIRECTML_MAX_OPSET))
    return Candidate(
        item.id, item.name, int(item.card["input"]["size"]), item.relative_speed,
        directml_ready=fixed and opset <= DIRECTML_MAX_OPSET,
    )  # fmt: skip


def catalog_detectors() -> list[Candidate]:
    return [from_catalog(item) for item in entries() if item.kind == "detector"]


def paper_tflops(gpu: GpuDevice) -> float:
    """Paper FP32 TFLOPs of a GPU: its board, else its CUs and clock, else 0 (unknown)."""
    board = next((spec for spec in ALL_BOARDS if spec.name == gpu.board), None)
    if board is not None:
        return board.fp32_tflops
    return estimate_fp32_tflops(gpu.family, gpu.compute_units, gpu.clock_mhz)


def _cpu_route(profile: DeviceProfile, reasons: list[str]) -> Route:
    cores = profile.cpu.physical_cores or profile.cpu.logical_cores
    if cores is None:
        cores = ASSUMED_CORES
        reasons.append(
            _("The CPU's cores are not known; the estimate assumes {cores}.").format(cores=cores)
        )
    return Route(
        _("CPU ({cores} cores)").format(cores=cores), "onnxruntime-cpu", False,
        cores * CPU_MDV5A_PER_CORE, None, False, tuple(reasons),
    )  # fmt: skip


def gpu_backend(gpu: GpuDevice, card: Candidate | None) -> tuple[str | None, str | None]:
    """(the backend detectors use on this card or None, a reason worth saying or None)."""
    found = next((b for b in VENDOR_BACKENDS if b in gpu.backends), None)
    if found:
        return found, None
    note = None
    if "onnxruntime-directml" in gpu.backends:
        if card is None or card.directml_ready:
            return "onnxruntime-directml", None
        note = _(
            "{model}: DirectML runs detectors only with a fixed input size and ONNX opset "
            "{opset} or lower; this model is not so."
        ).format(model=card.name, opset=DIRECTML_MAX_OPSET)
    if "ncnn-vulkan" in gpu.backends:
        return "ncnn-vulkan", note
    return None, note


def detector_route(profile: DeviceProfile, card: Candidate | None = None) -> Route:
    """The fastest place detectors (`card`, when known) can run here, with the reasons."""
    reasons: list[str] = []
    usable = []
    for gpu in profile.gpus:
        backend, note = gpu_backend(gpu, card)
        if note and not gpu.integrated:
            reasons.append(note)
        if gpu.integrated:
            reasons.append(
                _("{device} shares the computer's memory: detectors run faster on the CPU or a "
                  "graphics card.").format(device=gpu.name)
            )  # fmt: skip
        elif backend is None:
            reasons.append(
                _("{device}: detectors have no path to this card (no CUDA, ROCm, DirectML or "
                  "Vulkan driver), so they run on the CPU.").format(device=gpu.name)
            )  # fmt: skip
        elif paper_tflops(gpu) <= 0:
            reasons.append(
                _("{device}: its speed is not known, so the plan keeps the CPU.").format(
                    device=gpu.name
                )
            )
        else:
            usable.append((paper_tflops(gpu), gpu, backend))
    if not profile.gpus:
        reasons.append(_("No graphics card: detectors run on the CPU."))
    if not usable:
        return _cpu_route(profile, reasons)
    tflops, gpu, backend = max(usable, key=lambda found: found[0])
    info = boards.family_info(gpu.family)
    efficiency = NCNN_EFFICIENCY if backend == "ncnn-vulkan" else GPU_EFFICIENCY
    rate = 1 / (MDV5A_GFLOPS / (tflops * 1000 * efficiency) + GPU_OVERHEAD_S)
    if backend == "ncnn-vulkan":
        reasons.append(
            _("{device} runs detectors with ncnn on Vulkan ({tflops} TFLOPS on paper): the "
              "model is converted for the card once, and its first photos are checked against "
              "the CPU.").format(device=gpu.name, tflops=fmt_number(tflops, 1))
        )  # fmt: skip
    else:
        reasons.append(
            _("{device} runs detectors with {backend} ({tflops} TFLOPS on paper).").format(
                device=gpu.name, backend=backend, tflops=fmt_number(tflops, 1)
            )
        )
    return Route(
        gpu.name, backend, True, rate, gpu.vram_bytes, bool(info and info.fast_fp16),
        tuple(reasons),
    )  # fmt: skip


def fitting_batch(card: Candidate, route: Route) -> int:
    """Photos per batch the card's memory holds beside the weights (1 on the CPU: batches do
    not help there; 0 when not even one photo fits)."""
    if not route.on_gpu or not route.vram_bytes:
        return 1
    per_image = PER_IMAGE_GB_AT_1280 * (card.input_size / MDV5A_SIZE) ** 2
    free = route.vram_bytes / GB * USABLE_VRAM - RESERVE_GB - card.weights_gb
    return max(0, min(MAX_BATCH, int(free / per_image)))


def _batch(card: Candidate, route: Route) -> int:
    return max(1, fitting_batch(card, route))


def with_measurement(route: Route, measured: Mapping[str, Measured] | None) -> Route:
    """The route with this PC's own measured speed on its backend, where there is one."""
    found = (measured or {}).get(route.backend)
    if found is None:
        return route
    reason = _(
        "Speed measured on this PC on {date} by ocelote bench detect: {rate} photos/s with "
        "{model}; the estimate uses it."
    ).format(date=fmt_datetime(found.when), rate=fmt_number(found.photos_per_second, 2),
             model=found.model)  # fmt: skip
    return replace(route, mdv5a_rate=found.mdv5a_rate, reasons=(*route.reasons, reason))


def fitted_route(
    card: Candidate, profile: DeviceProfile, measured: Mapping[str, Measured] | None = None
) -> Route:
    """The card's route, or the CPU's when not one photo at its size fits in the card's memory
    (a smaller input would find fewer small animals: the plan does not shrink it silently);
    `measured` (this PC's `bench detect` runs) replaces the paper speed of its backend."""
    route = detector_route(profile, card)
    if not route.on_gpu or fitting_batch(card, route) > 0:
        return with_measurement(route, measured)
    reason = _(
        "{model} at {size} px does not fit in the {vram} of {device}: it runs on the CPU."
    ).format(model=card.name, size=card.input_size, vram=fmt_bytes(route.vram_bytes or 0),
             device=route.device)  # fmt: skip
    return with_measurement(_cpu_route(profile, [*route.reasons[:-1], reason]), measured)


def plan_for(card: Candidate, route: Route, cpu_model: str = "") -> DetectorPlan:
    # ncnn computes in FP16 from its FP32 graph when asked; onnxruntime needs an FP16 file.
    halves = card.has_fp16 or route.backend == "ncnn-vulkan"
    precision = "fp16" if route.on_gpu and route.fast_fp16 and halves else "fp32"
    rate = route.mdv5a_rate * card.relative_speed * (1.5 if precision == "fp16" else 1.0)
    if card.int8 is not None and offered_here(card.int8, cpu_model, route.backend):
        precision, rate = "int8", rate * card.int8.ratio  # measured on this PC, on their photos
    return DetectorPlan(card, route, precision, _batch(card, route), rate)


def plan_detectors(
    cards: list[Candidate], profile: DeviceProfile,
    measured: Mapping[str, Measured] | None = None,
) -> list[DetectorPlan]:  # fmt: skip
    """Every detector's plan, the chosen one first: on a GPU the most accurate (the slowest,
    largest input), on the CPU the fastest (MegaDetector's advice for CPU-only PCs); a detector
    that runs on the graphics card goes before one that does not fit it."""
    cpu = profile.cpu.model
    plans = [plan_for(card, fitted_route(card, profile, measured), cpu) for card in cards]

    def order(plan: DetectorPlan) -> tuple[int, float, str]:
        if plan.route.on_gpu:
            return 0, plan.photos_per_second, plan.card.id
        return 1, -plan.photos_per_second, plan.card.id

    return sorted(plans, key=order)


def int8_line(measured: Int8Measurement, plan: DetectorPlan) -> str:
    """Why the INT8 made on the user's photos runs, or why FP32 runs instead."""
    if plan.precision == "int8":
        return measured.summary()
    if not measured.offered:
        return _("INT8 made on your photos is not used: it was not faster or did not agree.")
    return _("INT8 made on your photos was measured on another PC or backend; FP32 runs here.")


def explain(plans: list[DetectorPlan], photos: int) -> list[str]:
    """The detector part of `--explain-plan`: choice, reasons, estimate and alternatives."""
    chosen = plans[0]
    lines = [
        _("Detector: {model}, {size} px, {precision} on {backend} ({device}), batch {batch}")
        .format(
            model=chosen.card.name, size=chosen.card.input_size,
            precision=chosen.precision.upper(), backend=chosen.route.backend,
            device=chosen.route.device, batch=chosen.batch,
        )
    ]  # fmt: skip
    lines += [f"  - {reason}" for reason in chosen.route.reasons]
    if chosen.card.int8 is not None:
        lines.append(f"  - {int8_line(chosen.card.int8, chosen)}")
    if len(plans) > 1:
        why = (
            _("With a graphics card the most accurate detector runs.")
            if chosen.route.on_gpu
            else _("On the CPU the fastest detector runs.")
        )
        lines.append(f"  - {why}")
    lines.append(
        _("Estimate: ≈ {time} for {photos} photos on this PC ({rate} photos/s).").format(
            time=fmt_duration(chosen.seconds_for(photos)), photos=fmt_number(photos),
            rate=fmt_number(chosen.photos_per_second, 2),
        )
    )  # fmt: skip
    for other in plans[1:]:
        if math.isclose(other.photos_per_second, chosen.photos_per_second):
            text = _("{model} would take about as long (≈ {time}).")
        elif other.photos_per_second > chosen.photos_per_second:
            text = _("{model} would take ≈ {time} and finds somewhat fewer animals.")
        else:
            text = _("{model} would take ≈ {time} and finds somewhat more animals.")
        lines.append(
            "  " + text.format(model=other.card.name, time=fmt_duration(other.seconds_for(photos)))
        )
    lines.append(
        _("Estimates are estimates: the run measures its own speed and refines the time left.")
    )
    return lines

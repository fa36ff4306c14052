"""Which installed detector suits this PC, on which backend, and how long a folder will take.

One model of speed, in photos per second (the unit of the job's Progress events, whose ETA is
the photos left over the measured rate): a detector's cost is MegaDetector v5a's (YOLOv5x6 at
1280 px, 839 GFLOPs per photo in Ultralytics' table) divided by its `relative_speed` (catalog
cards carry it; other cards scale by input area). The device's rate for MDv5a is a share of its
paper FP32 peak (engine.hardware's board table) on a GPU, or cores x a per-core rate on the CPU
(the catalog's note: 1-2 s per photo on a 4-core laptop). These are estimates, said as such.

Detector backends today are onnxruntime CPU, CUDA (NVIDIA) and DirectML (Windows): an AMD card
under Linux runs detectors on the CPU until a Vulkan (ncnn) path for detectors exists.
"""

import math
from dataclasses import dataclass

from engine.detection.int8 import Int8Measurement, measured_int8, offered_here
from engine.hardware import boards
from engine.hardware.device import DeviceProfile, GpuDevice
from engine.hardware.families import ALL_BOARDS, estimate_fp32_tflops
from engine.i18n import _, fmt_duration, fmt_number
from engine.models.card import ModelCard
from engine.store.catalog import CatalogEntry, entries

MDV5A_GFLOPS = 839.2  # YOLOv5x6 at 1280 px: 209.8 GFLOPs at 640 (Ultralytics), x4 for the area
MDV5A_SIZE = 1280
CPU_MDV5A_PER_CORE = 0.15  # photos/s per core: 1-2 s per photo on 4 cores (catalog note)
GPU_EFFICIENCY = 0.3  # share of the paper FP32 peak onnxruntime reaches on YOLO convs
GPU_OVERHEAD_S = 0.02  # per photo: JPEG decode and letterbox on the CPU, not on the card
ASSUMED_CORES = 4  # when a dump does not name the CPU's cores
GB = 1024**3
PER_IMAGE_GB_AT_1280 = 1.2  # activations of one 1280 px photo in a YOLOv5x6-class graph
RESERVE_GB = 1.0  # left to the desktop and the classifier
MAX_BATCH = 8
GPU_DETECTOR_BACKENDS = ("onnxruntime-cuda", "onnxruntime-directml")


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
    made = measured_int8(card)
    int8 = made[1] if made is not None else None
    return Candidate(card.id, card.name, card.input_size, relative_speed(card), fp16, int8)


def from_catalog(item: CatalogEntry) -> Candidate:
    """A catalog detector not installed yet: its card's input size and its speed note."""
    return Candidate(item.id, item.name, int(item.card["input"]["size"]), item.relative_speed)


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


def detector_route(profile: DeviceProfile) -> Route:
    """The fastest place detectors can run here, with the reasons in words."""
    reasons: list[str] = []
    usable = []
    for gpu in profile.gpus:
        backend = next((b for b in GPU_DETECTOR_BACKENDS if b in gpu.backends), None)
        if gpu.integrated:
            reasons.append(
                _("{device} shares the computer's memory: detectors run faster on the CPU or a "
                  "graphics card.").format(device=gpu.name)
            )  # fmt: skip
        elif backend is None:
            reasons.append(
                _("{device}: detectors have no path to this card yet (they run with CUDA on "
                  "NVIDIA or DirectML on Windows; no Vulkan path for detectors yet), so they "
                  "run on the CPU.").format(device=gpu.name)
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
    rate = 1 / (MDV5A_GFLOPS / (tflops * 1000 * GPU_EFFICIENCY) + GPU_OVERHEAD_S)
    reasons.append(
        _("{device} runs detectors with {backend} ({tflops} TFLOPS on paper).").format(
            device=gpu.name, backend=backend, tflops=fmt_number(tflops, 1)
        )
    )
    return Route(
        gpu.name, backend, True, rate, gpu.vram_bytes, bool(info and info.fast_fp16),
        tuple(reasons),
    )  # fmt: skip


def _batch(card: Candidate, route: Route) -> int:
    """Photos per batch the card's memory holds (1 on the CPU: batches do not help there)."""
    if not route.on_gpu or not route.vram_bytes:
        return 1
    per_image = PER_IMAGE_GB_AT_1280 * (card.input_size / MDV5A_SIZE) ** 2
    fits = int((route.vram_bytes / GB - RESERVE_GB) / per_image)
    return max(1, min(MAX_BATCH, fits))


def plan_for(card: Candidate, route: Route, cpu_model: str = "") -> DetectorPlan:
    precision = "fp16" if route.on_gpu and route.fast_fp16 and card.has_fp16 else "fp32"
    rate = route.mdv5a_rate * card.relative_speed * (1.5 if precision == "fp16" else 1.0)
    if card.int8 is not None and offered_here(card.int8, cpu_model, route.backend):
        precision, rate = "int8", rate * card.int8.ratio  # measured on this PC, on their photos
    return DetectorPlan(card, route, precision, _batch(card, route), rate)


def plan_detectors(cards: list[Candidate], profile: DeviceProfile) -> list[DetectorPlan]:
    """Every detector's plan, the chosen one first: on a GPU the most accurate (the slowest,
    largest input), on the CPU the fastest (MegaDetector's advice for CPU-only PCs)."""
    route = detector_route(profile)
    plans = [plan_for(card, route, profile.cpu.model) for card in cards]
    sign = 1 if route.on_gpu else -1
    return sorted(plans, key=lambda p: (sign * p.photos_per_second, p.card.id))


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

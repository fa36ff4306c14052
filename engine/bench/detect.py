"""Detector benchmark: where the time goes on the detector path, against a one-photo-at-a-time
tool, in one run on the same photos, model, backend and threads.

Stages:
- peer-style, as CamTrap Detector runs MegaDetector: full-size decode, stretch to the model's
  square input, batch 1, then the same output decoding and NMS;
- decode + letterbox only: Ocelote's reduced JPEG decode (draft to the detector's size) and
  MegaDetector's letterbox, on a thread pool;
- inference only: batched detection (with its NMS) on inputs letterboxed beforehand, in
  steady state after one untimed pass;
- bound: 1 / (1/decode + 1/inference), the best a pipeline sharing the cores can do;
- pipeline: photos decoded ahead on the pool while the previous batch runs on the detector.
The stages take turns pass after pass and each keeps its fastest pass, so a PC busy with
something else (other programs only ever slow a pass down) disturbs the ratios least.
Without an installed detector, a stand-in with the real architecture and random weights runs
(`engine.bench.standins`): figures for speed only, and the report says so.
"""

from __future__ import annotations

import os
import time
from collections import deque
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
from PIL import Image

from engine.backends.onnxruntime_ep import PROVIDERS, available_providers
from engine.bench.standins.store import ensure_standin
from engine.bench.verdict import detect_verdict, headline
from engine.detection.choose import pick_detector
from engine.detection.letterbox import Letterbox, letterbox
from engine.detection.plan import relative_speed
from engine.detection.runtime import CPU_BATCH, DetectorRuntime, DropCallback
from engine.errors import MediaError
from engine.i18n import _, fmt_number
from engine.media.decode import decode_upright
from engine.media.discover import Found, discover
from engine.models.card import ModelCard, load_card

_GPU_ORDER = ("onnxruntime-cuda", "onnxruntime-rocm", "onnxruntime-migraphx",
              "onnxruntime-directml")  # fmt: skip
_Input = tuple[np.ndarray, Letterbox]


class NoDetectorError(Exception):
    """No detector is installed and no stand-in was asked for (message for the user)."""


@dataclass(frozen=True)
class DetectBench:
    images: int
    model: str
    random_weights: bool
    backend: str
    threads: int
    batch: int
    input_size: int
    peer_style: float
    decode_only: float
    inference_only: float
    bound: float
    pipeline: float
    relative_speed: float  # times faster than MDv5a: turns `pipeline` into this PC's MDv5a rate
    precision: str = "fp32"


def detector_card(detector: str | None, stand_in: str | None) -> ModelCard:
    """The card to measure: a stand-in (built on first use), the one asked for, or the one a
    job would pick."""
    if stand_in:
        return load_card(ensure_standin(stand_in))
    card = pick_detector(detector)
    if card is None:
        raise NoDetectorError(
            _(
                "No detector is installed: use --stand-in mdv5a or --stand-in light to measure "
                "a stand-in with the real architecture."
            )  # fmt: skip
        )
    return card


def pick_backend(requested: str) -> str:
    """The backend asked for, or the first GPU provider this onnxruntime has, else the CPU."""
    if requested != "auto":
        return requested
    have = set(available_providers())
    return next((name for name in _GPU_ORDER if PROVIDERS[name] in have), "onnxruntime-cpu")


def _rate(count: int, seconds: float) -> float:
    return count / seconds if seconds > 0 else 0.0


def _timed(function: Callable[[], object]) -> float:
    start = time.perf_counter()
    function()
    return time.perf_counter() - start


def decoder(runtime: DetectorRuntime) -> Callable[[Path], _Input | None]:
    """Ocelote's way: JPEG draft to the detector's size, then MegaDetector's letterbox, made
    float on the decoding thread (on the detector's thread it costs the CPU ~13 % of its rate:
    15.9 against 18.3 img/s for the light stand-in on 2 cores)."""
    spec = runtime.spec

    def decode(path: Path) -> _Input | None:
        try:
            return letterbox(decode_upright(path, spec.size).rgb, spec)
        except MediaError:
            return None

    return decode


def peer_input(path: Path, size: int, scale: float) -> _Input | None:
    """CamTrap Detector's way: the whole photo decoded, stretched to size x size."""
    try:
        with Image.open(path) as image:
            rgb = np.asarray(image.convert("RGB").resize((size, size), Image.Resampling.BILINEAR))
    except OSError:
        return None
    tensor = rgb.transpose(2, 0, 1).astype(np.float32) / scale
    return tensor, Letterbox(0, 0, size, size, size, size)


def run_stream(
    paths: Iterable[Path], decode: Callable[[Path], _Input | None], runtime: DetectorRuntime,
    batch: int, workers: int,
) -> int:  # fmt: skip
    """Decode ahead on `workers` threads while the detector runs the previous batch; returns
    how many photos went through the detector."""
    done = 0
    pending: deque[Future] = deque()
    items = iter(paths)
    ready: list[_Input] = []
    with ThreadPoolExecutor(workers) as pool:
        for path in items:
            pending.append(pool.submit(decode, path))
            if len(pending) >= 2 * batch:
                break
        while pending:
            found = pending.popleft().result()
            following = next(items, None)
            if following is not None:
                pending.append(pool.submit(decode, following))
            if found is not None:
                ready.append(found)
            if len(ready) == batch or (not pending and ready):
                runtime.detect([t for t, _p in ready], [p for _t, p in ready])
                done, ready = done + len(ready), []
    return done


def run_detect_bench(
    source: Path, card: ModelCard, threads: int | None = None, batch: int | None = None,
    repeat: int = 2, backend: str = "auto", limit: int | None = None,
    on_drop: DropCallback | None = None, precision: str = "fp32",
) -> DetectBench:  # fmt: skip
    """Every stage on the same photos with one detector session. On ncnn (`ncnn-vulkan`,
    `ncnn-cpu`) the ONNX is converted once into the user's cache, and the untimed first pass
    checks its boxes against onnxruntime CPU (a disagreement falls back, through `on_drop`)."""
    threads = threads or os.cpu_count() or 1
    name = pick_backend(backend)
    workers = {"ncnn-cpu": threads, "ncnn-vulkan": batch}.get(name)
    runtime = DetectorRuntime(
        card, card.variants_in("onnx")[0], name, threads, on_drop, workers, precision
    )  # fmt: skip
    spec = runtime.spec
    batch = batch or (CPU_BATCH if name == "onnxruntime-cpu" else runtime.max_batch or 8)
    found = [item.path for item in discover(source) if isinstance(item, Found)]
    paths = [p for p in found if p.suffix.lower() not in (".mp4", ".avi", ".mov", ".mkv")]
    paths = paths[:limit] if limit else paths
    decode = decoder(runtime)

    warm = [x for x in map(decode, paths[:batch]) if x is not None]
    runtime.detect([t for t, _p in warm], [p for _t, p in warm])  # session and arena settle
    inputs: list[_Input] = []

    def peer() -> None:
        for path in paths:
            one = peer_input(path, spec.size, spec.scale)
            if one is not None:
                runtime.detect([one[0]], [one[1]])

    def decode_all() -> None:
        with ThreadPoolExecutor(threads) as pool:
            inputs[:] = [x for x in pool.map(decode, paths) if x is not None]

    def infer() -> None:
        for first in range(0, len(inputs), batch):
            chunk = inputs[first : first + batch]
            runtime.detect([t for t, _p in chunk], [p for _t, p in chunk])

    piped: list[int] = []

    def pipeline() -> None:
        piped.append(run_stream(paths, decode, runtime, batch, threads))

    decode_all()
    infer()  # one untimed pass: arena sizes for these shapes
    stages = {"peer": peer, "decode": decode_all, "infer": infer, "pipeline": pipeline}
    passes: dict[str, list[float]] = {name: [] for name in stages}
    for _pass in range(repeat):  # interleaved, and the fastest pass counts (as timeit does):
        for stage_name, stage in stages.items():  # other programs only ever slow a pass down
            passes[stage_name].append(_timed(stage))
    best = {name: min(times) for name, times in passes.items()}
    decode_rate = _rate(len(paths), best["decode"])
    infer_rate = _rate(len(inputs), best["infer"])
    return DetectBench(
        images=len(inputs), model=card.name, random_weights=bool(card.raw.get("random_weights")),
        backend=runtime.backend,
        threads=threads, batch=batch, input_size=spec.size,
        peer_style=_rate(len(inputs), best["peer"]), decode_only=decode_rate,
        inference_only=infer_rate,
        bound=1 / (1 / decode_rate + 1 / infer_rate) if decode_rate and infer_rate else 0.0,
        pipeline=_rate(min(piped), best["pipeline"]),
        relative_speed=relative_speed(card), precision=runtime.precision,
    )  # fmt: skip


def format_detect_bench(result: DetectBench) -> str:
    def rate(value: float) -> str:
        return fmt_number(value, 2 if value < 10 else 1)

    stages = [
        (_("peer-style (full decode, stretch, batch 1)"), result.peer_style),
        (_("decode + letterbox only"), result.decode_only),
        (_("inference only"), result.inference_only),
        (_("bound (decode + inference)"), result.bound),
        (_("Ocelote pipeline"), result.pipeline),
    ]
    lines = []
    if result.random_weights:
        lines.append(_("Stand-in with RANDOM weights: these figures measure speed only; it "
                       "finds nothing."))  # fmt: skip
    lines.append(
        _("{images} images, {model} at {size} px on {backend}, {threads} threads, batch {batch}")
        .format(images=result.images, model=result.model, size=result.input_size,
                backend=result.backend + (" FP16" if result.precision == "fp16" else ""),
                threads=result.threads, batch=result.batch)
    )  # fmt: skip
    lines += [f"  {name:<44} {rate(value):>8} img/s" for name, value in stages]
    lines.append(headline(rate(result.pipeline), result.pipeline, result.bound, result.peer_style))
    lines.append(detect_verdict(asdict(result)))
    return "\n".join(lines)

"""Pipeline benchmark: where the time goes, and how close Ocelote's job gets to its bound.

Stages measured in one run, on the same images and threads:
- peer-style: full-size decode + resize + batch-1 inference, one image at a time;
- decode-only: Ocelote's reduced decode on a thread pool;
- inference-only: batched inference on tensors decoded beforehand, stacked as the job does,
  timed in steady state after one untimed pass (on the H100, ncnn-Vulkan's first pass after the
  peer-style stage ran at 2,100 img/s and settled at 3,600 within two more);
- bound: 1 / (1/decode + 1/inference), the best a pipeline sharing the cores can do;
- pipeline: the real job (discovery, decode, inference, database) on the same images;
- with `motion_rounds`: the job without and with the motion step, and the ratio
  (engine.bench.motion_cost).
"""

import os
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from engine.bench.copies import link_or_copy
from engine.bench.motion_cost import MotionCost, format_motion_cost, measure_motion_cost
from engine.bench.verdict import headline, pipeline_verdict
from engine.errors import MediaError
from engine.i18n import _, fmt_number
from engine.media.decode import decode_for_model, decode_full
from engine.media.discover import Found, discover
from engine.models.select import Preferences
from engine.pipeline.batch_buffer import BatchBuffer
from engine.pipeline.job import ClassifyJob, JobSettings
from engine.pipeline.plan import load_backend, make_plan


@dataclass(frozen=True)
class PipelineBench:
    images: int
    variant: str
    backend: str
    threads: int
    peer_style: float
    decode_only: float
    inference_only: float
    bound: float
    pipeline: float
    motion_cost: MotionCost | None = None


def _rate(count: int, seconds: float) -> float:
    return count / seconds if seconds > 0 else 0.0


def _timed(function, items: list) -> tuple[list, float]:
    start = time.perf_counter()
    results = function(items)
    return results, time.perf_counter() - start


def _try(function, *args):
    try:
        return function(*args)
    except MediaError:
        return None


def _link_copies(images: list[Found], repeat: int, folder: Path) -> None:
    """`repeat` hard-linked copies of the images, so the job sees distinct files; each copy
    keeps the source's folders, so the motion step sees the same cameras as in the source."""
    for copy in range(repeat):
        for image in images:
            target = folder / f"pass{copy}" / image.rel
            target.parent.mkdir(parents=True, exist_ok=True)
            link_or_copy(image.path, target)


def run_pipeline_bench(
    source: Path, variant: str = "auto", threads: int | None = None, batch: int | None = None,
    repeat: int = 3, backend_name: str = "auto", motion: bool = True, motion_rounds: int = 0,
) -> PipelineBench:  # fmt: skip
    """Every stage on the plan this PC gets (or the variant/backend asked for); with
    `motion_rounds`, also that many rounds of the job without and with the motion step."""
    threads = threads or os.cpu_count() or 1
    plan = make_plan(None, Preferences(variant, backend_name, threads, batch))
    card, batch, variant = plan.card, plan.choice.batch_size, plan.variant.id
    prep = card.preprocessing
    backend = load_backend(plan)
    images = [item for item in discover(source) if isinstance(item, Found) and item.kind == "image"]

    def peer(items: list[Found]) -> list:
        for item in items:
            tensor = _try(decode_full, item.path, prep)
            if tensor is not None:
                backend.run(tensor[np.newaxis])
        return items

    def decode(items: list[Found]) -> list:
        with ThreadPoolExecutor(threads) as pool:
            return list(pool.map(lambda item: _try(decode_for_model, item.path, prep), items))

    warm_up = [decode_for_model(item.path, prep).tensor for item in images[:batch]]
    backend.run(np.stack(warm_up))  # loads the session and passes the fallback's check
    _, peer_seconds = _timed(peer, images)
    decoded, decode_seconds = _timed(decode, images * repeat)
    tensors = [image.tensor for image in decoded[: len(images)] if image is not None]

    buffer = BatchBuffer()  # as the job stacks its batches

    def infer(items: list[np.ndarray]) -> list:
        for start in range(0, len(items), batch):
            backend.run(buffer.stack(items[start : start + batch]))
        return items

    infer(tensors)  # warm-up pass: driver pools and clocks settle
    _, infer_seconds = _timed(infer, tensors * repeat)
    decode_rate = _rate(len(images) * repeat, decode_seconds)
    infer_rate = _rate(len(tensors) * repeat, infer_seconds)
    with tempfile.TemporaryDirectory(prefix="ocelote-bench-") as temp:
        folder = Path(temp) / "images"
        _link_copies(images, repeat, folder)
        settings = JobSettings(
            folder, Path(temp) / "out", variant=variant, threads=threads, batch_size=batch,
            resume=False, backend=plan.choice.backend, motion=motion,
        )  # fmt: skip
        summary = ClassifyJob(settings).run()
        cost = measure_motion_cost(settings, motion_rounds) if motion_rounds else None
    return PipelineBench(
        images=len(images),
        variant=variant,
        backend=backend.info.name,
        threads=threads,
        peer_style=_rate(len(images), peer_seconds),
        decode_only=decode_rate,
        inference_only=infer_rate,
        bound=1 / (1 / decode_rate + 1 / infer_rate) if decode_rate and infer_rate else 0.0,
        pipeline=summary.images_per_second,
        motion_cost=cost,
    )


def format_pipeline_bench(result: PipelineBench) -> str:
    def rate(value: float) -> str:
        return fmt_number(value, 1)

    stages = [
        (_("peer-style (full decode, batch 1)"), result.peer_style),
        (_("decode only"), result.decode_only),
        (_("inference only"), result.inference_only),
        (_("bound (decode + inference)"), result.bound),
        (_("Ocelote pipeline"), result.pipeline),
    ]
    lines = [
        _("{images} images, variant {variant} on {backend}, {threads} threads").format(
            images=result.images,
            variant=result.variant,
            backend=result.backend,
            threads=result.threads,
        )  # fmt: skip
    ]
    lines += [f"  {name:<40} {rate(value):>8} img/s" for name, value in stages]
    ratio_infer = result.inference_only / result.pipeline if result.pipeline else 0.0
    lines.append(headline(rate(result.pipeline), result.pipeline, result.bound, result.peer_style))
    lines.append(pipeline_verdict(asdict(result)))
    lines.append(
        _("Inference alone runs {ratio}× the pipeline's rate.").format(
            ratio=fmt_number(ratio_infer, 1)
        )
    )
    if result.motion_cost is not None:
        lines += format_motion_cost(result.motion_cost)
    return "\n".join(lines)

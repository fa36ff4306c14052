"""What the motion step costs the whole job: the bundled job without it and with it, measured
in one run, in alternating rounds on the same copies, as a rate and as a ratio.

Wall-clock rates swing on a shared machine; the CPU time the process used (all its threads)
per photo is the steadier figure, so both are given. Each round runs the job twice into fresh
results folders (no resume), without the step first.
"""

import statistics
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from engine.i18n import _, fmt_number
from engine.pipeline.job import ClassifyJob, JobSettings

GOAL = 0.8  # issue 18: the whole job with the step within 0.8 of the rate without it


@dataclass(frozen=True)
class JobTiming:
    rate: float  # photos per second, wall clock, as the job reports it
    cpu_ms: float  # CPU time of the process per photo, in milliseconds


@dataclass(frozen=True)
class MotionCost:
    without: tuple[JobTiming, ...]  # one per round
    with_motion: tuple[JobTiming, ...]

    def ratios(self) -> list[float]:
        """Per round: the job's rate with the step over its rate without it."""
        return [
            w.rate / o.rate if o.rate else 0.0
            for o, w in zip(self.without, self.with_motion, strict=True)
        ]

    def cpu_ratio(self) -> float:
        """CPU per photo without the step over CPU per photo with it (medians of the rounds)."""
        without = statistics.median(t.cpu_ms for t in self.without)
        with_motion = statistics.median(t.cpu_ms for t in self.with_motion)
        return without / with_motion if with_motion else 0.0


def time_job(settings: JobSettings) -> JobTiming:
    """One job over the folder; its rate and its CPU time per photo, both without loading the
    model (the job's own rate leaves that out too)."""
    job = ClassifyJob(settings)
    job.load()
    start = time.process_time()
    summary = job.run()
    cpu = time.process_time() - start
    return JobTiming(summary.images_per_second, 1000 * cpu / max(1, summary.processed_this_run))


def measure_motion_cost(settings: JobSettings, rounds: int) -> MotionCost:
    """`rounds` pairs of jobs, without then with the motion step, each into a new folder."""
    without, with_motion = [], []
    with tempfile.TemporaryDirectory(prefix="ocelote-motion-bench-") as temp:
        for index in range(max(1, rounds)):
            for motion, timings in ((False, without), (True, with_motion)):
                out = Path(temp) / f"round{index}-{'motion' if motion else 'plain'}"
                run = JobSettings(
                    settings.source, out, variant=settings.variant, threads=settings.threads,
                    batch_size=settings.batch_size, resume=False, backend=settings.backend,
                    motion=motion,
                )  # fmt: skip
                timings.append(time_job(run))
    return MotionCost(tuple(without), tuple(with_motion))


def _span(values: list[float], decimals: int) -> str:
    low, high = min(values), max(values)
    if round(low, decimals) == round(high, decimals):
        return fmt_number(low, decimals)
    return f"{fmt_number(low, decimals)}–{fmt_number(high, decimals)}"


def format_motion_cost(cost: MotionCost) -> list[str]:
    """Lines for the bench's report: both jobs, the ratio (range over rounds) and the goal."""
    lines = []
    for name, timings in (
        (_("job without the motion step"), cost.without),
        (_("job with the motion step"), cost.with_motion),
    ):
        rates = [t.rate for t in timings]
        cpu = [t.cpu_ms for t in timings]
        figures = _("{rate} img/s, {cpu} ms of CPU a photo").format(
            rate=_span(rates, 1), cpu=_span(cpu, 1)
        )
        lines.append(f"  {name:<40} {figures}")
    ratios = cost.ratios()
    lines.append(
        _(
            "With the motion step the job runs at {ratio} of its rate without it (median of "
            "{rounds} rounds, range {span}; by CPU time {cpu}); the goal is {goal}."
        ).format(
            ratio=fmt_number(statistics.median(ratios), 2),
            rounds=len(ratios),
            span=_span(ratios, 2),
            cpu=fmt_number(cost.cpu_ratio(), 2),
            goal=fmt_number(GOAL, 1),
        )  # fmt: skip
    )
    return lines

"""The classify job on Ray (`local:1`, `local:2`...) against the plain run, on the same folder.

    PYTHONPATH=. .venv/bin/python benchmarks/ray_scaling.py ../shared/data/camera_traps \\
        --files 400 --workers 1 2

Makes a card of `--files` links to the real photos under SOURCE (100 per folder), then runs
the plain job (all cores, then one thread: what one worker gets) and one cluster run per
worker count on it, each into a fresh results folder, and prints per run: photos per second
over the whole command, the seconds before the first result (model loads, and for Ray its
start, discovery tasks and actors), the photos per second after that first result, and
whether every file got the plain run's labels.
"""

import argparse
import sys
import tempfile
import time
from pathlib import Path

from engine.bench.copies import link_card
from engine.cluster.ray_job import ClusterJob
from engine.cluster.target import RayTarget
from engine.pipeline.events import Progress
from engine.pipeline.job import ClassifyJob, JobSettings
from engine.results.db import ResultsDB


class Clock:
    """Times of the first and last progress a run reports."""

    def __init__(self) -> None:
        self.start = time.perf_counter()
        self.first: tuple[float, int] | None = None
        self.last: tuple[float, int] = (self.start, 0)

    def __call__(self, event: object) -> None:
        if isinstance(event, Progress):
            now = (time.perf_counter(), event.done)
            self.first = self.first or now
            self.last = now


def labels(out: Path) -> dict[str, tuple]:
    with ResultsDB(out / "results.sqlite") as db:
        return {row.rel_path: tuple(p[0] for p in row.predictions) for row in db.iter_files()}


def measure(name: str, card: Path, out: Path, workers: int | None, threads: int | None) -> dict:
    settings = JobSettings(source=card, out_dir=out, threads=threads, resume=False)
    clock = Clock()
    if workers is None:
        summary = ClassifyJob(settings, on_event=clock).run()
    else:
        summary = ClusterJob(settings, RayTarget(None, workers), clock).run()
    wall = time.perf_counter() - clock.start
    (first_at, first_done), (last_at, last_done) = clock.first, clock.last
    steady = (last_done - first_done) / (last_at - first_at) if last_at > first_at else 0.0
    return {
        "run": name, "files": summary.files, "wall_s": wall,
        "photos_per_s": summary.files / wall, "first_result_s": first_at - clock.start,
        "steady_photos_per_s": steady, "labels": labels(out),
    }  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path)
    parser.add_argument("--files", type=int, default=400)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="ocelote-ray-") as temp:
        card = Path(temp) / "card"
        link_card(args.source, card, args.files, "CAM", 100)
        runs = [measure("plain", card, Path(temp) / "plain", None, None)]
        runs.append(measure("plain, 1 thread", card, Path(temp) / "plain1", None, 1))
        for workers in args.workers:
            out = Path(temp) / f"local{workers}"
            runs.append(measure(f"local:{workers}", card, out, workers, None))
    print(f"{'run':<16}{'files':>7}{'wall s':>9}{'photos/s':>10}{'1st result s':>14}"
          f"{'steady photos/s':>17}  same labels as plain")  # fmt: skip
    for run in runs:
        same = run["labels"] == runs[0]["labels"]
        print(
            f"{run['run']:<16}{run['files']:>7}{run['wall_s']:>9.1f}{run['photos_per_s']:>10.1f}"
            f"{run['first_result_s']:>14.1f}{run['steady_photos_per_s']:>17.1f}  {same}"
        )
    return 0 if all(run["labels"] == runs[0]["labels"] for run in runs) else 1


if __name__ == "__main__":
    sys.exit(main())

"""`--ray` for the classify command: the options, and the cluster job, with Ray loaded only then."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import TYPE_CHECKING

from engine.cluster.events import WorkerSeen
from engine.cluster.target import ClusterError, RayTarget
from engine.i18n import _, fmt_number
from engine.pipeline.cancel import CancelToken
from engine.pipeline.events import Event
from engine.pipeline.job import JobSettings

if TYPE_CHECKING:
    from engine.cluster.ray_job import ClusterJob


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--ray", metavar="ADDRESS",
        help=_("run on a Ray cluster: its address, or local[:N] for N workers on this machine"),
    )  # fmt: skip
    parser.add_argument(
        "--ray-gpus", type=float, default=0.0, metavar="G",
        help=_("with --ray: GPUs for each worker (default 0: CPU workers)"),
    )  # fmt: skip
    parser.add_argument(
        "--ray-cpus", type=float, default=1.0, metavar="C",
        help=_("with --ray: CPU cores for each worker, its decoding and inference (default 1)"),
    )  # fmt: skip


def cluster_job(
    args: argparse.Namespace,
    settings: JobSettings,
    on_event: Callable[[Event], None],
    cancel: CancelToken | None = None,
) -> ClusterJob:
    """The job for `--ray`; a clear error where Ray is not installed or the target is wrong."""
    target = RayTarget.parse(args.ray)
    try:
        from engine.cluster.ray_job import ClusterJob
    except ImportError as error:
        raise ClusterError(
            _(
                "Ray is not installed ({reason}). Install it on every machine of the cluster: "
                'pip install "ocelote[cluster]"'
            ).format(reason=error)
        ) from error
    return ClusterJob(
        settings, target, on_event, cancel,
        gpus_per_worker=args.ray_gpus, cpus_per_worker=args.ray_cpus,
    )  # fmt: skip


def describe_worker(event: WorkerSeen) -> str:
    worker = event.worker
    return _(
        "Worker {host} (process {pid}): {variant} on {backend} ({device}), "
        "batch {batch}, {threads} threads"
    ).format(
        host=worker.host, pid=worker.pid, variant=worker.variant, backend=worker.backend,
        device=worker.device, batch=fmt_number(worker.batch_size),
        threads=fmt_number(worker.threads),
    )  # fmt: skip

"""One Ray worker of a cluster run: a ClassifyJob kept alive across batches (one model session).

Each worker makes the plan for the machine it runs on (backend, variant, batch size), as a
desktop run would there, then turns every batch of discovered files it is handed into outcomes
through `ClassifyJob.classify`: decoding happens here, next to the files' node, not in the
driver. Records travel pickled, as whole reports, so a batch is committed or redone as a whole.
"""

from __future__ import annotations

import os
import pickle
import socket
from dataclasses import dataclass, replace

import numpy as np
import ray

from engine.cluster.events import WorkerInfo
from engine.pipeline.events import BackendDropped, Event
from engine.pipeline.job import ClassifyJob, JobSettings
from engine.results.records import Outcome

ITEM, REPORT = "item", "report"


@dataclass(frozen=True)
class Report:
    """What one batch of files gave on one worker: every file's outcome, and its notices."""

    worker: WorkerInfo
    outcomes: tuple[Outcome, ...]
    events: tuple[Event, ...] = ()


class Classifier:
    """The callable class Ray Data runs in each actor of the pool (`map_batches`)."""

    def __init__(self, settings: JobSettings) -> None:
        threads = settings.threads or _assigned_cpus()
        self._events: list[Event] = []
        self._job = ClassifyJob(replace(settings, threads=threads), on_event=self._events.append)
        plan, backend = self._job.load()
        self._worker = WorkerInfo(
            socket.gethostname(), os.getpid(), backend.info.name, backend.info.device,
            plan.variant.id, plan.choice.batch_size, threads,
        )  # fmt: skip

    def __call__(self, batch: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        items = [pickle.loads(blob) for blob in batch[ITEM]]
        outcomes = tuple(outcome for group in self._job.classify(items) for outcome in group)
        notices = tuple(event for event in self._events if isinstance(event, BackendDropped))
        self._events.clear()
        report = Report(self._worker, outcomes, notices)
        return {REPORT: np.array([pickle.dumps(report)], dtype=object)}


def _assigned_cpus() -> int:
    """The CPUs Ray gave this actor: its decode pool and inference threads stay within them."""
    cpus = ray.get_runtime_context().get_assigned_resources().get("CPU", 1)
    return max(1, round(cpus))

"""The classify job on a Ray cluster: the same events, database and resume as ClassifyJob.

discover (parallel tasks) → Ray Data `map_batches` over an actor pool, one model session per
actor → the driver stores each batch's report in one transaction, in the one results database.
A worker that dies takes only uncommitted batches with it (Ray restarts it and hands its batches
out again); a driver that dies loses nothing committed, and the same command resumes.
"""

from __future__ import annotations

import logging
import pickle
import sqlite3
import time
from collections.abc import Callable, Iterable
from dataclasses import replace

import ray
from ray.data import ActorPoolStrategy, DataContext

from engine.backends.base import BackendInfo
from engine.cluster.discovery import discover_on_cluster
from engine.cluster.events import WorkerSeen
from engine.cluster.target import ClusterError, RayTarget
from engine.cluster.worker import ITEM, REPORT, Classifier, Report
from engine.i18n import _, fmt_number
from engine.media.discover import Found, Problem
from engine.pipeline.cancel import CancelToken
from engine.pipeline.events import Event, FileDone, Finished, Progress, Started
from engine.pipeline.job import RESULTS_DB, JobError, JobSettings
from engine.pipeline.plan import Plan, make_plan
from engine.results.db import ResultsDB
from engine.results.records import storable_path
from engine.results.summary import Summary, summarize

FILES_PER_TASK = 64


class ClusterJob:
    """One run over a folder on a Ray cluster; `run()` blocks, events go to `on_event`."""

    def __init__(
        self,
        settings: JobSettings,
        target: RayTarget,
        on_event: Callable[[Event | WorkerSeen], None] | None = None,
        cancel: CancelToken | None = None,
        files_per_task: int | None = None,  # None: spread over the workers
        gpus_per_worker: float = 0.0,
        cpus_per_worker: float = 1.0,
    ) -> None:
        self.settings, self.target = settings, target
        self.cancel_token = cancel or CancelToken()
        self._emit = on_event or (lambda event: None)
        self._files_per_task = files_per_task
        self._gpus, self._cpus = gpus_per_worker, cpus_per_worker

    def cancel(self) -> None:
        self.cancel_token.cancel()

    def run(self) -> Summary:
        source = self.settings.source
        if not source.exists():
            raise JobError(_("The folder {path} does not exist.").format(path=source))
        plan = make_plan(self.settings.model_id, self.settings.preferences())
        started_here = _connect(self.target)
        try:
            workers = self._pool_size()
            with self._open_db() as db:
                return self._run_with(db, plan, workers)
        except sqlite3.OperationalError as error:
            raise JobError(
                _(
                    "Cannot write the results to {path} ({reason}). "
                    "Free some disk space or choose another results folder."
                ).format(path=self.settings.out_dir / RESULTS_DB, reason=error)
            ) from error
        except ray.exceptions.RayError as error:
            raise ClusterError(
                _(
                    "The Ray cluster stopped the run ({reason}). What was stored is kept: "
                    "run the same command again to continue."
                ).format(reason=_first_line(error))
            ) from error
        finally:
            if started_here:
                ray.shutdown()

    def _open_db(self) -> ResultsDB:
        out = self.settings.out_dir
        try:
            out.mkdir(parents=True, exist_ok=True)
            return ResultsDB(out / RESULTS_DB)
        except (OSError, sqlite3.Error) as error:
            raise JobError(
                _("Cannot create the results folder {path} ({reason}).").format(
                    path=out, reason=error
                )
            ) from error

    def _run_with(self, db: ResultsDB, plan: Plan, workers: int) -> Summary:
        todo, already = self._collect(db, workers)
        reason = _("on Ray {cluster}: {workers} workers, each with its own plan").format(
            cluster=self.target, workers=fmt_number(workers)
        )
        self._emit(Started(len(todo), already, plan.card.name, plan.variant.id, "ray", reason))
        info = BackendInfo("ray", str(self.target), plan.variant.id)
        run = plan.run_info(self.settings, info)
        run_id = db.start_run(replace(run, settings={**run.settings, "ray": str(self.target)}))
        start = time.perf_counter()
        done, seen = 0, set()
        for report in self._reports(todo, workers):
            db.record(run_id, report.outcomes)
            if (report.worker.host, report.worker.pid) not in seen:
                seen.add((report.worker.host, report.worker.pid))
                self._emit(WorkerSeen(report.worker))
            for event in report.events:
                self._emit(event)
            done += len(report.outcomes)
            for outcome in report.outcomes:
                self._emit(FileDone(outcome))
            elapsed = time.perf_counter() - start
            rate = done / elapsed if elapsed > 0 else 0.0
            eta = (len(todo) - done) / rate if rate > 0 else None
            self._emit(Progress(done, len(todo), rate, eta))
            if self.cancel_token.cancelled:
                break
        status = "cancelled" if self.cancel_token.cancelled else "finished"
        db.finish_run(run_id, status)
        summary = summarize(db, status, done, time.perf_counter() - start)
        self._emit(Finished(summary))
        return summary

    def _collect(self, db: ResultsDB, workers: int) -> tuple[list[Found | Problem], int]:
        """Files still to do (discovery problems included) and how many were done before."""
        stored = db.done_files() if self.settings.resume else {}
        todo: list[Found | Problem] = []
        already = 0
        for item in discover_on_cluster(self.settings.source, self.settings.out_dir, workers):
            if stored.get(storable_path(item.rel), ()) == (item.size, item.mtime_ns):
                already += 1
            else:
                todo.append(item)
        return todo, already

    def _reports(self, todo: list[Found | Problem], workers: int) -> Iterable[Report]:
        """Each batch's report as soon as a worker sends it, in no fixed order."""
        if not todo:
            return
        context = DataContext.get_current()
        context.enable_progress_bars = False
        context.print_on_execution_start = False
        logging.getLogger("ray.data").setLevel(logging.ERROR)  # its notices are not for rangers
        per_task = self._files_per_task or _files_per_task(len(todo), workers)
        rows = [{ITEM: pickle.dumps(item)} for item in todo]
        blocks = -(-len(todo) // per_task)
        reports = ray.data.from_items(rows, override_num_blocks=blocks).map_batches(
            Classifier,
            fn_constructor_kwargs={"settings": self.settings},
            batch_size=per_task,
            batch_format="numpy",
            compute=ActorPoolStrategy(size=workers),
            num_cpus=self._cpus,
            num_gpus=self._gpus or None,
        )
        for batch in reports.iter_batches(batch_size=None, batch_format="numpy"):
            for blob in batch[REPORT]:
                yield pickle.loads(blob)
            if self.cancel_token.cancelled:
                return

    def _pool_size(self) -> int:
        """Workers: N for local:N, else as many as the cluster's CPUs hold, and its GPUs too
        for GPU workers; an error, before anything is written, where not even one fits."""
        resources = ray.cluster_resources()
        local = self.target.address is None and self.target.workers is not None
        cpus = self.target.workers if local else resources.get("CPU", 0)
        pool = int(cpus // self._cpus)
        if self._gpus:
            pool = min(pool, int(resources.get("GPU", 0) // self._gpus))
        if pool < 1:
            raise ClusterError(
                _(
                    "The Ray cluster {cluster} has no room for one worker with {cpus} CPUs "
                    "and {gpus} GPUs."
                ).format(
                    cluster=self.target, cpus=fmt_number(self._cpus), gpus=fmt_number(self._gpus)
                )
            )
        return pool


def _connect(target: RayTarget) -> bool:
    """Join the cluster (or start a private one for local:N); True if this call started Ray."""
    if ray.is_initialized():
        return False
    try:
        if target.address is None:
            ray.init(
                num_cpus=target.workers, include_dashboard=False, log_to_driver=False,
                logging_level=logging.WARNING,
            )  # fmt: skip
        else:
            ray.init(address=target.address, log_to_driver=False, logging_level=logging.WARNING)
    except (ConnectionError, RuntimeError, ValueError) as error:
        raise ClusterError(
            _("Cannot reach the Ray cluster at {address} ({reason}).").format(
                address=target, reason=_first_line(error)
            )
        ) from error
    return True


def _files_per_task(files: int, workers: int) -> int:
    """Enough tasks to share the files out (four per worker), none above FILES_PER_TASK: a
    task is what a dying worker loses and what the driver commits in one transaction."""
    return max(1, min(FILES_PER_TASK, -(-files // (4 * workers))))


def _first_line(error: BaseException) -> str:
    return (str(error).strip().splitlines() or [type(error).__name__])[0]

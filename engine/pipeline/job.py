"""The main job: classify every photo and video under a folder into a results database.

discover → decode (thread pool, reduced JPEG decode) → batch → infer → store, overlapped:
decoding runs ahead of inference inside a bounded window, so memory does not grow with the
folder, and every batch is committed in one transaction so a kill loses nothing committed.

A video is decoded into at most `VideoSampling.max_frames` sampled frames (engine.media.video);
its frames join the same batches as photos. It is stored, with all its frames, in the batch
where its last frame was classified, so a video is either wholly in the database or not at all.
"""

from __future__ import annotations

import contextlib
import sqlite3
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path

from engine.backends.base import Backend
from engine.detection.choose import pick_detector
from engine.detection.stage import DetectAndClassify, DetectorPhoto, detection_stage, same_models
from engine.errors import ErrorCode, MediaError
from engine.events.grouping import DEFAULT_GAP_S
from engine.events.refresh import EventSettings
from engine.i18n import _
from engine.media.decode import DecodedImage, decode_for_model
from engine.media.discover import Found, Problem
from engine.media.video import (
    DecodedVideo,
    SampledFrame,
    VideoCancelled,
    VideoSampling,
    decode_video,
    frame_tensor,
)
from engine.models.card import ModelCard
from engine.models.select import Preferences
from engine.motion.after_job import after_job
from engine.motion.settings import MotionSettings
from engine.pipeline.batch_buffer import BatchBuffer
from engine.pipeline.cancel import CancelToken
from engine.pipeline.errors import JobError
from engine.pipeline.events import (
    BackendDropped,
    Discovering,
    Event,
    FileDone,
    Finished,
    Progress,
    Reconciled,
    Started,
    Summary,
)
from engine.pipeline.plan import Plan, live_profile, load_backend, make_plan
from engine.pipeline.reconcile import collect
from engine.pipeline.results_folder import check_out_dir, open_results
from engine.pipeline.scoring import top_predictions
from engine.results.db import ResultsDB
from engine.results.fingerprint import fingerprint
from engine.results.folders import RESULTS_DB
from engine.results.records import (
    Classified,
    Failed,
    FileInfo,
    FrameResult,
    Outcome,
    VideoCollector,
    VideoInfo,
    storable_path,
)
from engine.results.summary import summarize

__all__ = ["RESULTS_DB", "ClassifyJob", "JobError", "JobSettings"]


@dataclass(frozen=True)
class JobSettings:
    source: Path
    out_dir: Path
    model_id: str | None = None
    variant: str = "auto"
    threads: int | None = None
    batch_size: int | None = None  # None: the plan's
    resume: bool = True
    backend: str = "auto"
    video: VideoSampling = VideoSampling()
    detector: str | None = None  # a detector id, "none", or None: the installed one, if any
    country: str | None = None  # ISO 3166-1 alpha-3 (COL) for classifiers that know countries
    motion: bool = True  # boxes from what moved (engine.motion); off once a detector runs
    event_gap_s: float = DEFAULT_GAP_S  # photos of one camera closer than this: one event

    def preferences(self) -> Preferences:
        return Preferences(self.variant, self.backend, self.threads, self.batch_size)


def _mark_failed(db: ResultsDB, run_id: int) -> None:
    """A run that ended in an error says so instead of staying "running" for ever; when the
    database itself is what failed (a full disk), the error that stopped the run is the one
    the user needs, not this one."""
    with contextlib.suppress(Exception):
        db.finish_run(run_id, "failed")


def _file_info(item: Found | Problem) -> FileInfo:
    rel, content = storable_path(item.rel), fingerprint(item.path)
    if isinstance(item, Found):
        return FileInfo(rel, item.kind, item.fmt, item.size, item.mtime_ns, content)
    return FileInfo(rel, "unknown", None, item.size, item.mtime_ns, content)


class ClassifyJob:
    """One run over a folder; `run()` blocks, events go to `on_event` on the caller's thread."""

    def __init__(
        self,
        settings: JobSettings,
        on_event: Callable[[Event], None] | None = None,
        cancel: CancelToken | None = None,
        backend_factory: Callable[[Plan, Callable[[str, str], None]], Backend] | None = None,
    ) -> None:
        self.settings = settings
        self.cancel_token = cancel or CancelToken()
        self._emit = on_event or (lambda event: None)
        self._backend_factory = backend_factory
        self._batch_size = settings.batch_size or 16
        self._batch_buffer = BatchBuffer()
        self._stage: DetectAndClassify | None = None
        self._loaded: tuple[Plan, Backend] | None = None

    def cancel(self) -> None:
        self.cancel_token.cancel()

    def run(self) -> Summary:
        source = self.settings.source
        if not source.exists():
            raise JobError(_("The folder {path} does not exist.").format(path=source))
        check_out_dir(source, self.settings.out_dir)
        plan, backend = self.load()
        with open_results(source, self.settings.out_dir, self._emit) as db:
            if not same_models(db.latest_run(), plan.card.id, self._stage):
                self.settings = replace(self.settings, resume=False)  # other models: redo all
            try:
                return self._run_with(db, plan, backend)
            except sqlite3.OperationalError as error:
                raise JobError(
                    _(
                        "Cannot write the results to {path} ({reason}). "
                        "Free some disk space or choose another results folder."
                    ).format(path=db.path, reason=error)
                ) from error

    def load(self) -> tuple[Plan, Backend]:
        """This machine's plan, its loaded backend and model stages, made once per job object."""
        if self._loaded is None:
            plan = make_plan(self.settings.model_id, self.settings.preferences())
            self._batch_size = plan.choice.batch_size
            on_drop = lambda name, reason: self._emit(BackendDropped(name, reason))  # noqa: E731
            backend = (self._backend_factory or load_backend)(plan, on_drop)
            profile = live_profile()
            self._stage = detection_stage(
                pick_detector(self.settings.detector, profile), plan.card, backend,
                plan.choice.backend, plan.threads, self.settings.country, on_drop, profile,
            )  # fmt: skip
            self._loaded = plan, backend
        return self._loaded

    def classify(self, items: Iterable[Found | Problem]) -> Iterator[list[Outcome]]:
        """Outcomes of files discovered elsewhere, in groups to commit, by the same decode and
        inference as `run()`: the seam engine.cluster's workers call, one job per worker."""
        plan, backend = self.load()
        todo: list[Found] = []
        problems: list[Failed] = []
        for item in items:
            if isinstance(item, Problem):
                problems.append(Failed(_file_info(item), item.code, item.detail))
            else:
                todo.append(item)
        yield from self._batches(problems, todo, plan.card, backend)

    def _run_with(self, db: ResultsDB, plan: Plan, backend: Backend) -> Summary:
        todo, problems, already = self._collect(db)
        self._emit(
            Started(
                len(todo) + len(problems),
                already,
                self._stage.name if self._stage else plan.card.name,
                plan.variant.id,
                backend.info.name,
                plan.reason,
                self._stage.estimate_seconds(len(todo)) if self._stage else None,
            )
        )
        run_info = plan.run_info(self.settings, backend.info)
        run_id = db.start_run(self._stage.annotate(run_info) if self._stage else run_info)
        start = time.perf_counter()
        try:
            done = self._classify_all(db, run_id, problems, todo, plan, backend, start)
        except BaseException:
            _mark_failed(db, run_id)
            raise
        status = "cancelled" if self.cancel_token.cancelled else "finished"
        db.finish_run(run_id, status)
        seconds = time.perf_counter() - start
        summary = summarize(db, status, done, seconds)
        self._emit(Finished(summary))
        return summary

    def _classify_all(
        self, db: ResultsDB, run_id: int, problems: list[Failed], todo: list[Found],
        plan: Plan, backend: Backend, start: float,
    ) -> int:  # fmt: skip
        """Every file, then the motion step and the events; the number of files done."""
        done = 0
        total = len(todo) + len(problems)
        for batch in self._batches(problems, todo, plan.card, backend):
            db.record(run_id, batch)
            done += len(batch)
            for outcome in batch:
                self._emit(FileDone(outcome))
            elapsed = time.perf_counter() - start
            rate = done / elapsed if elapsed > 0 else 0.0
            eta = (total - done) / rate if rate > 0 else None
            self._emit(Progress(done, total, rate, eta))
            if self.cancel_token.cancelled:
                break
        token = self.cancel_token
        motion = self.settings.motion and self._stage is None  # a detector draws the boxes
        after_job(db.path, self.settings.source, plan.card, backend, motion,
                  self._batch_size, self.settings.threads, lambda: token.cancelled,
                  EventSettings(gap_s=self.settings.event_gap_s))  # fmt: skip
        return done

    def _collect(self, db: ResultsDB) -> tuple[list[Found], list[Failed], int]:
        """Files still to do, discovery problems to record, and how many were done before;
        the database is reconciled with the disk first (engine.pipeline.reconcile)."""
        settings = self.settings
        found = collect(
            db, settings.source, settings.out_dir, settings.resume,
            lambda count: self._emit(Discovering(count)),
        )  # fmt: skip
        if found.gone or found.renamed:
            self._emit(Reconciled(found.gone, found.renamed))
        problems = [Failed(_file_info(item), item.code, item.detail) for item in found.problems]
        return found.todo, problems, found.already

    def _batches(
        self, problems: list[Failed], todo: list[Found], card: ModelCard, backend: Backend
    ) -> Iterator[list[Outcome]]:
        """Outcomes in groups to commit: after each inference, whatever files it completed."""
        size = self._batch_size
        for start in range(0, len(problems), size):
            yield list(problems[start : start + size])
        units: list[_Unit] = []
        ready: list[Outcome] = []
        for item, decoded in self._decoded(todo, card):
            if isinstance(decoded, VideoCancelled) or self.cancel_token.cancelled:
                break  # frames of a video half done are dropped: it is redone on resume
            units.extend(_units(item, decoded, ready))
            while len(units) >= size or len(ready) >= size:
                ready += self._infer(units[:size], card, backend)
                del units[:size]
                yield ready
                ready = []
                if self.cancel_token.cancelled:
                    return
        if units and not self.cancel_token.cancelled:
            ready += self._infer(units, card, backend)
        if ready:
            yield ready

    def _decoded(self, todo: list[Found], card: ModelCard) -> Iterator[tuple[Found, _Decoded]]:
        """Decoded files in discovery order; decoding runs ahead by a bounded window, where a
        video weighs a whole batch (it may hold up to `VideoSampling.max_frames` frames)."""
        window = 2 * self._batch_size + 4
        pending: deque[tuple[Found, Future]] = deque()
        weight = 0
        with ThreadPoolExecutor(self.settings.threads or None, "decode") as pool:
            try:
                for item in [*todo, None]:
                    while pending and (item is None or weight + self._weight(item) > window):
                        done, future = pending.popleft()
                        weight -= self._weight(done)
                        yield done, _result_or_error(future)
                        if self.cancel_token.cancelled:
                            return
                    if item is not None:
                        pending.append((item, pool.submit(self._decode, item, card)))
                        weight += self._weight(item)
            finally:
                for _item, queued in pending:
                    queued.cancel()

    def _weight(self, item: Found) -> int:
        return self._batch_size if item.kind == "video" else 1

    def _decode(self, item: Found, card: ModelCard) -> DecodedImage | DecodedVideo:
        token = self.cancel_token
        if self._stage is not None:
            if item.kind != "video":
                return self._stage.decode_photo(item.path)
            return self._stage.decode_clip(item.path, self.settings.video, lambda: token.cancelled)
        if item.kind != "video":  # with the motion step to come: its frame, from this decode
            side = MotionSettings().work_side if self.settings.motion else 0
            return decode_for_model(item.path, card.preprocessing, thumb_side=side)
        return decode_video(
            item.path, card.preprocessing, self.settings.video, lambda: token.cancelled
        )

    def _infer(self, units: list[_Unit], card: ModelCard, backend: Backend) -> list[Outcome]:
        """Classify photos and video frames together; return the files this completed."""
        if not units:
            return []
        if self._stage is not None:
            return self._infer_stages(units)
        prep = card.preprocessing
        tensors = [
            owner.tensor if frame is None else frame_tensor(frame.pixels, prep)
            for _item, owner, frame in units
        ]
        logits = backend.run(self._batch_buffer.stack(tensors))
        outcomes: list[Outcome] = []
        for (item, owner, frame), predictions in zip(
            units, top_predictions(logits, card), strict=True
        ):
            if isinstance(owner, DecodedImage):
                outcomes.append(Classified(
                    _file_info(item), owner.width, owner.height, owner.exif, predictions,
                    thumb=owner.thumb,
                ))  # fmt: skip
            elif owner.add(
                FrameResult(frame.frame_number, frame.time_s, frame.motion, predictions)
            ):
                outcomes.append(owner.outcome())
        return outcomes

    def _infer_stages(self, units: list[_Unit]) -> list[Outcome]:
        """Detect, then classify (engine.detection.stage); store what completed files."""
        assert self._stage is not None
        pictures = [
            (owner.rgb, owner.tensor, owner.placement) if frame is None
            else (frame.pixels, None, None)
            for _item, owner, frame in units
        ]  # fmt: skip
        numbers = [None if frame is None else frame.frame_number for _i, _o, frame in units]
        outcomes: list[Outcome] = []
        for (item, owner, frame), found in zip(
            units, self._stage.run(pictures, numbers), strict=True
        ):
            if isinstance(owner, DetectorPhoto):
                outcomes.append(Classified(
                    _file_info(item), owner.width, owner.height, owner.exif, found.predictions,
                    found.detections,
                ))  # fmt: skip
            elif owner.add(FrameResult(frame.frame_number, frame.time_s, frame.motion,
                                       found.predictions, found.detections)):  # fmt: skip
                outcomes.append(owner.outcome())
        return outcomes


_Decoded = DecodedImage | DecodedVideo | MediaError | VideoCancelled
_Unit = tuple[Found, DecodedImage | VideoCollector, SampledFrame | None]


def _units(item: Found, decoded: _Decoded, ready: list[Outcome]) -> list[_Unit]:
    """What to classify for one decoded file; a file that failed goes straight to `ready`."""
    if isinstance(decoded, MediaError):
        ready.append(Failed(_file_info(item), decoded.code, decoded.detail))
        return []
    if isinstance(decoded, DecodedImage):
        return [(item, decoded, None)]
    assert isinstance(decoded, DecodedVideo)
    info = VideoInfo(decoded.fps, decoded.frames_read, decoded.duration_s, decoded.recorded_at)
    size = (decoded.width, decoded.height)
    video = VideoCollector(_file_info(item), size, info, len(decoded.frames))
    return [(item, video, frame) for frame in decoded.frames]


def _result_or_error(future: Future) -> _Decoded:
    try:
        return future.result()
    except (MediaError, VideoCancelled) as error:
        return error
    except Exception as error:  # noqa: BLE001 - an unknown decoder failure is one file's error
        return MediaError(ErrorCode.CORRUPT, f"{type(error).__name__}: {error}")

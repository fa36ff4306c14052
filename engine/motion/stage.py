"""The motion step: a second pass over a run's photos, one camera at a time.

A background needs several frames of one camera, which the streaming job has not seen when it
classifies a photo; so this pass runs after it, over every stored photo, camera by camera in
time order, with a bounded window of small frames (memory does not grow with the folder).
The frames are the ones the job kept from its own decode (engine.media.thumbnail); a photo is
decoded again only for the crops of what changed in it, or when no frame was kept (a results
folder of an older version, a photo classified with the step off).
Per photo it stores a verdict (boxes, or the whole frame and why) and its motion boxes; the
whole-frame predictions the job stored are kept, so a fallback loses nothing.
"""

import threading
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from itertools import groupby
from pathlib import Path

import numpy as np

from engine.backends.base import Backend
from engine.events.camera import camera_key
from engine.media.thumbnail import decode_thumb
from engine.models.card import ModelCard
from engine.motion.crops import CropClassifier, crop_tensor, judge
from engine.motion.frames import load_bgr, regime, signature
from engine.motion.regions import background, changes
from engine.motion.settings import MotionSettings
from engine.results.events_store import EventsStore, MotionVerdict, StoredPhoto
from engine.results.records import disk_rel

TOO_FEW = "too_few_frames"
LIGHT = "light_changed"
UNREADABLE = "unreadable"


@dataclass
class _Frame:
    photo: StoredPhoto
    image: np.ndarray | None
    regime: str
    signature: np.ndarray | None


@dataclass(frozen=True)
class MotionReport:
    photos: int
    with_boxes: int  # photos decided by motion (with or without boxes)
    boxes: int
    whole_frame: dict[str, int]  # reason -> photos that fell back to the whole frame
    kept_frames: int = 0  # frames read from what the job kept, not from the photos
    photo_reads: int = 0  # photos decoded again: frames not kept, and crops of what changed


def _ordered_cameras(photos: Iterable[StoredPhoto]) -> Iterator[list[StoredPhoto]]:
    """Photos per camera, each camera's in time order (path order without a time)."""
    keyed = sorted((camera_key(p), p.taken_at or "", p.rel_path, p) for p in photos)
    for _key, group in groupby(keyed, key=lambda item: item[0]):
        yield [item[3] for item in group]


class MotionPass:
    def __init__(
        self,
        db_path: Path,
        source: Path,
        card: ModelCard,
        backend: Backend,
        settings: MotionSettings | None = None,
        batch: int = 16,
        threads: int | None = None,
        cancelled: Callable[[], bool] = lambda: False,
    ) -> None:
        self.db_path, self.source = db_path, source
        self.settings = settings or MotionSettings()
        self.classifier = CropClassifier(card, backend, batch)
        self.card, self.threads, self.cancelled = card, threads, cancelled
        self._reads = {"kept": 0, "photo": 0}
        self._reads_lock = threading.Lock()

    def run(self) -> MotionReport:
        with EventsStore(self.db_path) as store:
            photos = [p for p in store.photos() if p.kind == "image"]
            done = store.motion_done()
            counts = {"photos": 0, "decided": 0, "boxes": 0}
            fallbacks: dict[str, int] = {}
            with ThreadPoolExecutor(self.threads or None, "motion") as pool:
                for camera in _ordered_cameras(photos):
                    if all(p.id in done for p in camera):
                        continue
                    for results in self._camera(camera, done, pool, store):
                        store.record_motion(results)  # a chunk at a time: a kill loses little
                        for verdict, boxes in results:
                            counts["photos"] += 1
                            counts["decided"] += verdict.status == "boxes"
                            counts["boxes"] += len(boxes)
                            if verdict.status != "boxes":
                                fallbacks[verdict.reason] = fallbacks.get(verdict.reason, 0) + 1
                    if self.cancelled():
                        break
            if not self.cancelled():  # every photo has its verdict: the frames are spent
                store.drop_thumbs()
        return MotionReport(
            counts["photos"], counts["decided"], counts["boxes"], fallbacks,
            self._reads["kept"], self._reads["photo"],
        )  # fmt: skip

    def _count(self, read: str) -> None:
        with self._reads_lock:
            self._reads[read] += 1

    def _load(self, photo: StoredPhoto, kept: bytes | None) -> _Frame:
        """The photo's frame: the one the job kept, else decoded from the photo."""
        image = decode_thumb(kept) if kept is not None else None
        if image is not None:
            self._count("kept")
        else:
            self._count("photo")
            image = load_bgr(self.source / disk_rel(photo.rel_path), self.settings.work_side)
        if image is None:
            return _Frame(photo, None, "day", None)
        return _Frame(photo, image, regime(image, self.settings.night_colour), signature(image))

    def _camera(
        self,
        photos: list[StoredPhoto],
        done: set[int],
        pool: ThreadPoolExecutor,
        store: EventsStore,
    ) -> Iterator[list[tuple[MotionVerdict, list[tuple]]]]:
        """Verdicts and boxes for one camera's photos not done yet, a chunk at a time; only
        the frames within a window of those are read (a resumed run reads few)."""
        window, chunk = self.settings.window, 2 * self.settings.window
        loaded: dict[int, _Frame] = {}
        for start in range(0, len(photos), chunk):
            if self.cancelled():  # what is done is stored; a resumed run does the rest
                return
            stop = min(len(photos), start + chunk)
            targets = [i for i in range(start, stop) if photos[i].id not in done]
            if not targets:
                continue
            lo, hi = max(0, start - window), min(len(photos), stop + window)
            missing = [i for i in range(lo, hi) if i not in loaded]
            kept = store.thumbs([photos[i].id for i in missing], self.settings.work_side)
            wanted = [photos[i] for i in missing]
            frames = pool.map(self._load, wanted, [kept.get(photo.id) for photo in wanted])
            for index, frame in zip(missing, frames, strict=True):
                loaded[index] = frame
            for index in [i for i in loaded if i < lo]:
                del loaded[index]
            yield list(
                self._classified(list(pool.map(lambda i: self._analyse(i, loaded), targets)))
            )

    def _analyse(self, index: int, loaded: dict[int, _Frame]):
        """(verdict, [(box, crop tensor)]) of one photo: what changed, cut from a larger decode.

        Runs on the pool, one photo per task, so decoding and the background overlap."""
        frame, verdict, boxes = self._changes(index, loaded)
        if not boxes:
            return verdict, []
        photo, side = frame.photo, self.settings.crop_side
        bigger = max(photo.width, photo.height) > max(frame.image.shape[:2])
        larger = None  # a photo no larger than its frame (224 px ones) has nothing more to give
        if side > self.settings.work_side and bigger:
            self._count("photo")
            larger = load_bgr(self.source / disk_rel(photo.rel_path), side)
        source = larger if larger is not None else frame.image
        margin = self.settings.margin
        return verdict, [(box, crop_tensor(source, box, margin, self.card)) for box in boxes]

    def _changes(self, index: int, loaded: dict[int, _Frame]):
        """(frame, verdict, boxes) of one photo against its scene's median background."""
        frame, settings = loaded[index], self.settings
        if frame.image is None:
            verdict = MotionVerdict(frame.photo.id, "whole_frame", UNREADABLE, 0, "day")
            return frame, verdict, ()
        peers = []
        for other_index, other in loaded.items():
            if (
                other_index == index or other.image is None or other.regime != frame.regime
                or other.image.shape != frame.image.shape
                or abs(other_index - index) > settings.window
            ):  # fmt: skip
                continue
            similarity = float(np.dot(frame.signature, other.signature))
            if similarity >= settings.min_similarity:
                peers.append((similarity, other_index))
        peers = sorted(peers, reverse=True)[: 2 * settings.window]
        if peers:  # the closest scene only: a mix of two scenes has no true median
            peers = [peer for peer in peers if peer[0] >= peers[0][0] - settings.peer_band]
        if len(peers) % 2:  # an odd count with the frame itself: a median, not a mean of two
            peers = peers[:-1]
        used = len(peers) + 1
        if used < settings.min_frames:
            verdict = MotionVerdict(frame.photo.id, "whole_frame", TOO_FEW, used, frame.regime)
            return frame, verdict, ()
        back = background([frame.image] + [loaded[i].image for _s, i in peers])
        found = changes(frame.image, back, settings)
        if found.too_much:
            verdict = MotionVerdict(frame.photo.id, "whole_frame", LIGHT, used, frame.regime)
            return frame, verdict, ()
        return frame, MotionVerdict(frame.photo.id, "boxes", "", used, frame.regime), found.boxes

    def _classified(self, analysed: list) -> Iterator[tuple[MotionVerdict, list[tuple]]]:
        """The crops of a chunk classified in batches; each verdict with its boxes."""
        crops = [(verdict.file_id, box, tensor) for verdict, cut in analysed for box, tensor in cut]
        classified = self.classifier.classify([tensor for _f, _b, tensor in crops])
        labelled: dict[int, list[tuple]] = {}
        for (file_id, box, _tensor), (masses, top) in zip(crops, classified, strict=True):
            category, conf = judge(masses)
            rounded = tuple(round(value, 6) for value in box)
            classes = [(p.class_index, p.label, p.group, p.score) for p in top]
            labelled.setdefault(file_id, []).append(
                (self.card.id, category, conf, rounded, classes)
            )
        for verdict, _cut in analysed:
            yield verdict, labelled.get(verdict.file_id, [])

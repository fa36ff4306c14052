"""Plain records passed from the pipeline to the results database and on to exports."""

import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from engine.errors import ErrorCode
from engine.media.exif import EMPTY as EMPTY_EXIF
from engine.media.exif import ExifInfo
from engine.media.thumbnail import Thumb


@dataclass(frozen=True)
class Prediction:
    class_index: int
    label: str
    group: str
    score: float


BOX_SOURCES = ("detector", "motion")
CATEGORIES = ("animal", "person", "vehicle")


@dataclass(frozen=True)
class Detection:
    """A box on a photo or a video frame, from a detector or from what moved (`source`).

    `box` is MegaDetector's normalised `[x_min, y_min, width, height]` of the EXIF-oriented
    frame; every box at or above the model's floor is kept, thresholds apply when reading.
    `classifications` are the crop classifier's top-k (best first), empty when none ran.
    """

    source: str
    model_id: str
    category: str
    conf: float
    box: tuple[float, float, float, float]
    frame_number: int | None = None
    classifications: tuple[Prediction, ...] = ()


def storable_path(rel: str) -> str:
    """A relative path as valid UTF-8 text for the database and exports, stable across runs.

    Names from old cards can hold bytes that are not UTF-8 (Python keeps them as surrogates);
    those bytes become `\\xNN` escapes, so such a file is stored, shown and resumed like any other.
    A backslash in a name (legal on Linux and macOS) is doubled first, so a raw byte 0xFF and a
    name spelled with the four characters `\\xff` stay two rows: the text is lossless and
    `disk_rel` turns it back into the name on disk. Plain names are stored unchanged.
    """
    escaped = rel.replace("\\", "\\\\")
    return escaped.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


_ESCAPE = re.compile(r"\\(\\|x[0-9a-f]{2})")


def disk_rel(stored: str) -> str:
    """The inverse of `storable_path`: the relative path as the OS names it."""

    def unescape(match: re.Match[str]) -> str:
        code = match.group(1)
        return "\\" if code == "\\" else os.fsdecode(bytes([int(code[1:], 16)]))

    return _ESCAPE.sub(unescape, stored)


def clip_time(recorded_at: str | None) -> ExifInfo:
    """A clip's recording time: the one its container holds (engine.media.video_time), or
    unknown. Never the file's modification time: a copy's date is not when it was filmed."""
    return replace(EMPTY_EXIF, taken_at=recorded_at) if recorded_at else EMPTY_EXIF


@dataclass(frozen=True)
class FileInfo:
    rel: str
    kind: str
    fmt: str | None
    size: int | None
    mtime_ns: int | None
    fingerprint: str | None = None  # engine.results.fingerprint: decides "already done"


@dataclass(frozen=True)
class Classified:
    file: FileInfo
    width: int
    height: int
    exif: ExifInfo
    predictions: tuple[Prediction, ...]
    detections: tuple[Detection, ...] = ()
    thumb: Thumb | None = field(default=None, compare=False, repr=False, kw_only=True)  # motion

    @property
    def top(self) -> Prediction:
        return self.predictions[0]


@dataclass(frozen=True)
class Failed:
    file: FileInfo
    code: ErrorCode
    detail: str


Outcome = Classified | Failed  # a VideoClassified is a Classified


@dataclass(frozen=True)
class FrameResult:
    """One sampled frame of a video and the model's top-5 for it."""

    frame_number: int
    time_s: float
    motion: float
    predictions: tuple[Prediction, ...]
    detections: tuple[Detection, ...] = ()  # each with `frame_number` set


@dataclass(frozen=True)
class VideoInfo:
    fps: float  # the rate the frame times were computed with
    frames_read: int  # frames the decoder delivered (the clip's real length)
    duration_s: float
    recorded_at: str | None = None  # when filmed, from the container; None: unknown


@dataclass(frozen=True)
class VideoClassified(Classified):
    """A video: `predictions` summarise its frames (see `video_predictions`), `frames` hold them."""

    video: VideoInfo = VideoInfo(0.0, 0, 0.0)
    frames: tuple[FrameResult, ...] = ()


def video_predictions(frames: Iterable[FrameResult], k: int = 5) -> tuple[Prediction, ...]:
    """A video's top-k: each label scored by its highest probability in any frame.

    The maximum, not a vote: an animal crossing in 3 frames of 40 empty ones is what the
    ranger wants to find, as MegaDetector's per-video aggregation does.
    """
    best: dict[int, Prediction] = {}
    for frame in frames:
        for prediction in frame.predictions:
            known = best.get(prediction.class_index)
            if known is None or prediction.score > known.score:
                best[prediction.class_index] = prediction
    return tuple(sorted(best.values(), key=lambda p: (-p.score, p.class_index))[:k])


@dataclass(frozen=True)
class LabelSeen:
    """A label that was the best guess on at least one frame of a video."""

    class_index: int
    label: str
    group: str
    frames: int  # frames where it was the best guess
    best_frame: int  # the frame where it was most probable
    best_time_s: float
    first_s: float
    last_s: float
    max_score: float


TopFrame = tuple[int, float, tuple[int, str, str, float]]
"""(frame number, time in s, best prediction as (class_index, label, group, score))."""


def labels_seen(frames: Iterable[TopFrame]) -> list[LabelSeen]:
    """Per label seen as a frame's best guess: best frame, first/last time, max confidence;
    the most confident label first."""
    seen: dict[int, LabelSeen] = {}
    for number, time_s, (index, label, group, score) in frames:
        known = seen.get(index)
        if known is None:
            seen[index] = LabelSeen(index, label, group, 1, number, time_s, time_s, time_s, score)
            continue
        better = score > known.max_score
        seen[index] = LabelSeen(
            index, label, group, known.frames + 1,
            number if better else known.best_frame,
            time_s if better else known.best_time_s,
            min(known.first_s, time_s), max(known.last_s, time_s),
            max(known.max_score, score),
        )  # fmt: skip
    return sorted(seen.values(), key=lambda s: (-s.max_score, s.class_index))


class VideoCollector:
    """A video whose frames are being classified: keeps their results (not their pixels)
    until the last one arrives, then makes the video's outcome."""

    def __init__(self, file: FileInfo, size: tuple[int, int], info: VideoInfo, frames: int) -> None:
        self.file, self.size, self.info, self.expected = file, size, info, frames
        self.results: list[FrameResult] = []

    def add(self, result: FrameResult) -> bool:
        """Store one frame's result; True once every sampled frame has one."""
        self.results.append(result)
        return len(self.results) == self.expected

    def outcome(self) -> VideoClassified:
        frames = tuple(sorted(self.results, key=lambda frame: frame.frame_number))
        detections = tuple(d for frame in frames for d in frame.detections)
        return VideoClassified(
            self.file, *self.size, clip_time(self.info.recorded_at), video_predictions(frames),
            detections,
            video=self.info, frames=frames,
        )  # fmt: skip

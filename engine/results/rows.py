"""Rows as the results database gives them back: what exports, summaries and the GUI read."""

from dataclasses import dataclass

from engine.results.records import LabelSeen, labels_seen


@dataclass(frozen=True)
class RunInfo:
    source: str
    model_id: str
    variant: str
    model_sha256: str
    backend: str
    versions: dict[str, str]
    settings: dict[str, object]


@dataclass(frozen=True)
class DetectionRow:
    """A stored box (see records.Detection) with its crop classifications, best first."""

    id: int
    frame_number: int | None
    source: str
    model_id: str
    category: str
    conf: float
    box: tuple[float, float, float, float]
    classifications: tuple[tuple[int, str, str, float], ...] = ()


@dataclass(frozen=True)
class FileRow:
    """A file as stored, with its predictions (best first); what exports and summaries read."""

    rel_path: str
    kind: str
    format: str | None
    size: int | None
    status: str
    width: int | None
    height: int | None
    taken_at: str | None
    camera_make: str | None
    camera_model: str | None
    camera_serial: str | None
    error_code: str | None
    error_detail: str | None
    predictions: tuple[tuple[int, str, str, float], ...]
    review: "Review | None" = None
    video: "VideoRow | None" = None  # set for a classified video; its frames: ResultsDB.frames
    detections: tuple[DetectionRow, ...] = ()  # every stored box, whatever its confidence

    @property
    def is_video(self) -> bool:
        return self.kind == "video"


@dataclass(frozen=True)
class VideoRow:
    fps: float
    frames_read: int
    duration_s: float
    frames_processed: int


@dataclass(frozen=True)
class FrameRow:
    """A sampled frame of a video with its top-5 (best first), as FileRow.predictions."""

    frame_number: int
    time_s: float
    motion: float
    predictions: tuple[tuple[int, str, str, float], ...]


@dataclass(frozen=True)
class BoxReview:
    """A person's verdict on a box, or on a frame's boxes, kept beside the machine's.

    `action`: "accept" or "reject" a stored box (`detection_id`), "relabel" it (`category`
    and/or `label`, any name typed: "ocelot"), "add" a box the detector missed (`box`,
    `category`, `label`), or mark the frame "empty" (every machine box of it set aside).
    `frame_number` names a video's frame (None for a photo).
    """

    rel_path: str
    detection_id: int | None
    action: str
    category: str | None = None
    label: str | None = None
    frame_number: int | None = None
    box: tuple[float, float, float, float] | None = None
    created_at: str = ""
    id: int | None = None


@dataclass(frozen=True)
class Review:
    """A person's verdict on a file, kept beside the machine's label, never over it.

    `label` is a class label of the model (English key, `class_index` set) or the reviewer's
    own words for a class the model does not know (`class_index` None), e.g. "empty".
    """

    rel_path: str
    action: str
    class_index: int | None
    label: str
    group: str
    created_at: str


def seen_in(frames: list[FrameRow]) -> list[LabelSeen]:
    """A video's per-label summary (best frame, first/last time, max confidence)."""
    tops = ((f.frame_number, f.time_s, f.predictions[0]) for f in frames if f.predictions)
    return labels_seen(tops)


def best_seen(row: FileRow, frames: list[FrameRow]) -> LabelSeen | None:
    """The summary of a video's best label; None when it was never a frame's best guess."""
    if not row.predictions:
        return None
    best = row.predictions[0][0]
    return next((seen for seen in seen_in(frames) if seen.class_index == best), None)

"""Plain records passed from the pipeline to the results database and on to exports."""

from dataclasses import dataclass

from engine.errors import ErrorCode
from engine.media.exif import ExifInfo


@dataclass(frozen=True)
class Prediction:
    class_index: int
    label: str
    group: str
    score: float


@dataclass(frozen=True)
class FileInfo:
    rel: str
    kind: str
    fmt: str | None
    size: int | None
    mtime_ns: int | None


@dataclass(frozen=True)
class Classified:
    file: FileInfo
    width: int
    height: int
    exif: ExifInfo
    predictions: tuple[Prediction, ...]

    @property
    def top(self) -> Prediction:
        return self.predictions[0]


@dataclass(frozen=True)
class Failed:
    file: FileInfo
    code: ErrorCode
    detail: str


Outcome = Classified | Failed

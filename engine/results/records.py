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


def storable_path(rel: str) -> str:
    """A relative path as valid UTF-8 text for the database and exports, stable across runs.

    Names from old cards can hold bytes that are not UTF-8 (Python keeps them as surrogates);
    those bytes become `\\xNN` escapes, so such a file is stored, shown and resumed like any other.
    """
    return rel.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


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

"""What a running job tells its listeners (CLI progress bar, GUI signals, tests)."""

from dataclasses import dataclass
from pathlib import Path

from engine.results.records import Outcome
from engine.results.summary import Summary


@dataclass(frozen=True)
class Started:
    total: int
    already_done: int
    model: str
    variant: str
    backend: str
    reason: str
    estimate_seconds: float | None = None  # the detector plan's time for `total`, before any


@dataclass(frozen=True)
class Progress:
    done: int
    total: int
    rate: float
    eta_seconds: float | None


@dataclass(frozen=True)
class FileDone:
    outcome: Outcome


@dataclass(frozen=True)
class BackendDropped:
    """A backend failed or disagreed with the CPU; the job goes on with the next one."""

    backend: str
    reason: str


@dataclass(frozen=True)
class Finished:
    summary: Summary


@dataclass(frozen=True)
class Discovering:
    """Files found so far while the source is walked (before `Started`)."""

    found: int


@dataclass(frozen=True)
class Reconciled:
    """Files remembered but no longer on disk (set aside), and files found renamed."""

    gone: int
    renamed: int


@dataclass(frozen=True)
class DatabaseRecovered:
    """The results database was damaged: kept aside as `damaged`; this run rebuilds it."""

    damaged: Path
    reason: str
    reviews: int  # reviews saved into the new database
    reviews_from: str  # "database", an export's file name, or "" (none found)


Event = (
    Started | Progress | FileDone | BackendDropped | Finished
    | Discovering | Reconciled | DatabaseRecovered
)  # fmt: skip

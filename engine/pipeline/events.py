"""What a running job tells its listeners (CLI progress bar, GUI signals, tests)."""

from dataclasses import dataclass

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


Event = Started | Progress | FileDone | BackendDropped | Finished

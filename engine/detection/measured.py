"""The detector speed this PC has shown, so that plans and time estimates use it.

`ocelote bench detect` saves each run (engine.bench.history, kind "detect") with the
measured pipeline rate, the backend and how many times faster than MegaDetector v5a the
measured model is. The plan's paper figures (a share of the card's peak, cores x a per-core
rate) can be off by half either way; the newest run on this PC with the same backend replaces
them, scaled back to MDv5a photos per second, and the plan says so.
"""

from dataclasses import dataclass
from datetime import datetime

from engine.bench.history import list_runs

KIND = "detect"


@dataclass(frozen=True)
class Measured:
    backend: str
    mdv5a_rate: float  # photos/s of MegaDetector v5a this rate stands for
    model: str
    photos_per_second: float
    when: datetime


def latest_measurements() -> dict[str, Measured]:
    """The newest usable `bench detect` run of this PC for each backend."""
    found: dict[str, Measured] = {}
    for run in list_runs(KIND):  # newest first
        data = run.data if isinstance(run.data, dict) else {}
        backend, rate = data.get("backend"), data.get("pipeline")
        relative = data.get("relative_speed")
        if not isinstance(backend, str) or backend in found:
            continue
        if not all(isinstance(v, int | float) and v > 0 for v in (rate, relative)):
            continue
        found[backend] = Measured(
            backend, float(rate) / float(relative), str(data.get("model", "")), float(rate),
            run.created_at,
        )  # fmt: skip
    return found

"""`ocelote devices --probe`: measure the candidate plans on this PC and remember the winner.

The cache is keyed by the PC's devices and drivers and by the model file, so a new driver or
a new model is measured again. The selector trusts a measurement over its rules, but only a
route that agreed with the CPU on the check batch.
"""

import json
import time
from dataclasses import asdict
from pathlib import Path

from engine.backends.measure import Row, default_routes, measure_all
from engine.hardware.device import DeviceProfile
from engine.models.card import ModelCard
from engine.paths import user_data_dir
from engine.results.atomic import write_text

MIN_TOP1 = 0.98
SLOW_LAST_RESORT = "opencv-opencl"  # minutes per batch on some cards: measured only on request


def cache_path() -> Path:
    return user_data_dir() / "probe-cache.json"


def cache_key(card: ModelCard, profile: DeviceProfile) -> str:
    devices = sorted(f"{d.name}|{d.driver}|{d.opencl_version}" for d in profile.devices)
    return "||".join([card.id, card.variant("fp32").sha256, profile.cpu.model, *devices])


def _load() -> dict[str, dict]:
    try:
        return json.loads(cache_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def save(card: ModelCard, profile: DeviceProfile, rows: list[Row]) -> None:
    cache = _load()
    cache[cache_key(card, profile)] = {
        "measured_at": time.time(),
        "rows": [asdict(r) for r in rows],
    }
    path = cache_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    write_text(path, json.dumps(cache, indent=1))


def best_measured(card: ModelCard, profile: DeviceProfile) -> Row | None:
    """The fastest route that agreed with the CPU, from the last probe on this PC, if any."""
    entry = _load().get(cache_key(card, profile))
    if not entry:
        return None
    rows = [Row(**row) for row in entry["rows"]]
    good = [r for r in rows if not r.problem and r.images_per_s > 0 and r.top1 >= MIN_TOP1]
    return max(good, key=lambda r: r.images_per_s, default=None)


def probe(
    card: ModelCard, profile: DeviceProfile, images, include_slow: bool = False,  # noqa: ANN001
    seconds: float = 5.0,
) -> list[Row]:  # fmt: skip
    """Every installed backend and precision, timed on a few real batches, then cached."""
    routes = [r for r in default_routes() if include_slow or r[0] != SLOW_LAST_RESORT]
    rows = measure_all(card, images, routes, repeat=2, seconds=seconds)
    save(card, profile, rows)
    return rows

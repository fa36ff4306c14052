"""Every benchmark run saved as JSON in the user's data folder, to compare runs on this PC.

A portable install (a USB stick) may serve several PCs, so each run records the host name and
the listing shows this PC's runs only unless asked for all.
"""

from __future__ import annotations

import json
import platform
from dataclasses import asdict, dataclass, is_dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from engine.paths import user_data_dir
from engine.results.atomic import write_text

KINDS = ("pipeline", "backends", "device", "optimize", "detect")


@dataclass(frozen=True)
class SavedRun:
    path: Path
    kind: str
    created_at: datetime
    host: str
    data: Any


def history_dir() -> Path:
    return user_data_dir() / "benchmarks"


def host_name() -> str:
    return platform.node() or "unknown"


def _plain(data: Any) -> Any:
    """Dataclasses (and lists of them) as JSON-ready dicts."""
    if is_dataclass(data) and not isinstance(data, type):
        return asdict(data)
    if isinstance(data, list | tuple):
        return [_plain(item) for item in data]
    return data


def save_run(kind: str, data: Any, extra: dict[str, Any] | None = None) -> Path:
    """Write one run; the file name sorts by time and never overwrites an earlier run."""
    if kind not in KINDS:
        raise ValueError(kind)
    now = datetime.now(timezone.utc)
    folder = history_dir()
    folder.mkdir(parents=True, exist_ok=True)
    record = {
        "kind": kind,
        "created_at": now.isoformat(timespec="seconds"),
        "host": host_name(),
        "machine": platform.machine(),
        "data": _plain(data),
        **(extra or {}),
    }
    stem = f"{now:%Y%m%dT%H%M%S_%f}-{kind}"
    path = folder / f"{stem}.json"
    write_text(path, json.dumps(record, indent=2))
    return path


def load_run(path: Path) -> SavedRun:
    record = json.loads(path.read_text(encoding="utf-8"))
    created = datetime.fromisoformat(record["created_at"])
    return SavedRun(path, record["kind"], created, record.get("host", ""), record["data"])


def list_runs(kind: str | None = None, all_hosts: bool = False) -> list[SavedRun]:
    """Earlier runs, newest first; unreadable files are skipped (a crash mid-write, a hand edit)."""
    runs = []
    for path in sorted(history_dir().glob("*.json"), reverse=True):
        try:
            run = load_run(path)
        except (OSError, ValueError, KeyError, TypeError):
            continue
        if (kind is None or run.kind == kind) and (all_hosts or run.host == host_name()):
            runs.append(run)
    return runs


def delete_run(run: SavedRun) -> None:
    run.path.unlink(missing_ok=True)

"""Is a backend usable on this PC? Create it on the tiny model, run it, check the numbers.

Probes run in child processes, one per runtime: a driver that hangs is killed at the time
limit and one that crashes takes only its child down. `python -m engine.backends.probe NAME...`
is the child; it prints one JSON line per name as soon as that name is done.
"""

import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from engine.i18n import _

TOLERANCE = 1e-3


@dataclass(frozen=True)
class Usability:
    name: str
    usable: bool
    device: str
    reason: str


def runtime_of(name: str) -> str:
    return name.split("-", 1)[0]


def probe_one(name: str, folder: Path) -> Usability:
    """In this process: load `name` on the tiny model, run two images, compare with numpy."""
    from engine.backends.registry import make_backend
    from engine.backends.timebox import describe
    from engine.backends.tiny_models import expected, sample_batch, write_tiny_card

    try:
        backend = make_backend(name, write_tiny_card(folder), "fp32", threads=1, extractors=1)
        batch = sample_batch()
        diff = float(np.abs(backend.run(batch) - expected(batch)).max())
    except Exception as error:  # noqa: BLE001 - any failure means "not usable", with why
        return Usability(name, False, "", describe(error))
    if not diff <= TOLERANCE:
        reason = _("wrong results on a test model (max difference {diff:.3g})").format(diff=diff)
        return Usability(name, False, backend.info.device, reason)
    return Usability(name, True, backend.info.device, "")


def _child(names: list[str]) -> None:
    with tempfile.TemporaryDirectory(prefix="ocelote-probe-") as folder:
        for name in names:
            print(json.dumps(asdict(probe_one(name, Path(folder)))), flush=True)


def _run_group(names: list[str], timeout: float) -> list[Usability]:
    """One child for these names; what it did not report before dying or timing out is unusable."""
    command = [sys.executable, "-m", "engine.backends.probe", *names]
    root = str(Path(__file__).resolve().parents[2])  # the child finds this engine, installed or not
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [root, os.environ.get("PYTHONPATH")])),
    }
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, env=env)
        out, failure = done.stdout, (
            _("the check crashed (exit code {code})").format(code=done.returncode)
            if done.returncode else _("the check ended without an answer")
        )  # fmt: skip
    except subprocess.TimeoutExpired as expired:
        raw = expired.stdout or b""
        out = raw.decode(errors="replace") if isinstance(raw, bytes) else raw
        failure = _("no answer within {seconds:.0f} s (the driver may be hung)").format(
            seconds=timeout
        )
    found = {}
    for line in out.splitlines():
        if line.startswith("{"):
            item = Usability(**json.loads(line))
            found[item.name] = item
    return [found.get(name) or Usability(name, False, "", failure) for name in names]


def probe_all(
    names: list[str], is_available: Callable[[str], bool], timeout: float
) -> list[Usability]:
    """Every name, in order: cheap absence first, then one child per runtime, in parallel."""
    results = {
        name: Usability(name, False, "", _("not installed, or no device found"))
        for name in names
        if not is_available(name)
    }
    groups: dict[str, list[str]] = {}
    for name in names:
        if name not in results:
            groups.setdefault(runtime_of(name), []).append(name)
    with ThreadPoolExecutor(max(1, len(groups))) as pool:
        for group in pool.map(lambda g: _run_group(g, timeout), groups.values()):
            results.update({item.name: item for item in group})
    return [results[name] for name in names]


if __name__ == "__main__":
    _child(sys.argv[1:])

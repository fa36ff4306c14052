"""What start-up shows: the device found and the plan the engine chose for it, with reasons.

Detection probes drivers (a second or two, or a crash in a broken one): it runs on a worker
thread through jobs.run_task, and any failure simply shows the CPU, which always works.
"""

from __future__ import annotations

import logging
import platform
from dataclasses import dataclass

from engine.i18n import _

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class StartupPlan:
    device: str
    variant: str
    backend: str
    reason: str


def cpu_text() -> str:
    name = platform.processor() or platform.machine()
    return f"CPU ({name})" if name else "CPU"


def probe(variant: str = "auto", threads: int = 0, model_id: str | None = None) -> StartupPlan:
    """The engine's plan for this PC (same rules the job will apply), texts in the language now."""
    try:
        from engine.models.select import Preferences
        from engine.pipeline.plan import live_profile, make_plan

        profile = live_profile()
        prefs = Preferences(variant=variant, threads=threads or None)
        plan = make_plan(model_id, prefs, profile)
    except Exception:  # noqa: BLE001 - a broken driver must not stop the window from opening
        log.exception("device detection or planning failed")
        return StartupPlan(cpu_text(), variant.upper(), "onnxruntime-cpu", "")
    choice = plan.choice
    device = choice.device
    cpu = getattr(profile.cpu, "model", "")
    if cpu and cpu not in device:
        device = f"{device} — {cpu}"
    return StartupPlan(device, choice.variant.id.upper(), choice.backend, choice.reason)


def plain_plan(device: str, backend: str) -> str:
    """The plan in a ranger's words: which part of the PC does the work (details on request)."""
    if backend.endswith("-cpu") or not backend:
        return _("Ready: this PC's processor will classify the photos.")
    return _("Ready: the graphics card ({device}) will classify the photos.").format(device=device)

"""The plan of a job: which model, variant, backend and batch size run it, and why."""

import logging
import os
import platform
from collections.abc import Callable
from dataclasses import asdict, dataclass
from functools import cache
from typing import TYPE_CHECKING

import numpy as np
import onnxruntime

import engine
from engine.backends.base import Backend, BackendInfo
from engine.backends.registry import make_fallback
from engine.hardware.device import DeviceProfile
from engine.hardware.profile import detect
from engine.i18n import _
from engine.models.card import ModelCard, Variant
from engine.models.probe import best_measured
from engine.models.select import Choice, Preferences, choose
from engine.models.store import DEFAULT_MODEL_ID, find_card, verify
from engine.results.rows import RunInfo

_log = logging.getLogger(__name__)

if TYPE_CHECKING:
    from engine.pipeline.job import JobSettings


@cache
def live_profile() -> DeviceProfile:
    """This PC's devices, detected once per process (the OpenCL probe takes a second or two)."""
    return detect()


@dataclass(frozen=True)
class Plan:
    card: ModelCard
    choice: Choice
    threads: int

    @property
    def variant(self) -> Variant:
        return self.choice.variant

    @property
    def reason(self) -> str:
        return self.choice.reason

    def explain(self) -> str:
        """The plan in a few lines a technician can read (and paste into a support request)."""
        lines = [
            _("Model: {model}").format(model=self.card.name),
            _("Device: {device}").format(device=self.choice.device),
            _("Variant: {variant} on {backend}, batch {batch}, {threads} CPU threads").format(
                variant=self.variant.id.upper(), backend=self.choice.backend,
                batch=self.choice.batch_size, threads=self.threads,
            ),
        ]  # fmt: skip
        lines += [f"  - {reason}" for reason in self.choice.reasons]
        if self.choice.fallbacks:
            routes = ", ".join(f"{b} {v.upper()}" for b, v in self.choice.fallbacks)
            lines.append(_("If it fails: {routes}").format(routes=routes))
        return "\n".join(lines)

    def run_info(self, settings: "JobSettings", backend: BackendInfo) -> RunInfo:
        return RunInfo(
            source=str(settings.source.resolve()),
            model_id=self.card.id,
            variant=self.variant.id,
            model_sha256=self.variant.sha256,
            backend=f"{backend.name} ({backend.device}, {backend.precision})",
            versions={
                "ocelote": engine.__version__,
                "onnxruntime": onnxruntime.__version__,
                "numpy": np.__version__,
                "python": platform.python_version(),
            },
            settings={key: str(value) for key, value in asdict(settings).items()},
        )


def make_plan(
    model_id: str | None, prefs: Preferences, profile: DeviceProfile | None = None
) -> Plan:
    card = find_card(model_id or DEFAULT_MODEL_ID)
    profile = profile or live_profile()
    measured = best_measured(card, profile) if profile.origin == "live" else None
    choice = choose(card, profile, prefs, measured)
    verify(choice.variant, card)
    return Plan(card, choice, prefs.threads or os.cpu_count() or 1)


def _log_drop(name: str, reason: str) -> None:
    _log.info("backend %s set aside for this session: %s", name, reason)


def load_backend(plan: Plan, on_drop: Callable[[str, str], None] | None = None) -> Backend:
    """The plan's backend, with its fallbacks: a failing or disagreeing one hands over,
    and `on_drop(backend, reason)` tells the user (the log always keeps it)."""

    def dropped(name: str, reason: str) -> None:
        _log_drop(name, reason)
        if on_drop is not None:
            on_drop(name, reason)

    routes = [(plan.choice.backend, plan.variant.id), *plan.choice.fallbacks]
    return make_fallback(plan.card, routes, plan.threads, on_drop=dropped)

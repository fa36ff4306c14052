"""The plan of a job: which model, variant and backend run it, and why."""

import os
import platform
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING

import numpy as np
import onnxruntime

import engine
from engine.backends.base import Backend, BackendInfo
from engine.backends.onnxruntime_cpu import OnnxRuntimeCpu
from engine.models.card import ModelCard, Variant
from engine.models.select import choose_variant
from engine.models.store import DEFAULT_MODEL_ID, find_card, verify
from engine.results.db import RunInfo

if TYPE_CHECKING:
    from engine.pipeline.job import JobSettings


@dataclass(frozen=True)
class Plan:
    card: ModelCard
    variant: Variant
    reason: str
    threads: int

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


def make_plan(settings: "JobSettings") -> Plan:
    card = find_card(settings.model_id or DEFAULT_MODEL_ID)
    variant, reason = choose_variant(card, settings.variant)
    verify(variant)
    return Plan(card, variant, reason, settings.threads or os.cpu_count() or 1)


def load_backend(plan: Plan) -> Backend:
    return OnnxRuntimeCpu(plan.card, plan.variant, plan.threads)

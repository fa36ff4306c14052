"""onnxruntime on the CPU: the path that works on every station PC, and the reference.

Kept as its own name because the pipeline and benchmarks import it; the session options
(including `session.x64quantprecision`, and why) live in `onnxruntime_ep.session_options`.
"""

from engine.backends.onnxruntime_ep import OnnxRuntimeBackend, default_threads
from engine.models.card import ModelCard, Variant

__all__ = ["OnnxRuntimeCpu", "default_threads"]


class OnnxRuntimeCpu(OnnxRuntimeBackend):
    """The CPU execution provider only: exact, always present."""

    def __init__(self, card: ModelCard, variant: Variant, threads: int | None = None) -> None:
        super().__init__("onnxruntime-cpu", card, variant, threads)

"""onnxruntime with any execution provider: CPU everywhere, DirectML on Windows, CUDA, ROCm,
MIGraphX and OpenVINO where their onnxruntime build is installed.

onnxruntime quietly falls back to the CPU when a GPU provider fails to start; a backend that
says "CUDA" while running on the CPU would mislead the selector, so that case is an error here.
"""

import functools
import os

import numpy as np

from engine.backends.base import BackendInfo, BackendUnavailable
from engine.i18n import _
from engine.models.card import ModelCard, Variant

CPU_PROVIDER = "CPUExecutionProvider"
PROVIDERS = {
    "onnxruntime-cpu": CPU_PROVIDER,
    "onnxruntime-directml": "DmlExecutionProvider",
    "onnxruntime-cuda": "CUDAExecutionProvider",
    "onnxruntime-rocm": "ROCMExecutionProvider",
    "onnxruntime-migraphx": "MIGraphXExecutionProvider",
    "onnxruntime-openvino": "OpenVINOExecutionProvider",
}
DEVICES = {
    "onnxruntime-cpu": "CPU",
    "onnxruntime-directml": "DirectML GPU",
    "onnxruntime-cuda": "CUDA GPU",
    "onnxruntime-rocm": "ROCm GPU",
    "onnxruntime-migraphx": "MIGraphX GPU",
    "onnxruntime-openvino": "OpenVINO device",
}


def default_threads() -> int:
    return max(1, os.cpu_count() or 1)


def available_providers() -> list[str]:
    """Providers compiled into the installed onnxruntime (cheap: no device is touched)."""
    try:
        import onnxruntime as ort
    except ImportError:
        return []
    return list(ort.get_available_providers())


def is_available(name: str) -> bool:
    return PROVIDERS.get(name) in available_providers()


@functools.cache
def has_vnni() -> bool:
    from engine.hardware.cpu import read_cpu

    return bool({"avx512_vnni", "avx_vnni"} & set(read_cpu().flags))


def session_options(name: str, threads: int | None):
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.log_severity_level = 3
    options.intra_op_num_threads = threads or default_threads()
    options.inter_op_num_threads = 1
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    # On x64 CPUs without VNNI, the fast u8s8 kernels saturate 16-bit sums: INT8 top-1
    # agreement with FP32 falls from 0.88 to 0.52 on trap photos. The exact kernel fixes it;
    # VNNI sums in 32 bits, and there the exact kernel only costs time (YOLOv5s INT8: 142 ms
    # with it, 80 ms without, FP32 146 ms, on an AVX512-VNNI EPYC).
    if not has_vnni():
        options.add_session_config_entry("session.x64quantprecision", "1")
    # Idle worker threads would spin, taking the cores the photo decoders run on in between
    # batches; sleeping instead keeps the pipeline near its bound.
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    if name == "onnxruntime-directml":
        # DirectML's documented requirements: no memory patterns, sequential execution.
        options.enable_mem_pattern = False
        options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    return options


class OnnxRuntimeBackend:
    """One InferenceSession per job, threads set explicitly so decode and inference share cores."""

    def __init__(
        self, name: str, card: ModelCard, variant: Variant, threads: int | None = None
    ) -> None:
        if variant.format != "onnx":
            raise BackendUnavailable(name, _("onnxruntime reads ONNX files only"))
        import onnxruntime as ort

        provider = PROVIDERS[name]
        if provider not in ort.get_available_providers():
            raise BackendUnavailable(
                name, _("this onnxruntime build has no {provider}").format(provider=provider)
            )
        providers = [provider] if provider == CPU_PROVIDER else [provider, CPU_PROVIDER]
        self._session = ort.InferenceSession(
            str(variant.file), sess_options=session_options(name, threads), providers=providers
        )
        if self._session.get_providers()[0] != provider:
            raise BackendUnavailable(
                name,
                _("{provider} did not start; onnxruntime would silently use the CPU").format(
                    provider=provider
                ),
            )
        self._input = card.input_name
        self._output = card.output_name
        self.info = BackendInfo(name=name, device=DEVICES[name], precision=variant.precision)
        batch_dim = self._session.get_inputs()[0].shape[0]
        # Some exports fix the batch (often at 1): such a model is fed in slices of that size.
        self._fixed_batch = batch_dim if isinstance(batch_dim, int) and batch_dim > 0 else None

    def run(self, batch: np.ndarray) -> np.ndarray:
        size = self._fixed_batch
        if size is None or len(batch) == size:
            (logits,) = self._session.run([self._output], {self._input: batch})
            return logits
        parts = []
        for start in range(0, len(batch), size):
            part = batch[start : start + size]
            missing = size - len(part)  # the last slice, padded with copies of its last row
            padded = (
                np.concatenate([part, np.repeat(part[-1:], missing, axis=0)]) if missing else part
            )
            (logits,) = self._session.run([self._output], {self._input: padded})
            parts.append(logits[: size - missing])
        return np.concatenate(parts)

"""A detector on onnxruntime: the reference every other runtime is checked against.

Its own session (a detector has one or two outputs, and inputs whose size follows the photo's
shape), with the same session options as the classifier's backend; a GPU provider that fails to
start leaves the CPU running it.
"""

import numpy as np

from engine.backends.onnxruntime_ep import CPU_PROVIDER, PROVIDERS, session_options
from engine.models.card import Variant

# A 1280 px detector's activations are large: on the shared photos with the 1280 px stand-in,
# CPU batches of 16 peaked at 2.7 GB and ran 1.8 img/s, batches of 2 at 1.1 GB and 6.8 img/s.
CPU_BATCH = 2


class OnnxDetector:
    def __init__(self, variant: Variant, backend: str, threads: int | None) -> None:
        import onnxruntime as ort

        provider = PROVIDERS.get(backend, CPU_PROVIDER)
        if provider not in ort.get_available_providers():
            provider = CPU_PROVIDER
        try:
            self._session = self._open(variant, backend, provider, threads)
        except Exception:  # noqa: BLE001 - a GPU provider that fails to start: the CPU runs it
            if provider == CPU_PROVIDER:
                raise
            self._session = self._open(variant, "onnxruntime-cpu", CPU_PROVIDER, threads)
        self.provider = self._session.get_providers()[0]
        batch_dim = self._session.get_inputs()[0].shape[0]
        fixed = batch_dim if isinstance(batch_dim, int) and batch_dim > 0 else None
        self.max_batch = fixed or (CPU_BATCH if self.provider == CPU_PROVIDER else None)
        self._input = self._session.get_inputs()[0].name

    @staticmethod
    def _open(variant: Variant, backend: str, provider: str, threads: int | None):
        import onnxruntime as ort

        providers = [provider] if provider == CPU_PROVIDER else [provider, CPU_PROVIDER]
        return ort.InferenceSession(
            str(variant.file), sess_options=session_options(backend, threads), providers=providers
        )

    def outputs(self, batch: np.ndarray, names: tuple[str, ...]) -> list[np.ndarray]:
        """The outputs `names` for a float32 batch, in chunks the session takes."""
        step = self.max_batch or len(batch)
        chunks = [
            self._session.run(list(names), {self._input: batch[i : i + step]})
            for i in range(0, len(batch), step)
        ]
        return [np.concatenate([chunk[k] for chunk in chunks]) for k in range(len(names))]

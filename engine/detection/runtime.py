"""The detector's runtime for a job: letterboxed photos in, boxes on the photos out.

It chooses where the detector runs: onnxruntime (CPU, CUDA, DirectML...) or ncnn (Vulkan,
the path to AMD cards without ROCm, or its CPU build). ncnn never gives an answer unchecked:
its boxes on the first batch are compared with onnxruntime CPU's on the same photos
(engine.detection.agreement, at the card's typical threshold); a disagreement, or any failure
to convert, load or run, sends the job back to onnxruntime with a message in the user's words,
and the batch's boxes are onnxruntime's. Photos of one input shape run together; each keeps
its letterbox to map its boxes back.
"""

import logging
from collections import defaultdict
from collections.abc import Callable
from dataclasses import replace

import numpy as np

from engine.backends.base import BackendUnavailable
from engine.backends.timebox import call_with_timeout, describe
from engine.detection.agreement import compare
from engine.detection.boxes import RawBox, as_detection, boxes_from
from engine.detection.letterbox import Letterbox, to_input
from engine.detection.ncnn_convert import ConversionError
from engine.detection.onnx_session import CPU_BATCH, OnnxDetector
from engine.detection.spec import DetectorSpec
from engine.i18n import _, fmt_number
from engine.models.card import ModelCard, Variant

__all__ = ["CPU_BATCH", "NCNN_BACKENDS", "DetectorRuntime", "RawBox", "as_detection", "boxes_from"]

log = logging.getLogger(__name__)
NCNN_BACKENDS = ("ncnn-vulkan", "ncnn-cpu")
REFERENCE = "onnxruntime-cpu"
LOAD_TIMEOUT_S = 600.0  # a first conversion with pnnx, then the Vulkan pipelines
FIRST_BATCH_TIMEOUT_S = 600.0  # llvmpipe (software Vulkan) runs a 1280 px photo in tens of s
DropCallback = Callable[[str, str], None]

_dropped: dict[tuple[str, str], str] = {}  # (backend, model id) -> reason, for this process


def forget_dropped() -> None:
    """Give ncnn another chance (tests; a new driver)."""
    _dropped.clear()


class DetectorRuntime:
    """One per job; `detect` takes letterboxed inputs (uint8 pixels or float32) of any mix of
    shapes. `backend` is an onnxruntime name or ncnn-vulkan / ncnn-cpu; `on_drop(backend,
    reason)` hears when ncnn is set aside."""

    def __init__(
        self, card: ModelCard, variant: Variant, backend: str = REFERENCE,
        threads: int | None = None, on_drop: DropCallback | None = None,
        workers: int | None = None, precision: str = "fp32",
    ) -> None:  # fmt: skip
        self.spec = DetectorSpec.from_card(card)
        self.variant = variant
        self._precision = precision  # ncnn's arithmetic; FP16 only on cards with fast FP16
        self._card, self._variant, self._threads = card, variant, threads
        self._on_drop = on_drop
        self._ncnn = None
        self._checked = False
        self._reference: OnnxDetector | None = None
        self._main: OnnxDetector | None = None
        if backend in NCNN_BACKENDS:
            self._start_ncnn(backend, workers)
        else:
            self._main = OnnxDetector(variant, backend, threads)
        if self._ncnn is None and self._main is None:
            self._main = self._onnx()

    def _start_ncnn(self, backend: str, workers: int | None) -> None:
        from engine.detection.ncnn_files import ncnn_model_for
        from engine.detection.ncnn_runtime import NcnnDetector

        earlier = _dropped.get((backend, self._card.id))
        if earlier:
            self._drop(backend, earlier)
            return

        def load() -> NcnnDetector:
            model = ncnn_model_for(self._card, self._variant)
            vulkan = backend == "ncnn-vulkan"
            precision = self._precision if vulkan else "fp32"
            return NcnnDetector(model, vulkan=vulkan, workers=workers, precision=precision)

        try:
            what = _("starting {name}").format(name=backend)
            self._ncnn = call_with_timeout(backend, what, load, LOAD_TIMEOUT_S)
        except BackendUnavailable as error:
            cause = error.__cause__
            reason = str(cause) if isinstance(cause, ConversionError) else error.reason
            self._drop(backend, reason)
            return
        # a fixed square input: photos are padded to size x size (the fixed-shape letterbox)
        self.spec = replace(self.spec, fixed_shape=True, size=self._ncnn.model.size)

    @property
    def precision(self) -> str:
        """The arithmetic in use now (FP16 only on ncnn-vulkan when asked)."""
        return self._ncnn.info.precision if self._ncnn is not None else "fp32"

    @property
    def backend(self) -> str:
        """The runtime in use now: ncnn-vulkan, ncnn-cpu or onnxruntime-*."""
        if self._ncnn is not None:
            return self._ncnn.info.name
        return _onnx_name(self._main.provider) if self._main else REFERENCE

    @property
    def provider(self) -> str:
        """onnxruntime's provider in use, or the ncnn backend's name."""
        if self._ncnn is not None:
            return self._ncnn.info.name
        return self._main.provider if self._main else "CPUExecutionProvider"

    @property
    def max_batch(self) -> int | None:
        if self._ncnn is not None:
            return self._ncnn.workers
        return self._main.max_batch if self._main else CPU_BATCH

    def _onnx(self) -> OnnxDetector:
        if self._reference is None:
            self._reference = OnnxDetector(self._variant, REFERENCE, self._threads)
        return self._reference

    def _drop(self, backend: str, reason: str) -> None:
        """Set ncnn aside for this model and process, and say so."""
        _dropped[(backend, self._card.id)] = reason
        text = _("{reason}; the detector runs with onnxruntime instead.").format(reason=reason)
        log.warning("detector %s on %s set aside: %s", self._card.id, backend, reason)
        if self._on_drop:
            self._on_drop(backend, text)
        if self._ncnn is not None:
            self._ncnn.close()
        self._ncnn = None
        if self._main is None:
            self._main = self._onnx()

    def _ncnn_boxes(self, batch: np.ndarray, placements: list[Letterbox]) -> list[list[RawBox]]:
        """ncnn's boxes; on the first batch only after they agree with onnxruntime CPU's."""
        ncnn = self._ncnn
        assert ncnn is not None
        name = ncnn.info.name

        def run() -> list[list[RawBox]]:
            return boxes_from(ncnn.outputs(batch, self.spec.outputs), self.spec, placements)

        if self._checked:
            return run()
        what = _("the first batch on {name}").format(name=name)
        found = call_with_timeout(name, what, run, FIRST_BATCH_TIMEOUT_S)
        reference = self._onnx_boxes(self._onnx(), batch, placements)
        agreement = compare(reference, found, self.spec.typical)
        if not agreement.good_enough():
            text = _(
                "its boxes on the first photos differ from onnxruntime's (same boxes for "
                "{boxes} % of detections, same empty or not call for {calls} % of photos)"
            )
            raise BackendUnavailable(name, text.format(
                boxes=fmt_number(100 * agreement.detection_rate),
                calls=fmt_number(100 * agreement.call_rate),
            ))  # fmt: skip
        log.info("%s agrees with onnxruntime on %d photos (%d detections)", name,
                 agreement.photos, agreement.detections)  # fmt: skip
        self._checked = True
        if self._main is None:
            self._reference = None  # free the reference session's memory
        return found

    def _onnx_boxes(
        self, runtime: OnnxDetector, batch: np.ndarray, placements: list[Letterbox]
    ) -> list[list[RawBox]]:
        return boxes_from(runtime.outputs(batch, self.spec.outputs), self.spec, placements)

    def _boxes(self, batch: np.ndarray, placements: list[Letterbox]) -> list[list[RawBox]]:
        if self._ncnn is not None:
            name = self._ncnn.info.name
            try:
                return self._ncnn_boxes(batch, placements)
            except BackendUnavailable as error:
                self._drop(name, error.reason)
            except Exception as error:  # noqa: BLE001 - a runtime may raise anything
                self._drop(name, _("failed on a batch: {error}").format(error=describe(error)))
        assert self._main is not None
        return self._onnx_boxes(self._main, batch, placements)

    def detect(self, tensors: list[np.ndarray], placements: list[Letterbox]) -> list[list[RawBox]]:
        """Boxes per image, in the order given."""
        by_shape: dict[tuple[int, ...], list[int]] = defaultdict(list)
        for index, tensor in enumerate(tensors):
            by_shape[tensor.shape].append(index)
        found: list[list[RawBox]] = [[] for _ in tensors]
        for indices in by_shape.values():
            batch = np.stack([tensors[i] for i in indices])
            if batch.dtype == np.uint8:
                batch = to_input(batch, self.spec)
            boxes = self._boxes(batch, [placements[i] for i in indices])
            for index, photo_boxes in zip(indices, boxes, strict=True):
                found[index] = photo_boxes
        return found

    def close(self) -> None:
        if self._ncnn is not None:
            self._ncnn.close()


def _onnx_name(provider: str) -> str:
    from engine.backends.onnxruntime_ep import PROVIDERS

    return next((name for name, value in PROVIDERS.items() if value == provider), provider)

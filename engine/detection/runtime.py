"""The detector's ONNX session: letterboxed photos in, boxes on the photos out.

Its own onnxruntime session (a detector has one or two outputs, and inputs whose size follows
the photo's shape), with the same session options as the classifier's backend. Photos of one
input shape run together; each keeps its letterbox to map its boxes back.
"""

from collections import defaultdict
from dataclasses import dataclass

import numpy as np

from engine.backends.onnxruntime_ep import CPU_PROVIDER, PROVIDERS, session_options
from engine.detection.decoders import decode
from engine.detection.letterbox import Letterbox, to_input, to_normalised
from engine.detection.nms import class_wise_nms
from engine.detection.spec import DetectorSpec
from engine.models.card import ModelCard, Variant
from engine.results.records import Detection


@dataclass(frozen=True)
class RawBox:
    """One detection on a photo before it is classified (normalised x, y, w, h)."""

    category: str
    conf: float
    box: tuple[float, float, float, float]


def boxes_from(
    outputs: list[np.ndarray], spec: DetectorSpec, placements: list[Letterbox]
) -> list[list[RawBox]]:
    """Decoded, suppressed and mapped boxes for each image of one batch (one input shape)."""
    shape = (placements[0].input_height, placements[0].input_width)
    found = []
    for candidates, placement in zip(decode(outputs, spec, shape), placements, strict=True):
        kept = class_wise_nms(candidates, spec.nms_iou, spec.floor)
        boxes = to_normalised(kept.xyxy, placement)
        found.append(
            [
                RawBox(spec.categories[int(cls)], round(float(score), 6), _rounded(box))
                for box, score, cls in zip(boxes, kept.scores, kept.classes, strict=True)
                if 0 <= int(cls) < len(spec.categories) and box[2] > 0 and box[3] > 0
            ]
        )
    return found


def _rounded(box: np.ndarray) -> tuple[float, float, float, float]:
    x, y, w, h = (round(float(value), 6) for value in box)
    return x, y, w, h


def as_detection(raw: RawBox, model_id: str, frame_number: int | None = None) -> Detection:
    return Detection("detector", model_id, raw.category, raw.conf, raw.box, frame_number)


# A 1280 px detector's activations are large: on the shared photos with the 1280 px stand-in,
# CPU batches of 16 peaked at 2.7 GB and ran 1.8 img/s, batches of 2 at 1.1 GB and 6.8 img/s.
CPU_BATCH = 2


class DetectorRuntime:
    """One session per job; `detect` takes letterboxed inputs (uint8 pixels or float32) of
    any mix of shapes."""

    def __init__(
        self, card: ModelCard, variant: Variant, backend: str = "onnxruntime-cpu",
        threads: int | None = None,
    ) -> None:  # fmt: skip
        import onnxruntime as ort

        self.spec = DetectorSpec.from_card(card)
        self.variant = variant
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
        self._max_batch = fixed or (CPU_BATCH if self.provider == CPU_PROVIDER else None)

    @staticmethod
    def _open(variant: Variant, backend: str, provider: str, threads: int | None):
        import onnxruntime as ort

        providers = [provider] if provider == CPU_PROVIDER else [provider, CPU_PROVIDER]
        return ort.InferenceSession(
            str(variant.file), sess_options=session_options(backend, threads), providers=providers
        )

    @property
    def batch(self) -> int:
        """Photos per session run (0: all of one shape at once)."""
        return self._max_batch or 0

    def detect(self, tensors: list[np.ndarray], placements: list[Letterbox]) -> list[list[RawBox]]:
        """Boxes per image, in the order given."""
        by_shape: dict[tuple[int, ...], list[int]] = defaultdict(list)
        for index, tensor in enumerate(tensors):
            by_shape[tensor.shape].append(index)
        found: list[list[RawBox]] = [[] for _ in tensors]
        step = self._max_batch or len(tensors)
        groups = [ids[i : i + step] for ids in by_shape.values() for i in range(0, len(ids), step)]
        for indices in groups:
            batch = np.stack([tensors[i] for i in indices])
            if batch.dtype == np.uint8:
                batch = to_input(batch, self.spec)
            outputs = self._session.run(list(self.spec.outputs), {self.spec.input_name: batch})
            for index, boxes in zip(
                indices, boxes_from(outputs, self.spec, [placements[i] for i in indices]),
                strict=True,
            ):  # fmt: skip
                found[index] = boxes
        return found

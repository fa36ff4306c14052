"""Detect, then classify: the model stages a job runs when a detector is chosen.

The job (engine/pipeline/job.py) stays the conductor: it discovers, decodes ahead, batches,
stores and reports; this stage says how a file is decoded for its models and what one batch
of photos and video frames becomes. Per photo or sampled frame:
1. the detector's letterboxed input from the whole upright frame (reduced JPEG decoding to
   the size the models need), every box at or above the card's floor kept;
2. each animal box above the classification gate cropped as the classifier's card says and
   classified (top-5, country filter); people and vehicles keep the detector's word;
3. the whole frame classified too, so every file keeps a frame-level top-5 like the bundled
   path (what counts, galleries and exports fall back on without boxes).
"""

import json
from dataclasses import dataclass, replace
from pathlib import Path

import cv2
import numpy as np
from PIL import Image

from engine.backends.base import Backend
from engine.detection.classify_crops import CropClassifier
from engine.detection.int8 import detector_variant
from engine.detection.letterbox import Letterbox, letterbox_pixels
from engine.detection.measured import latest_measurements
from engine.detection.plan import DetectorPlan, fitted_route, from_card, plan_for
from engine.detection.runtime import DetectorRuntime, DropCallback, RawBox, as_detection
from engine.detection.spec import DetectorSpec
from engine.hardware.cpu import read_cpu
from engine.hardware.device import DeviceProfile
from engine.media.decode import DecodedImage, decode_upright
from engine.media.preprocess import to_tensor
from engine.media.video import DecodedVideo, VideoSampling, decode_video
from engine.models.card import ModelCard
from engine.models.store import verify
from engine.pipeline.scoring import top_predictions
from engine.results.records import Detection, Prediction
from engine.results.rows import RunInfo

CROP_SOURCE_SIDE = 1280  # decode at least this large so crops of small animals keep detail


@dataclass(frozen=True)
class DetectorPhoto(DecodedImage):
    """A photo decoded for both stages: `tensor` is the detector's letterboxed uint8 input."""

    rgb: np.ndarray | None = None
    placement: Letterbox | None = None


@dataclass(frozen=True)
class StageResult:
    """What the stages found on one photo or frame."""

    predictions: tuple[Prediction, ...]  # the whole frame's top-5
    detections: tuple[Detection, ...]


def decode_for_detector(path: Path, spec: DetectorSpec, side: int) -> DetectorPhoto:
    """A photo decoded (JPEG draft, then its long side brought down to `side`) and
    letterboxed as uint8 pixels: what waits in the decode-ahead window stays small."""
    photo = decode_upright(path, side)
    rgb = fit_long_side(photo.rgb, side)
    pixels, placement = letterbox_pixels(rgb, spec)
    return DetectorPhoto(pixels, photo.width, photo.height, photo.exif, rgb, placement)


def fit_long_side(rgb: np.ndarray, side: int) -> np.ndarray:
    """RGB with its long side at most `side` (INTER_AREA: the shrink that keeps detail)."""
    height, width = rgb.shape[:2]
    scale = side / max(height, width)
    if scale >= 1:
        return rgb
    size = (max(1, round(width * scale)), max(1, round(height * scale)))
    return cv2.resize(rgb, size, interpolation=cv2.INTER_AREA)


class DetectAndClassify:
    def __init__(
        self, detector: ModelCard, runtime: DetectorRuntime, classifier: ModelCard,
        backend: Backend, country: str | None = None,
    ) -> None:  # fmt: skip
        self.detector = detector
        self.runtime = runtime
        self.spec = runtime.spec
        self.classifier = classifier
        self.backend = backend
        self.crops = CropClassifier(classifier, backend, self.spec.gate, country)
        self.decode_side = max(self.spec.size, CROP_SOURCE_SIDE)
        self.plan: DetectorPlan | None = None  # the plan that placed it, for the estimate

    def estimate_seconds(self, files: int) -> float | None:
        """The plan's time for `files` before any is done (None without a plan)."""
        return self.plan.seconds_for(files) if self.plan and files else None

    @property
    def name(self) -> str:
        return f"{self.detector.name} + {self.classifier.name}"

    def annotate(self, run: RunInfo) -> RunInfo:
        """The run's record with the detector that drew its boxes (exports read it back)."""
        variant = self.runtime.variant
        settings = {
            **run.settings, "detector_id": self.detector.id, "detector_variant": variant.id,
            "detector_sha256": variant.sha256, "classification_gate": str(self.spec.gate),
        }  # fmt: skip
        return replace(run, settings=settings)

    def decode_photo(self, path: Path) -> DetectorPhoto:
        return decode_for_detector(path, self.spec, self.decode_side)

    def decode_clip(self, path: Path, sampling: VideoSampling, cancelled) -> DecodedVideo:  # noqa: ANN001
        return decode_video(
            path, self.classifier.preprocessing, sampling, cancelled, self._frame_pixels
        )

    def _frame_pixels(self, bgr: np.ndarray) -> np.ndarray:
        """A sampled frame as upright RGB with its long side at most the decode size."""
        return cv2.cvtColor(fit_long_side(bgr, self.decode_side), cv2.COLOR_BGR2RGB)

    def run(self, pictures: list[tuple[np.ndarray, np.ndarray | None, Letterbox | None]],
            frames: list[int | None]) -> list[StageResult]:  # fmt: skip
        """Both stages on (rgb, letterboxed tensor or None, placement or None) per picture;
        `frames` gives each picture's video frame number (None for a photo)."""
        inputs = [
            (tensor, placement) if tensor is not None else letterbox_pixels(rgb, self.spec)
            for rgb, tensor, placement in pictures
        ]
        boxes = self.runtime.detect([t for t, _p in inputs], [p for _t, p in inputs])
        crop_inputs = [self.crops.tensors(rgb, found) for (rgb, _t, _p), found in zip(
            pictures, boxes, strict=True)]  # fmt: skip
        flat = [tensor for tensors in crop_inputs for tensor in tensors]
        whole = [to_tensor(Image.fromarray(rgb), self.classifier.preprocessing)
                 for rgb, _t, _p in pictures]  # fmt: skip
        labelled = self.crops.classify(flat)
        whole_top = top_predictions(np.asarray(self.backend.run(np.stack(whole))), self.classifier)
        results, used = [], 0
        for found, number, predictions in zip(boxes, frames, whole_top, strict=True):
            detections = []
            for box in found:
                classified: tuple[Prediction, ...] = ()
                if self.crops.wants(box):
                    classified, used = labelled[used], used + 1
                detections.append(self._detection(box, number, classified))
            results.append(StageResult(predictions, tuple(detections)))
        return results

    def _detection(
        self, box: RawBox, frame: int | None, classified: tuple[Prediction, ...]
    ) -> Detection:
        return replace(as_detection(box, self.detector.id, frame), classifications=classified)


def same_models(run: dict | None, classifier_id: str, stage: DetectAndClassify | None) -> bool:
    """Whether a results folder's latest run used these models: only then are its files
    skipped on resume. Files labelled by another classifier, or stored without boxes when a
    detector runs now (or with another detector's), would mix answers that exports read as one.
    """
    if run is None:
        return True
    settings = json.loads(str(run.get("settings") or "{}"))
    detector_id = stage.detector.id if stage is not None else None
    return run.get("model_id") == classifier_id and settings.get("detector_id") == detector_id


def detection_stage(
    detector: ModelCard | None, classifier: ModelCard, backend: Backend, backend_name: str,
    threads: int | None, country: str | None, on_drop: DropCallback | None = None,
    profile: DeviceProfile | None = None,
) -> DetectAndClassify | None:  # fmt: skip
    """The stages for a job, or None for the bundled whole-frame path (no detector). With the
    PC's `profile` the detector runs where its plan routes it (ncnn on Vulkan for an AMD card
    without ROCm), else on the classifier's backend."""
    if detector is None:
        return None
    workers = None
    chosen = None
    cpu_model = read_cpu().model
    if profile is not None:
        candidate = from_card(detector)
        route = fitted_route(candidate, profile, latest_measurements())
        chosen = plan_for(candidate, route, cpu_model)
        backend_name = chosen.route.backend
        workers = chosen.batch if chosen.route.on_gpu else None
    variant = detector_variant(detector, backend_name, cpu_model)  # INT8 where offered here
    verify(variant)
    precision = chosen.precision if chosen and chosen.precision == "fp16" else "fp32"
    runtime = DetectorRuntime(
        detector, variant, backend_name, threads, on_drop, workers, precision
    )  # fmt: skip
    stage = DetectAndClassify(detector, runtime, classifier, backend, country)
    stage.plan = chosen
    return stage

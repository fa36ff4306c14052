"""Every backend by name: what it runs, whether it is usable here, and how to load it.

Names are the ones `engine/hardware` lists per device and the selector puts in a plan.
"""

from collections.abc import Callable, Sequence

from engine.backends import ncnn_vulkan, onnxruntime_ep, opencv_dnn
from engine.backends.base import Backend, BackendUnavailable, Loader
from engine.backends.fallback import Candidate, DropCallback, FallbackBackend
from engine.backends.probe import Usability, probe_all
from engine.backends.timebox import describe
from engine.i18n import _
from engine.models.card import ModelCard, Variant

NAMES = (
    "onnxruntime-cpu", "onnxruntime-directml", "onnxruntime-cuda", "onnxruntime-rocm",
    "onnxruntime-migraphx", "onnxruntime-openvino", "ncnn-vulkan", "ncnn-cpu",
    "opencv-opencl", "opencv-cpu",
)  # fmt: skip
PRECISIONS: dict[str, tuple[str, ...]] = {
    "onnxruntime-cpu": ("fp32", "fp16", "int8"),
    "onnxruntime-directml": ("fp32", "fp16"),
    "onnxruntime-cuda": ("fp32", "fp16", "int8"),
    "onnxruntime-rocm": ("fp32", "fp16", "int8"),
    "onnxruntime-migraphx": ("fp32", "fp16", "int8"),
    "onnxruntime-openvino": ("fp32", "fp16", "int8"),
    "ncnn-vulkan": ("fp32", "fp16"),  # one ncnn file; FP16 = FP16 storage + arithmetic
    "ncnn-cpu": ("fp32",),
    "opencv-opencl": ("fp32", "fp16"),  # the FP32 file on DNN_TARGET_OPENCL(_FP16)
    "opencv-cpu": ("fp32",),  # never INT8 on OpenCV DNN
}
REFERENCE = ("onnxruntime-cpu", "fp32")


def is_available(name: str) -> bool:
    """Cheap: the runtime imports and (for GPUs) reports a device; nothing is compiled."""
    if name in onnxruntime_ep.PROVIDERS:
        return onnxruntime_ep.is_available(name)
    if name.startswith("ncnn-"):
        return ncnn_vulkan.is_available(vulkan=name == "ncnn-vulkan")
    if name.startswith("opencv-"):
        return opencv_dnn.is_available(opencl=name == "opencv-opencl")
    return False


def _ncnn_variant(card: ModelCard, name: str) -> Variant:
    found = card.variants_in("ncnn")
    if not found:
        raise BackendUnavailable(name, _("the model has no ncnn files"))
    return found[0]


def make_backend(
    name: str, card: ModelCard, variant_id: str, threads: int | None = None,
    extractors: int | None = None,
) -> Backend:  # fmt: skip
    """Load `name` with precision `variant_id` (fp32/fp16/int8); BackendUnavailable if it can't."""
    if name not in PRECISIONS:
        raise BackendUnavailable(name, _("unknown backend"))
    if variant_id not in PRECISIONS[name]:
        raise BackendUnavailable(
            name, _("does not run {variant}").format(variant=variant_id.upper())
        )
    if name in onnxruntime_ep.PROVIDERS:
        return onnxruntime_ep.OnnxRuntimeBackend(name, card, card.variant(variant_id), threads)
    if name.startswith("ncnn-"):
        vulkan = name == "ncnn-vulkan"
        return ncnn_vulkan.NcnnBackend(
            card, _ncnn_variant(card, name), vulkan=vulkan, precision=variant_id,
            threads=threads, extractors=extractors,
        )  # fmt: skip
    opencl = name == "opencv-opencl"
    return opencv_dnn.OpenCvDnn(card, card.variant("fp32"), opencl=opencl, precision=variant_id)


def make_loader(
    name: str, card: ModelCard, variant_id: str, threads: int | None = None,
    extractors: int | None = None,
) -> Loader:  # fmt: skip
    """A loader for FallbackBackend: every failure comes out as BackendUnavailable."""

    def load() -> Backend:
        try:
            return make_backend(name, card, variant_id, threads, extractors)
        except BackendUnavailable:
            raise
        except Exception as error:  # noqa: BLE001 - a runtime may raise anything
            raise BackendUnavailable(name, describe(error)) from error

    return load


def reference_factory(card: ModelCard, threads: int | None = None) -> Callable[[str], Backend]:
    """onnxruntime CPU on a given variant: what every other backend is checked against."""
    return lambda variant_id: make_backend("onnxruntime-cpu", card, variant_id, threads)


def make_fallback(
    card: ModelCard, routes: Sequence[tuple[str, str]], threads: int | None = None,
    on_drop: DropCallback | None = None, extractors: int | None = None,
) -> FallbackBackend:  # fmt: skip
    """The plan's routes (backend, variant id) in order, ending on the CPU if they don't."""
    routes = list(dict.fromkeys(routes))
    if not any(name == REFERENCE[0] for name, _variant in routes):
        routes.append(REFERENCE)
    candidates = [
        Candidate(name, vid, make_loader(name, card, vid, threads, extractors))
        for name, vid in routes
    ]
    return FallbackBackend(candidates, reference_factory(card, threads), on_drop=on_drop)


def available_backends() -> list[str]:
    return [name for name in NAMES if is_available(name)]


def usable_backends(timeout: float = 60.0, names: Sequence[str] = NAMES) -> list[Usability]:
    """Each name checked for real: a session on a tiny model, run once, its numbers checked.

    Runs in child processes (one per runtime), so a driver that hangs or crashes the process
    costs a time-out and a reason, not the app.
    """
    return probe_all(list(names), is_available, timeout)

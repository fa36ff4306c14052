"""ncnn on Vulkan (any GPU from Polaris up, Windows and Linux) and on the CPU.

Why ncnn: onnxruntime has no GPU path for Polaris on Linux, while ncnn's Vulkan compute reaches
every AMD card with a Vulkan driver (RADV, AMD's own). Several extractors share one loaded net
in parallel threads: one image at a time underuses a GPU (5.4 ms latency, ~675 img/s with 8
threads on an H100). The model is pnnx's conversion of the FP32 ONNX (input `in0`, output `out0`).
"""

from concurrent.futures import ThreadPoolExecutor

import numpy as np

from engine.backends.base import BackendInfo, BackendUnavailable
from engine.i18n import _
from engine.models.card import ModelCard, Variant

INPUT = "in0"
OUTPUT = "out0"
FP16_OPTIONS = ("use_fp16_packed", "use_fp16_storage", "use_fp16_arithmetic")
DEFAULT_GPU_EXTRACTORS = 4


def gpu_count() -> int:
    """Vulkan devices ncnn sees; 0 when ncnn or the Vulkan loader is missing."""
    try:
        import ncnn
    except ImportError:
        return 0
    try:
        return int(ncnn.get_gpu_count())
    except Exception:  # noqa: BLE001 - a broken loader must read as "no device"
        return 0


def is_available(vulkan: bool) -> bool:
    if not vulkan:
        try:
            import ncnn  # noqa: F401
        except ImportError:
            return False
        return True
    return gpu_count() > 0


def gpu_name(device: int = 0) -> str:
    import ncnn

    return str(ncnn.get_gpu_info(device).device_name())


def heap_budget_mb(device: int = 0) -> int | None:
    """The Vulkan heap budget ncnn reports for the device (MB), where the driver exposes it."""
    try:
        import ncnn

        return int(ncnn.get_gpu_device(device).get_heap_budget())
    except Exception:  # noqa: BLE001 - optional figure
        return None


class NcnnBackend:
    """One ncnn.Net, many extractors; FP16 storage and arithmetic only when asked for."""

    def __init__(
        self,
        card: ModelCard,
        variant: Variant,
        *,
        vulkan: bool,
        precision: str = "fp32",
        threads: int | None = None,
        extractors: int | None = None,
        device: int = 0,
    ) -> None:
        name = "ncnn-vulkan" if vulkan else "ncnn-cpu"
        if variant.format != "ncnn":
            raise BackendUnavailable(name, _("ncnn needs the model in ncnn form (param + bin)"))
        import ncnn

        if vulkan and gpu_count() <= device:
            raise BackendUnavailable(name, _("no Vulkan device found"))
        # Parallel extractors of one thread each: ncnn's OpenMP threads spin at barriers and,
        # on 2 cores shared with decoding, one image took 398 ms with 2 threads, 38 ms with 1.
        workers = extractors or (DEFAULT_GPU_EXTRACTORS if vulkan else threads or 1)
        net = ncnn.Net()
        net.opt.use_vulkan_compute = vulkan
        net.opt.num_threads = 1 if workers > 1 else threads or 1
        for option in FP16_OPTIONS:
            setattr(net.opt, option, precision == "fp16")
        if vulkan:
            net.set_vulkan_device(device)
        if net.load_param(str(variant.file_for("param"))) != 0:
            raise BackendUnavailable(name, _("ncnn could not read the model graph"))
        if net.load_model(str(variant.file_for("bin"))) != 0:
            raise BackendUnavailable(name, _("ncnn could not read the model weights"))
        self._ncnn = ncnn
        self._net = net
        self._classes = len(card.labels)
        self._pool = ThreadPoolExecutor(workers, thread_name_prefix=name) if workers > 1 else None
        device_name = gpu_name(device) if vulkan else "CPU"
        self.info = BackendInfo(name=name, device=device_name, precision=precision)

    def _one(self, image: np.ndarray) -> np.ndarray:
        extractor = self._net.create_extractor()
        extractor.input(INPUT, self._ncnn.Mat(np.ascontiguousarray(image, dtype=np.float32)))
        status, out = extractor.extract(OUTPUT)
        if status != 0:
            raise RuntimeError(f"ncnn extract returned {status}")
        return np.array(out, dtype=np.float32).reshape(-1)

    def run(self, batch: np.ndarray) -> np.ndarray:
        images = list(batch)
        rows = list(self._pool.map(self._one, images)) if self._pool else map(self._one, images)
        logits = np.stack(list(rows))
        if logits.shape != (len(batch), self._classes):
            raise RuntimeError(f"ncnn returned shape {logits.shape}")
        return logits

    def close(self) -> None:
        """Stop the extractor threads without waiting: one may be stuck in a hung driver."""
        if self._pool:
            self._pool.shutdown(wait=False, cancel_futures=True)

"""ncnn on Vulkan (any GPU from Polaris up, Windows and Linux) and on the CPU.

Why ncnn: onnxruntime has no GPU path for Polaris on Linux, while ncnn's Vulkan compute reaches
every AMD card with a Vulkan driver (RADV, AMD's own). One image at a time underuses a GPU, so on
Vulkan the graph is rewritten to take several images per pass (engine.backends.ncnn_batch) and
several extractors share the loaded net in parallel threads. The model is pnnx's conversion of
the FP32 ONNX (input `in0`, output `out0`).
"""

import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np

from engine.backends.base import BackendInfo, BackendUnavailable
from engine.backends.ncnn_batch import NotBatchable, batched_graph
from engine.i18n import _
from engine.models.card import ModelCard, Variant

INPUT = "in0"
OUTPUT = "out0"
FP16_OPTIONS = ("use_fp16_packed", "use_fp16_storage", "use_fp16_arithmetic")
# Measured on the H100 (benchmarks/ncnn_batch_sweep.py), FP16: 1 image per pass 965 img/s at
# best; 16 per pass on 4 extractors 5,039; 32 on 8 reached 7,273 but holds 4x the batch and 2x
# the weight copies in memory, more than a 4 GB Polaris card should be asked for.
DEFAULT_GPU_EXTRACTORS = 4
DEFAULT_GPU_IMAGES_PER_PASS = 16
# Per image in a pass, on the device: one more copy of the weights (FP32 ~19 MB) and the
# activations of 4 extractors (~60 MB): ~80 MB, so 16 per pass want ~1.3 GB of the heap.
DEVICE_MB_PER_IMAGE_IN_PASS = 80


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


def _load(net, param: Path, weights: Path, name: str) -> None:
    if net.load_param(str(param)) != 0:
        raise BackendUnavailable(name, _("ncnn could not read the model graph"))
    if net.load_model(str(weights)) != 0:
        raise BackendUnavailable(name, _("ncnn could not read the model weights"))


def _load_batched(net, variant: Variant, per_pass: int, name: str) -> bool:
    """The graph rewritten for `per_pass` images, through temporary files (ncnn's in-memory
    loader reports no failure). False, with nothing loaded, where the graph cannot be batched
    or the files cannot be written (a full disk): the caller then loads one image per pass."""
    param = variant.file_for("param").read_text(encoding="utf-8")
    try:
        batched_param, batched_weights = batched_graph(
            param, variant.file_for("bin").read_bytes(), per_pass
        )
        with tempfile.TemporaryDirectory(prefix="ocelote-ncnn-") as folder:
            param_path, weights_path = Path(folder) / "model.param", Path(folder) / "model.bin"
            param_path.write_text(batched_param, encoding="utf-8")
            weights_path.write_bytes(batched_weights)
            _load(net, param_path, weights_path, name)
    except (NotBatchable, OSError):
        return False
    return True


def images_per_pass_for(heap_budget: int | None) -> int:
    """The default pass size, halved until it fits the Vulkan heap budget (MB) where known."""
    per_pass = DEFAULT_GPU_IMAGES_PER_PASS
    while heap_budget and per_pass > 1 and per_pass * DEVICE_MB_PER_IMAGE_IN_PASS > heap_budget:
        per_pass //= 2
    return per_pass


class NcnnBackend:
    """One ncnn.Net, many extractors; FP16 storage and arithmetic only when asked for.

    On Vulkan each extract carries `images_per_pass` images stacked along channels; a graph that
    cannot be stacked (engine.backends.ncnn_batch.NotBatchable) runs one image per extract.
    """

    def __init__(
        self,
        card: ModelCard,
        variant: Variant,
        *,
        vulkan: bool,
        precision: str = "fp32",
        threads: int | None = None,
        extractors: int | None = None,
        images_per_pass: int | None = None,
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
        per_pass = images_per_pass or (images_per_pass_for(heap_budget_mb(device)) if vulkan else 1)
        if per_pass == 1 or not _load_batched(net, variant, per_pass, name):
            per_pass = 1
            _load(net, variant.file_for("param"), variant.file_for("bin"), name)
        self._ncnn = ncnn
        self._net = net
        self._classes = len(card.labels)
        self.images_per_pass = per_pass
        self._pool = ThreadPoolExecutor(workers, thread_name_prefix=name) if workers > 1 else None
        device_name = gpu_name(device) if vulkan else "CPU"
        self.info = BackendInfo(name=name, device=device_name, precision=precision)

    def _pass(self, images: np.ndarray) -> np.ndarray:
        """One extract: `images_per_pass` images (the last pass padded with zeros)."""
        count = len(images)
        if count < self.images_per_pass:
            padding = np.zeros((self.images_per_pass - count, *images.shape[1:]), np.float32)
            images = np.concatenate([images, padding])
        stacked = np.ascontiguousarray(images, dtype=np.float32)
        stacked = stacked.reshape(-1, *stacked.shape[2:])
        extractor = self._net.create_extractor()
        extractor.input(INPUT, self._ncnn.Mat(stacked))
        status, out = extractor.extract(OUTPUT)
        if status != 0:
            raise RuntimeError(f"ncnn extract returned {status}")
        return np.array(out, dtype=np.float32).reshape(self.images_per_pass, -1)[:count]

    def run(self, batch: np.ndarray) -> np.ndarray:
        step = self.images_per_pass
        passes = [batch[start : start + step] for start in range(0, len(batch), step)]
        rows = list(self._pool.map(self._pass, passes)) if self._pool else map(self._pass, passes)
        logits = np.concatenate(list(rows))
        if logits.shape != (len(batch), self._classes):
            raise RuntimeError(f"ncnn returned shape {logits.shape}")
        return logits

    def close(self) -> None:
        """Stop the extractor threads without waiting: one may be stuck in a hung driver."""
        if self._pool:
            self._pool.shutdown(wait=False, cancel_futures=True)

"""A detector on ncnn: Vulkan on any GPU with a driver (Polaris and up), or the CPU.

Raw outputs only, in onnxruntime's layout (batch first), so decoding and NMS are the same code
for both runtimes. ncnn has no batch dimension: each photo is one extract, and several
extractors share the loaded net in parallel threads (one thread each: ncnn's OpenMP threads
spin at barriers on a small CPU, measured for the classifier in engine.backends.ncnn_vulkan).
"""

from concurrent.futures import ThreadPoolExecutor

import numpy as np

from engine.backends.base import BackendInfo, BackendUnavailable
from engine.backends.ncnn_vulkan import FP16_OPTIONS, gpu_count, gpu_name
from engine.detection.ncnn_files import NcnnModel
from engine.i18n import _

INPUT = "in0"
GPU_EXTRACTORS = 2  # photos in flight on the card; a 1280 px YOLOv5x6 holds ~1 GB each


class NcnnDetector:
    """One ncnn.Net over a fixed (3, size, size) input; `outputs` is onnxruntime-shaped."""

    def __init__(
        self, model: NcnnModel, *, vulkan: bool, workers: int | None = None,
        precision: str = "fp32", device: int = 0,
    ) -> None:  # fmt: skip
        name = "ncnn-vulkan" if vulkan else "ncnn-cpu"
        try:
            import ncnn
        except ImportError as error:
            raise BackendUnavailable(name, _("ncnn is not installed")) from error
        if vulkan and gpu_count() <= device:
            raise BackendUnavailable(name, _("no Vulkan device found"))
        net = ncnn.Net()
        net.opt.use_vulkan_compute = vulkan
        net.opt.num_threads = 1
        for option in FP16_OPTIONS:
            setattr(net.opt, option, precision == "fp16")
        if vulkan:
            net.set_vulkan_device(device)
        if net.load_param(str(model.param)) != 0:
            raise BackendUnavailable(name, _("ncnn could not read the model graph"))
        if net.load_model(str(model.weights)) != 0:
            raise BackendUnavailable(name, _("ncnn could not read the model weights"))
        self._ncnn, self._net, self.model = ncnn, net, model
        self.workers = max(1, workers or (GPU_EXTRACTORS if vulkan else 1))
        self._pool = ThreadPoolExecutor(self.workers, thread_name_prefix=name)
        device_name = gpu_name(device) if vulkan else "CPU"
        self.info = BackendInfo(name=name, device=device_name, precision=precision)

    def _one(self, image: np.ndarray) -> list[np.ndarray]:
        pixels = np.ascontiguousarray(image, dtype=np.float32)  # ncnn.Mat borrows this memory
        extractor = self._net.create_extractor()
        extractor.input(INPUT, self._ncnn.Mat(pixels))
        found = []
        for index in range(len(self.model.outputs)):
            status, out = extractor.extract(f"out{index}")
            if status != 0:
                raise RuntimeError(f"ncnn extract returned {status}")
            found.append(np.array(out, dtype=np.float32))
        del pixels  # only now may the input's memory go
        return found

    def outputs(self, batch: np.ndarray, names: tuple[str, ...]) -> list[np.ndarray]:
        """The outputs `names` for a float32 (n, 3, size, size) batch, batch axis first."""
        size = self.model.size
        if batch.shape[1:] != (3, size, size):
            raise ValueError(f"ncnn model takes (3, {size}, {size}), got {batch.shape[1:]}")
        per_image = list(self._pool.map(self._one, batch))
        order = [self.model.outputs.index(name) for name in names]
        return [np.stack([found[index] for found in per_image]) for index in order]

    def close(self) -> None:
        """Stop the extractor threads without waiting: one may be stuck in a hung driver."""
        self._pool.shutdown(wait=False, cancel_futures=True)

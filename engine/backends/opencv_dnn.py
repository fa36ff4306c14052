"""OpenCV DNN on OpenCL (FP32/FP16) and on the CPU: a measured last resort.

Correct (max |Δlogit| 5e-6) but slow: 3 img/s on an H100 through OpenCL against 230 img/s on
that machine's CPU (its 5x5 depthwise convolutions take ~600 ms per layer). OpenCV 5's new
engine ignores targets, so the classic engine is asked for. OpenCV quietly switches DNN to the
CPU on OpenCL devices other than Intel GPUs unless OPENCV_DNN_OPENCL_ALLOW_ALL_DEVICES=1; the
OpenCL backend sets it, since asking for OpenCL means this device.
"""

import os

import numpy as np

from engine.backends.base import BackendInfo, BackendUnavailable
from engine.i18n import _
from engine.models.card import ModelCard, Variant

ALLOW_ALL = "OPENCV_DNN_OPENCL_ALLOW_ALL_DEVICES"


def _cv2():
    return __import__("cv2")


def opencl_device() -> str | None:
    """Name of OpenCV's default OpenCL device, or None; initialises OpenCL (time-box it)."""
    os.environ.setdefault(ALLOW_ALL, "1")
    try:
        cv2 = _cv2()
    except ImportError:
        return None
    if not cv2.ocl.haveOpenCL():
        return None
    cv2.ocl.setUseOpenCL(True)
    if not cv2.ocl.useOpenCL():
        return None
    device = cv2.ocl.Device.getDefault()
    return str(device.name()) if device.available() else None


def is_available(opencl: bool) -> bool:
    try:
        _cv2()
    except ImportError:
        return False
    return opencl_device() is not None if opencl else True


class OpenCvDnn:
    """One cv2.dnn.Net, run on the whole batch at once (a net is not thread-safe)."""

    def __init__(
        self, card: ModelCard, variant: Variant, *, opencl: bool, precision: str = "fp32"
    ) -> None:
        name = "opencv-opencl" if opencl else "opencv-cpu"
        if variant.format != "onnx":
            raise BackendUnavailable(name, _("OpenCV reads ONNX files only"))
        cv2 = _cv2()
        device = "CPU"
        target = cv2.dnn.DNN_TARGET_CPU
        if opencl:
            device = opencl_device() or ""
            if not device:
                raise BackendUnavailable(name, _("OpenCV found no usable OpenCL device"))
            fp16 = precision == "fp16"
            target = cv2.dnn.DNN_TARGET_OPENCL_FP16 if fp16 else cv2.dnn.DNN_TARGET_OPENCL
        net = cv2.dnn.readNetFromONNX(str(variant.file), engine=cv2.dnn.ENGINE_CLASSIC)
        net.setPreferableBackend(cv2.dnn.DNN_BACKEND_OPENCV)
        net.setPreferableTarget(target)
        self._net = net
        self._input = card.input_name
        self._output = card.output_name
        self.info = BackendInfo(name=name, device=f"OpenCL: {device}" if opencl else device,
                                precision=precision)  # fmt: skip

    def run(self, batch: np.ndarray) -> np.ndarray:
        self._net.setInput(np.ascontiguousarray(batch, dtype=np.float32), self._input)
        logits = self._net.forward(self._output)
        return np.asarray(logits, dtype=np.float32).reshape(len(batch), -1)

"""Every backend present agrees with onnxruntime CPU FP32 on real trap photos.

Top-1 equal on >= 98% of the images and max |Δlogit| within the tolerance of the precision
(engine/backends/agreement.py). Image counts keep software devices quick: llvmpipe Vulkan runs
~0.25 s per image on 2 cores, pocl OpenCL ~0.5 s.
"""

import numpy as np
import pytest

from engine.backends import ncnn_vulkan, opencv_dnn
from engine.backends.agreement import MIN_TOP1, TOLERANCES, compare
from engine.backends.registry import make_backend
from tests.engine.backends.conftest import require_device

CASES = [
    # backend, precision, images
    ("onnxruntime-cpu", "fp16", 16),
    ("ncnn-cpu", "fp32", 16),
    ("ncnn-vulkan", "fp32", 12),
    ("ncnn-vulkan", "fp16", 6),
    ("opencv-cpu", "fp32", 16),
    ("opencv-opencl", "fp32", 4),
]


def device_present(name: str) -> tuple[bool, str]:
    if name == "ncnn-vulkan":
        how = "Debian mesa-vulkan-drivers + libvulkan1 give the llvmpipe Vulkan device"
        return ncnn_vulkan.gpu_count() > 0, how
    if name == "opencv-opencl":
        how = "Debian ocl-icd-libopencl1 + pocl-opencl-icd give a CPU OpenCL device"
        return opencv_dnn.is_available(opencl=True), how
    return True, ""


@pytest.mark.parametrize(("name", "precision", "images"), CASES, ids=lambda v: str(v))
def test_backend_agrees_with_cpu_fp32(card, trap_batch, reference_logits, name, precision,
                                      images) -> None:  # fmt: skip
    require_device(name, *device_present(name))
    backend = make_backend(name, card, precision, threads=2)
    assert backend.info.name == name
    assert backend.info.precision == precision
    batch, reference = trap_batch[:images], reference_logits[:images]
    logits = backend.run(batch)
    agreement = compare(logits, reference, precision)
    print(f"{name} {precision} on {backend.info.device}: top-1 {agreement.top1:.3f}, "
          f"max |d| {agreement.max_abs_diff:.3g} (allowed {TOLERANCES[precision]})")  # fmt: skip
    assert agreement.top1 >= MIN_TOP1, agreement.problem
    assert agreement.max_abs_diff <= TOLERANCES[precision], agreement.problem
    getattr(backend, "close", lambda: None)()


def test_ncnn_vulkan_reports_a_real_device_and_heap_budget() -> None:
    require_device("ncnn-vulkan", *device_present("ncnn-vulkan"))
    assert ncnn_vulkan.gpu_name()
    budget = ncnn_vulkan.heap_budget_mb()
    assert budget is None or budget > 0


def test_compare_names_each_problem() -> None:
    reference = np.eye(4, dtype=np.float32) * 10
    assert compare(reference + 0.01, reference, "fp32").ok
    assert "shape" in compare(reference[:2], reference, "fp32").problem
    assert "NaN" in compare(reference * np.nan, reference, "fp32").problem
    swapped = compare(np.roll(reference, 1, axis=1), reference, "fp32")
    assert not swapped.ok and swapped.top1 == 0.0
    assert not compare(reference + 0.3, reference, "fp32").ok  # within FP16's, not FP32's
    assert compare(reference + 0.3, reference, "fp16").ok

"""Real trap images, the bundled model and the CPU reference for the backend tests.

OpenCV reads its OpenCL settings when it first initialises OpenCL, so they are set here, at
collection, before any test touches cv2: pocl is a CPU OpenCL device, which OpenCV only picks
(and DNN only accepts) when told to.
"""

import os

os.environ.setdefault("OPENCV_OPENCL_DEVICE", ":CPU:")
os.environ.setdefault("OPENCV_DNN_OPENCL_ALLOW_ALL_DEVICES", "1")

from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402
import pytest  # noqa: E402

from engine.backends.fallback import forget_dropped  # noqa: E402
from engine.backends.registry import make_backend  # noqa: E402
from engine.media.decode import decode_for_model  # noqa: E402
from engine.models.card import ModelCard  # noqa: E402
from engine.models.store import find_card  # noqa: E402

MAX_IMAGES = 16
# Backends a machine may lack without failing the run, e.g. "ncnn-vulkan,opencv-opencl".
# CI must not set it: CI has llvmpipe Vulkan and pocl (Debian packages in scripts/setup.sh).
ALLOW_MISSING = "OCELOTE_ALLOW_MISSING_BACKENDS"


def require_device(name: str, present: bool, how: str) -> None:
    """Fail loudly when a backend's device is missing; skip only where a person allowed it."""
    if present:
        return
    message = f"{name}: no device here ({how})"
    if name in os.environ.get(ALLOW_MISSING, "").split(","):
        pytest.skip(f"{message}; allowed by {ALLOW_MISSING}")
    pytest.fail(f"{message}. To skip it on purpose: {ALLOW_MISSING}={name}")


@pytest.fixture(scope="session")
def card() -> ModelCard:
    return find_card()


@pytest.fixture(scope="session")
def trap_batch(trap_images: Path, card: ModelCard) -> np.ndarray:
    """The first readable trap photos in sorted order, decoded as the pipeline does."""
    paths = sorted(p for p in trap_images.rglob("*") if p.suffix.lower() in {".jpg", ".jpeg"})
    tensors = []
    for path in paths:
        try:
            tensors.append(decode_for_model(path, card.preprocessing).tensor)
        except Exception:  # noqa: BLE001 - the shared set holds a deliberately broken file
            continue
        if len(tensors) == MAX_IMAGES:
            break
    return np.stack(tensors)


@pytest.fixture(scope="session")
def reference_logits(card: ModelCard, trap_batch: np.ndarray) -> np.ndarray:
    """onnxruntime CPU FP32: the reference every backend is compared with."""
    return make_backend("onnxruntime-cpu", card, "fp32", threads=2).run(trap_batch)


@pytest.fixture(autouse=True)
def _fresh_session():
    """Each test starts with no backend dropped earlier in the process."""
    forget_dropped()
    yield
    forget_dropped()

"""The motion step's histogram medians are numpy's medians, on real frames and odd shapes."""

from pathlib import Path

import cv2
import numpy as np
import pytest

from engine.motion.regions import channel_medians

PHOTOS = sorted(
    (Path(__file__).resolve().parents[3].parent / "shared/data/camera_traps").rglob("*.jpg")
)


@pytest.mark.parametrize("shape", [(180, 240, 3), (181, 241, 3), (1, 1, 3), (2, 1, 3)])
def test_equal_to_numpy_on_noise_of_odd_and_even_counts(shape):
    image = np.random.default_rng(sum(shape)).integers(0, 256, shape, dtype=np.uint8)
    want = np.median(image.astype(np.float32), axis=(0, 1))
    got = channel_medians(image)
    assert got.dtype == np.float32 and np.array_equal(got, want)


def test_equal_to_numpy_on_blurred_trap_frames():
    assert len(PHOTOS) >= 10
    for path in PHOTOS[:10]:
        frame = cv2.GaussianBlur(cv2.resize(cv2.imread(str(path)), (240, 180)), (5, 5), 0)
        assert np.array_equal(
            channel_medians(frame), np.median(frame.astype(np.float32), axis=(0, 1))
        )

"""The small frame the job keeps from its (drafted) decode is the photo at that size: upright,
never enlarged, PNGs as JPEGs, as faithful to the whole photo reduced as the frame the motion
step would decode from the photo itself; and it survives its trip through the results."""

from pathlib import Path

import cv2
import numpy as np
import pytest
from PIL import Image, ImageOps

from engine.media.decode import decode_for_model
from engine.media.preprocess import Preprocessing
from engine.media.thumbnail import decode_thumb, thumb_size
from engine.motion.frames import load_bgr


def _kept(path: Path, side: int) -> np.ndarray:
    thumb = decode_for_model(path, Preprocessing(), thumb_side=side).thumb
    assert thumb is not None and thumb.side == side
    return decode_thumb(thumb.jpeg)


def _whole(path: Path, side: int) -> np.ndarray:
    """The reference: every pixel decoded, turned upright, area-reduced to the frame's size."""
    with Image.open(path) as image:
        upright = ImageOps.exif_transpose(image).convert("RGB")
    bgr = cv2.cvtColor(np.asarray(upright), cv2.COLOR_RGB2BGR)
    return cv2.resize(bgr, thumb_size(*upright.size, side), interpolation=cv2.INTER_AREA)


def _error(frame: np.ndarray, reference: np.ndarray) -> float:
    assert frame.shape == reference.shape
    return float(np.abs(frame.astype(np.int16) - reference.astype(np.int16)).mean())


def _as_faithful(path: Path, side: int) -> np.ndarray:
    kept, reference = _kept(path, side), _whole(path, side)
    assert _error(kept, reference) <= _error(load_bgr(path, side), reference) + 0.25
    return kept


@pytest.mark.parametrize("side", [160, 240, 320])
def test_a_sideways_photo_is_kept_upright(trap_images, side):
    path = trap_images / "speciesnet_test_data" / "african_elephants_with_exif_orientation.jpg"
    kept = _as_faithful(path, side)
    assert (kept.shape[1], kept.shape[0]) == (side, side * 3 // 4)  # upright 2048 × 1536


def test_trap_photos_are_kept_as_they_are(shared_data):
    for path in sorted((shared_data / "camera_traps_labelled" / "animl-r-southwest").glob("*"))[:6]:
        kept = _as_faithful(path, 240)
        assert max(kept.shape[:2]) == 240


def test_a_photo_smaller_than_the_frame_is_never_enlarged(shared_data):
    """The Wellington sequences are 224 × 224: the model's decode enlarges them to 256, the
    frame is taken before that."""
    path = shared_data / "camera_traps_labelled" / "bhuvi3-wellington-seq" / "11374_1-1.JPG"
    assert _as_faithful(path, 240).shape == (224, 224, 3)
    assert _error(_kept(path, 240), load_bgr(path, 240)) < 0.5


@pytest.mark.parametrize("side", [160, 320])
def test_a_png_is_kept_like_a_jpeg(trap_images, tmp_path, side):
    png = tmp_path / "elephants.png"
    with Image.open(trap_images / "speciesnet_test_data" / "african_elephants.jpg") as image:
        image.save(png)
    assert _error(_kept(png, side), _whole(png, side)) < 1.0


def test_without_a_side_nothing_is_kept(trap_images):
    path = trap_images / "speciesnet_test_data" / "african_elephants.jpg"
    assert decode_for_model(path, Preprocessing()).thumb is None


def test_damaged_bytes_read_as_no_frame():
    assert decode_thumb(b"") is None
    assert decode_thumb(b"not a jpeg at all") is None

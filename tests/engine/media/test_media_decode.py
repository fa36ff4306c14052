"""decode_for_model and decode_full: agreement on real trap photos, pixel modes, failures."""

import warnings
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageFile, ImageOps

from engine.errors import ErrorCode, MediaError
from engine.media.decode import DecodedImage, decode_for_model, decode_full
from engine.media.preprocess import Preprocessing, to_tensor
from tests.engine.media.corpus import (
    NOT_ENFORCED_REASON,
    PERMISSIONS_ENFORCED,
    REAL_BW,
    REAL_CMYK,
    REAL_PHOTO,
    REAL_ROTATED,
    REAL_TRUNCATED,
    small_photo,
    write_gray16_png,
    write_png_bomb,
    write_png_header_only,
    write_rotated_jpeg,
)

PREP = Preprocessing()
AGREEMENT = 0.05  # mean |draft - full| in normalised units (1 unit = 128 grey levels)


def real_photos(trap_images: Path) -> list[Path]:
    photos = sorted(p for p in trap_images.rglob("*") if p.suffix.lower() == ".jpg")
    return [p for p in photos if "truncated" not in p.name]


def mean_diff(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.abs(a - b).mean())


def code_of(path: Path) -> ErrorCode:
    with pytest.raises(MediaError) as caught:
        decode_for_model(path, PREP)
    return caught.value.code


def test_draft_agrees_with_full_decode_on_real_photos(trap_images: Path) -> None:
    photos = real_photos(trap_images)
    assert len(photos) == 50
    diffs = {}
    for photo in photos:
        fast = decode_for_model(photo, PREP)
        assert fast.tensor.shape == (3, 224, 224) and fast.tensor.dtype == np.float32
        diffs[photo.name] = mean_diff(fast.tensor, decode_full(photo, PREP))
    worst = max(diffs, key=diffs.__getitem__)
    assert diffs[worst] < AGREEMENT, f"{worst}: {diffs[worst]:.4f}"


def test_full_decode_is_the_plain_pillow_pipeline(trap_images: Path) -> None:
    for name in [REAL_PHOTO, REAL_ROTATED, REAL_CMYK, REAL_BW]:
        with Image.open(trap_images / name) as image:
            reference = to_tensor(ImageOps.exif_transpose(image).convert("RGB"), PREP)
        np.testing.assert_array_equal(decode_full(trap_images / name, PREP), reference)


def test_real_modified_copies_match_the_original(trap_images: Path) -> None:
    original = decode_for_model(trap_images / REAL_PHOTO, PREP)
    rotated = decode_for_model(trap_images / REAL_ROTATED, PREP)
    cmyk = decode_for_model(trap_images / REAL_CMYK, PREP)
    bw = decode_for_model(trap_images / REAL_BW, PREP)
    assert (rotated.width, rotated.height) == (2048, 1536)  # stored 1536x2048, orientation 6
    assert mean_diff(rotated.tensor, original.tensor) < AGREEMENT
    assert mean_diff(cmyk.tensor, original.tensor) < AGREEMENT
    assert np.array_equal(bw.tensor[0], bw.tensor[1]) and np.array_equal(bw.tensor[1], bw.tensor[2])
    grey = original.tensor.mean(axis=0)
    assert mean_diff(bw.tensor[0], grey) < 0.1


def test_real_truncated_photo(trap_images: Path) -> None:
    assert code_of(trap_images / REAL_TRUNCATED) == ErrorCode.TRUNCATED
    with pytest.raises(MediaError) as caught:
        decode_full(trap_images / REAL_TRUNCATED, PREP)
    assert caught.value.code == ErrorCode.TRUNCATED
    assert ImageFile.LOAD_TRUNCATED_IMAGES is False


@pytest.mark.parametrize("orientation", range(1, 9))
def test_every_exif_orientation(tmp_path: Path, orientation: int) -> None:
    image = Image.linear_gradient("L").resize((600, 400)).convert("RGB")
    exif = Image.Exif()
    exif[0x0112] = orientation
    path = tmp_path / f"o{orientation}.jpg"
    image.save(path, exif=exif, quality=95)
    with Image.open(path) as opened:
        upright = ImageOps.exif_transpose(opened).convert("RGB")
    decoded = decode_for_model(path, PREP)
    assert (decoded.width, decoded.height) == upright.size
    assert mean_diff(decoded.tensor, to_tensor(upright, PREP)) < AGREEMENT


def test_rotated_trap_photo(tmp_path: Path, trap_images: Path) -> None:
    upright = small_photo(trap_images / REAL_PHOTO, (800, 600))
    write_rotated_jpeg(tmp_path / "r.jpg", upright)
    with Image.open(tmp_path / "r.jpg") as stored:
        assert stored.size == (600, 800)
    decoded = decode_for_model(tmp_path / "r.jpg", PREP)
    assert (decoded.width, decoded.height) == (800, 600)
    assert mean_diff(decoded.tensor, to_tensor(upright, PREP)) < AGREEMENT


@pytest.mark.parametrize("mode", ["L", "CMYK", "P", "RGBA", "LA", "1", "YCbCr"])
def test_pixel_modes(tmp_path: Path, trap_images: Path, mode: str) -> None:
    photo = small_photo(trap_images / REAL_PHOTO, (320, 240))
    converted = photo.convert(mode)
    path = tmp_path / f"{mode}.{'jpg' if mode in ('CMYK', 'YCbCr') else 'png'}"
    converted.save(path)
    decoded = decode_for_model(path, PREP)
    reference = to_tensor(converted.convert("RGB"), PREP)
    assert decoded.tensor.shape == (3, 224, 224)
    assert mean_diff(decoded.tensor, reference) < AGREEMENT


def test_sixteen_bit_png_is_scaled_not_clipped(tmp_path: Path) -> None:
    write_gray16_png(tmp_path / "g16.png")
    with Image.open(tmp_path / "g16.png") as opened:
        assert opened.mode.startswith("I")
        eight = (np.asarray(opened, dtype=np.float64) / 257).round().astype(np.uint8)
    decoded = decode_for_model(tmp_path / "g16.png", PREP)
    reference = to_tensor(Image.fromarray(eight).convert("RGB"), PREP)
    assert mean_diff(decoded.tensor, reference) < 0.01
    assert decoded.tensor.min() < -0.5 < 0.5 < decoded.tensor.max()  # clipping would be all white


def test_one_pixel_and_small_images(tmp_path: Path) -> None:
    Image.new("RGB", (1, 1), (10, 20, 30)).save(tmp_path / "1.png")
    Image.new("RGB", (100, 40), (10, 20, 30)).save(tmp_path / "small.jpg")
    for name in ["1.png", "small.jpg"]:
        decoded = decode_for_model(tmp_path / name, PREP)
        assert decoded.tensor.shape == (3, 224, 224)
    assert decode_for_model(tmp_path / "1.png", PREP).width == 1


@pytest.mark.parametrize("size", [(20_000, 10_000), (10_000, 10_000)])
def test_decompression_bombs(tmp_path: Path, size: tuple[int, int]) -> None:
    """Above 2x MAX_IMAGE_PIXELS Pillow raises; between 1x and 2x it only warns: both TOO_LARGE."""
    write_png_bomb(tmp_path / "bomb.png", *size)
    assert (tmp_path / "bomb.png").stat().st_size < 100_000
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        filters_before = list(warnings.filters)
        assert code_of(tmp_path / "bomb.png") == ErrorCode.TOO_LARGE
        assert warnings.filters == filters_before  # decode leaves the global filters alone


def test_bomb_warning_as_error_is_too_large(tmp_path: Path) -> None:
    write_png_bomb(tmp_path / "bomb.png", 10_000, 10_000)
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        assert code_of(tmp_path / "bomb.png") == ErrorCode.TOO_LARGE


def test_lying_png_header(tmp_path: Path) -> None:
    write_png_header_only(tmp_path / "liar.png", 100_000, 100_000)
    assert code_of(tmp_path / "liar.png") == ErrorCode.TOO_LARGE
    write_png_header_only(tmp_path / "short.png", 64, 64)
    assert code_of(tmp_path / "short.png") == ErrorCode.TRUNCATED


def test_failures_have_the_right_code(tmp_path: Path, shared_data: Path) -> None:
    (tmp_path / "empty.jpg").write_bytes(b"")
    (tmp_path / "text.jpg").write_text("not a photo")
    (tmp_path / "corrupt.jpg").write_bytes(b"\xff\xd8\xff" + bytes(range(256)) * 8)
    Image.new("RGB", (8, 8)).save(tmp_path / "anim.gif")
    clip = shared_data / "camera_trap_videos" / "chimp.mp4"
    assert code_of(tmp_path / "empty.jpg") == ErrorCode.EMPTY_FILE
    assert code_of(tmp_path / "text.jpg") == ErrorCode.NOT_MEDIA
    assert code_of(tmp_path / "corrupt.jpg") == ErrorCode.CORRUPT
    assert code_of(tmp_path / "anim.gif") == ErrorCode.UNSUPPORTED
    assert code_of(clip) == ErrorCode.VIDEO_UNSUPPORTED
    assert code_of(tmp_path / "missing.jpg") == ErrorCode.UNREADABLE
    assert code_of(tmp_path) == ErrorCode.NOT_MEDIA  # a folder


def test_truncated_png(tmp_path: Path, trap_images: Path) -> None:
    small_photo(trap_images / REAL_PHOTO, (320, 240)).save(tmp_path / "whole.png")
    data = (tmp_path / "whole.png").read_bytes()
    (tmp_path / "half.png").write_bytes(data[: len(data) // 2])
    assert code_of(tmp_path / "half.png") == ErrorCode.TRUNCATED


def test_truncated_jpeg_cut_in_half(tmp_path: Path, trap_images: Path) -> None:
    data = (trap_images / REAL_PHOTO).read_bytes()
    (tmp_path / "half.jpg").write_bytes(data[: len(data) // 2])
    assert code_of(tmp_path / "half.jpg") == ErrorCode.TRUNCATED


@pytest.mark.filterwarnings("ignore::UserWarning")
def test_garbage_exif_still_decodes(tmp_path: Path) -> None:
    path = tmp_path / "g.jpg"
    Image.new("RGB", (300, 300), (1, 2, 3)).save(path, exif=b"Exif\x00\x00II*\x00\xff\xff\xff\x7f")
    assert decode_for_model(path, PREP).tensor.shape == (3, 224, 224)


@pytest.mark.skipif(not PERMISSIONS_ENFORCED, reason=NOT_ENFORCED_REASON)
def test_permission_denied(tmp_path: Path) -> None:
    path = tmp_path / "locked.jpg"
    Image.new("RGB", (8, 8)).save(path)
    path.chmod(0)
    assert code_of(path) == ErrorCode.UNREADABLE


def test_threads_agree_with_serial_and_files_stay_untouched(trap_images: Path) -> None:
    photos = real_photos(trap_images)[:12]
    before = [(p.stat().st_mtime_ns, p.stat().st_size) for p in photos]
    serial = [decode_for_model(p, PREP) for p in photos]
    with ThreadPoolExecutor(max_workers=6) as pool:
        threaded: list[DecodedImage] = list(
            pool.map(lambda p: decode_for_model(p, PREP), photos * 2)
        )
    for index, result in enumerate(threaded):
        expected = serial[index % len(photos)]
        assert np.array_equal(result.tensor, expected.tensor) and result.exif == expected.exif
    assert before == [(p.stat().st_mtime_ns, p.stat().st_size) for p in photos]

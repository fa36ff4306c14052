"""Photo file -> model tensor, fast, and with a named reason when a file cannot be used.

The fast path asks libjpeg for a reduced-size decode (DCT scaling by 1/2, 1/4 or 1/8): the model
sees 224 px, so decoding all 12 MP of a trap photo is wasted work. `decode_full` is the plain
full-size decode other tools do; both share every step but the `draft` call.

Thread-safe: no global state is read-modified-written (no LOAD_TRUNCATED_IMAGES, no warnings
filters — `warnings.catch_warnings` is not thread-safe), files are opened read-only.
"""

import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import numpy as np
from PIL import Image, UnidentifiedImageError

from engine.errors import ErrorCode, MediaError
from engine.media.exif import ExifInfo, read_exif
from engine.media.preprocess import Preprocessing, to_tensor
from engine.media.sniff import HEAD_SIZE, IMAGE_FORMATS, VIDEO_FORMATS, sniff_bytes

_PIL_FORMATS = {"jpeg": "JPEG", "png": "PNG", "tiff": "TIFF", "bmp": "BMP", "webp": "WEBP"}
_ORIENTATION = 0x0112
_SWAPS_SIDES = frozenset({5, 6, 7, 8})
_TRANSPOSE = {  # EXIF orientation -> upright, the same table as ImageOps.exif_transpose
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}
_SIXTEEN_BIT_MODES = frozenset({"I;16", "I;16L", "I;16B", "I;16N", "I"})


@dataclass(frozen=True)
class DecodedImage:
    tensor: np.ndarray  # float32 (3, crop, crop), from preprocess.to_tensor
    width: int  # original size after EXIF orientation
    height: int
    exif: ExifInfo


def decode_for_model(path: Path, prep: Preprocessing) -> DecodedImage:
    """Reduced-size decode (JPEG draft) keeping the shorter side >= `prep.resize_shorter`.

    Raises MediaError: EMPTY_FILE, NOT_MEDIA, TRUNCATED, TOO_LARGE, UNREADABLE, CORRUPT,
    UNSUPPORTED (GIF, HEIC, odd pixel modes) or VIDEO_UNSUPPORTED.
    """
    return _decode(path, prep, draft=True)


@dataclass(frozen=True)
class UprightImage:
    """A photo as a detector and its crops need it: the whole frame, upright, reduced."""

    rgb: np.ndarray  # uint8 (h, w, 3), long side >= the size asked for where the file allows
    width: int  # original size after EXIF orientation
    height: int
    exif: ExifInfo


def decode_upright(path: Path, long_side: int) -> UprightImage:
    """The whole photo, EXIF-oriented RGB, JPEG-drafted to the smallest scale whose long side
    still reaches `long_side` (a detector letterboxes the whole frame: no crop here).
    Raises the same MediaError codes as `decode_for_model`."""
    with _as_media_errors():
        rgb, (width, height), exif = _load_rgb(path, None, long_side)
    return UprightImage(np.asarray(rgb), width, height, exif)


def decode_full(path: Path, prep: Preprocessing) -> np.ndarray:
    """The slow reference: full-size decode, then the same orientation, RGB and tensor steps."""
    return _decode(path, prep, draft=False).tensor


def _decode(path: Path, prep: Preprocessing, draft: bool) -> DecodedImage:
    with _as_media_errors():
        rgb, (width, height), exif = _load_rgb(path, prep if draft else None)
    return DecodedImage(to_tensor(rgb, prep), width, height, exif)


def _load_rgb(
    path: Path, draft: Preprocessing | None, long_side: int | None = None
) -> tuple[Image.Image, tuple[int, int], ExifInfo]:
    """Upright RGB picture, its full upright size and EXIF; the file is closed on return.

    `draft` reduces for a centre crop (shorter side), `long_side` for a whole frame."""
    _require_regular_file(path)
    with open(path, "rb") as handle:
        image = Image.open(handle, formats=[_PIL_FORMATS[_image_format(handle)]])
        _require_sane_size(image)
        exif = read_exif(image)
        orientation = _orientation(image)
        stored_size = image.size
        box = image.draft("RGB", (draft.resize_shorter,) * 2) if draft else None
        if long_side:
            scale = long_side / max(stored_size)
            image.draft("RGB", tuple(max(1, round(side * scale)) for side in stored_size))
        image.load()
    image = _to_rgb(image)
    if draft and box and image.size != stored_size:
        image = _undo_draft_rounding(image, stored_size, box[1], draft)
    if orientation != 1:
        image = image.transpose(_TRANSPOSE[orientation])
    width, height = stored_size
    return image, ((height, width) if orientation in _SWAPS_SIDES else stored_size), exif


def _undo_draft_rounding(
    image: Image.Image, full: tuple[int, int], box: tuple[float, ...], prep: Preprocessing
) -> Image.Image:
    """Resize a drafted image to what `to_tensor` would make of the full one.

    libjpeg rounds a scaled side up (1494 / 4 -> 374 rows, the last one half padding), which
    shifts the centre crop by half a pixel; `box` is the true extent of the photo, so resizing
    from it to `to_tensor`'s own target size makes `to_tensor`'s resize a no-op.
    """
    if prep.resize_shorter < prep.crop:  # to_tensor would resize again: leave it the whole job
        return image
    scale = prep.resize_shorter / min(full)
    size = (max(prep.crop, round(full[0] * scale)), max(prep.crop, round(full[1] * scale)))
    return image.resize(size, Image.Resampling[prep.resample.upper()], box=box)


def _require_regular_file(path: Path) -> None:
    """Refuse FIFOs and devices before `open`, which would block or read forever on them."""
    if not stat.S_ISREG(os.stat(path).st_mode):
        raise MediaError(ErrorCode.NOT_MEDIA, "not a regular file")


def _image_format(handle: BinaryIO) -> str:
    """Sniffed image format of an open file, or the MediaError that explains why it is none."""
    if os.fstat(handle.fileno()).st_size == 0:
        raise MediaError(ErrorCode.EMPTY_FILE, "0 bytes")
    fmt = sniff_bytes(handle.read(HEAD_SIZE))
    handle.seek(0)
    if fmt in IMAGE_FORMATS:
        return fmt
    if fmt in VIDEO_FORMATS:
        raise MediaError(ErrorCode.VIDEO_UNSUPPORTED, fmt)
    if fmt:
        raise MediaError(ErrorCode.UNSUPPORTED, fmt)
    raise MediaError(ErrorCode.NOT_MEDIA, "no known image signature")


def _require_sane_size(image: Image.Image) -> None:
    """TOO_LARGE above Image.MAX_IMAGE_PIXELS, where Pillow itself only warns (up to twice that)."""
    width, height = image.size
    limit = Image.MAX_IMAGE_PIXELS
    if width <= 0 or height <= 0:
        raise MediaError(ErrorCode.CORRUPT, f"size {width}x{height}")
    if limit and width * height > limit:
        raise MediaError(ErrorCode.TOO_LARGE, f"{width}x{height} pixels")


def _orientation(image: Image.Image) -> int:
    """EXIF orientation 1..8; 1 when absent or unreadable (garbage EXIF must not lose a photo)."""
    try:
        value = image.getexif().get(_ORIENTATION, 1)
    except Exception:
        return 1
    return value if isinstance(value, int) and 1 <= value <= 8 else 1


def _to_rgb(image: Image.Image) -> Image.Image:
    """8-bit RGB from any mode: 16-bit grey scaled (not clipped), alpha dropped, CMYK converted."""
    if image.mode == "RGB":
        return image
    if image.mode in _SIXTEEN_BIT_MODES:
        wide = np.asarray(image, dtype=np.float32)
        eight = np.clip(np.rint(wide / 257.0), 0, 255).astype(np.uint8)
        return Image.fromarray(np.repeat(eight[:, :, None], 3, axis=2))
    if image.mode == "P" and "transparency" in image.info:
        image = image.convert("RGBA")  # avoids Pillow's palette-transparency warning
    try:
        return image.convert("RGB")
    except ValueError as exc:
        raise MediaError(ErrorCode.UNSUPPORTED, f"pixel mode {image.mode}") from exc


@contextmanager
def _as_media_errors() -> Iterator[None]:
    """Turn what Pillow and the OS raise on bad files into MediaError with a stable code."""
    try:
        yield
    except MediaError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning, MemoryError) as exc:
        raise MediaError(ErrorCode.TOO_LARGE, _detail(exc)) from exc
    except (PermissionError, FileNotFoundError, IsADirectoryError, NotADirectoryError) as exc:
        raise MediaError(ErrorCode.UNREADABLE, _detail(exc)) from exc
    except UnidentifiedImageError as exc:
        raise MediaError(ErrorCode.CORRUPT, _detail(exc)) from exc
    except Exception as exc:  # plugins raise OSError, SyntaxError, struct.error, zlib.error...
        truncated = isinstance(exc, EOFError) or "truncated" in str(exc).lower()
        raise MediaError(
            ErrorCode.TRUNCATED if truncated else ErrorCode.CORRUPT, _detail(exc)
        ) from exc


def _detail(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"

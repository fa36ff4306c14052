"""Photo file -> model tensor, fast, and with a named reason when a file cannot be used.

The fast path asks libjpeg for a reduced-size decode (DCT scaling by 1/2, 1/4 or 1/8): the model
sees 224 px, so decoding all 12 MP of a trap photo is wasted work. `decode_full` is the plain
full-size decode other tools do; both share every step but the `draft` call (and, for large
pictures of other formats, a box reduction before the colour conversion).

Memory: a decode waits for room in the process's decode budget (engine.media.budget) before it
loads pixels, so threads x picture size cannot outgrow it. Size: real large photos (panoramas,
100+ MP) are decoded (JPEG at 1/8); a file is refused as TOO_LARGE only when its header claims
far more pixels than its bytes could hold (a decompression bomb), or when a format without
reduced decoding would need more memory than the whole budget. Pillow's own bomb check (which
refused real 90+ MP photos and printed warnings) is not used: files are opened through the
format's plugin directly, and these rules decide.

Thread-safe: no global state is read-modified-written (no LOAD_TRUNCATED_IMAGES, no warnings
filters — `warnings.catch_warnings` is not thread-safe), files are opened read-only.
"""

import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

import numpy as np
from PIL import Image, UnidentifiedImageError

from engine.errors import ErrorCode, MediaError
from engine.media.budget import SHARED, DecodeBudget
from engine.media.exif import ExifInfo, read_exif
from engine.media.preprocess import Preprocessing, to_tensor
from engine.media.sniff import HEAD_SIZE, IMAGE_FORMATS, VIDEO_FORMATS, sniff_bytes
from engine.media.thumbnail import Thumb, encode_thumb, small_bgr, thumb_size

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
_REDUCIBLE_MODES = frozenset({"L", "LA", "RGB", "RGBA", "RGBX", "CMYK", "YCbCr", "I", "F"})
MAX_PIXELS_PER_BYTE = 1000
"""A real photo stores at least a bit or so per 8x8 block: under ~200 pixels per byte even for
a black night shot. A header claiming more than this many pixels per byte of file is a bomb."""
MAX_PIXELS = 4_000_000_000  # beyond any camera or stitched panorama a trap station handles
REDUCE_ABOVE_PIXELS = 16_000_000
"""Pictures larger than this (of formats without reduced decoding) are box-reduced to twice the
model's input before the colour conversion, so no full-size copy is made."""


PIXEL_BLOCK_BYTES = 64 * 1024 * 1024
"""Pillow stores a picture in blocks (16 MB by default). glibc serves blocks up to 32 MB from
per-thread heaps and keeps them after `free`, so eight decode threads each kept their last
large picture (1.36 GB for eight 50-MP PNGs decoded one at a time). Blocks above 32 MB are
mapped and unmapped: memory goes back to the system after each picture (412 MB). Small
pictures are unaffected: a picture takes only the rows it needs."""
Image.core.set_block_size(PIXEL_BLOCK_BYTES)


@dataclass(frozen=True)
class DecodedImage:
    tensor: np.ndarray  # float32 (3, crop, crop), from preprocess.to_tensor
    width: int  # original size after EXIF orientation
    height: int
    exif: ExifInfo
    thumb: Thumb | None = field(default=None, kw_only=True)  # the small upright frame, if asked


def decode_for_model(
    path: Path, prep: Preprocessing, budget: DecodeBudget = SHARED, thumb_side: int = 0
) -> DecodedImage:
    """Reduced-size decode (JPEG draft) keeping the shorter side >= `prep.resize_shorter`;
    with `thumb_side`, also the frame reduced to that long side, from the same decode.

    Raises MediaError: EMPTY_FILE, NOT_MEDIA, TRUNCATED, TOO_LARGE, UNREADABLE, CORRUPT,
    UNSUPPORTED (GIF, HEIC, odd pixel modes) or VIDEO_UNSUPPORTED.
    """
    return _decode(path, prep, budget, draft=True, thumb_side=thumb_side)


@dataclass(frozen=True)
class UprightImage:
    """A photo as a detector and its crops need it: the whole frame, upright, reduced."""

    rgb: np.ndarray  # uint8 (h, w, 3), long side >= the size asked for where the file allows
    width: int  # original size after EXIF orientation
    height: int
    exif: ExifInfo


def decode_upright(path: Path, long_side: int, budget: DecodeBudget = SHARED) -> UprightImage:
    """The whole photo, EXIF-oriented RGB, JPEG-drafted to the smallest scale whose long side
    still reaches `long_side` (a detector letterboxes the whole frame: no crop here).
    Raises the same MediaError codes as `decode_for_model`, within the same memory budget."""
    with _as_media_errors():
        _require_regular_file(path)
        with open(path, "rb") as handle:
            image = _open(handle)
            stored_size = image.size
            scale = long_side / max(stored_size)
            image.draft("RGB", tuple(max(1, round(side * scale)) for side in stored_size))
            with budget.holding(_decode_bytes(image, budget)):
                rgb, (width, height), exif, _thumb = _load_rgb(
                    image, stored_size, None, Preprocessing(), draft=False
                )
                factor = max(rgb.size) // long_side  # formats without draft: reduce here, so
                if factor >= 2:  # only the reduced picture outlives the budget's hold
                    rgb = rgb.reduce(factor)
                return UprightImage(np.asarray(rgb), width, height, exif)


def decode_full(path: Path, prep: Preprocessing, budget: DecodeBudget = SHARED) -> np.ndarray:
    """The slow reference: full-size decode, then the same orientation, RGB and tensor steps."""
    return _decode(path, prep, budget, draft=False).tensor


def _decode(
    path: Path, prep: Preprocessing, budget: DecodeBudget, draft: bool, thumb_side: int = 0
) -> DecodedImage:
    with _as_media_errors():
        _require_regular_file(path)
        with open(path, "rb") as handle:
            image = _open(handle)
            stored_size = image.size
            drafted = image.draft("RGB", (prep.resize_shorter,) * 2) if draft else None
            with budget.holding(_decode_bytes(image, budget)):
                rgb, (width, height), exif, thumb = _load_rgb(
                    image, stored_size, drafted, prep, draft, thumb_side
                )
                stored = encode_thumb(thumb, thumb_side) if thumb is not None else None
                return DecodedImage(to_tensor(rgb, prep), width, height, exif, thumb=stored)


def _open(handle: BinaryIO) -> Image.Image:
    """The picture's header, through its format's plugin: no Pillow bomb warning or error."""
    fmt = _PIL_FORMATS[_image_format(handle)]
    Image.init()
    factory, _accept = Image.OPEN[fmt]
    image = factory(handle, "")
    _require_sane_size(image, os.fstat(handle.fileno()).st_size)
    return image


def _decode_bytes(image: Image.Image, budget: DecodeBudget) -> int:
    """Memory the decode will hold: the (drafted) picture as Pillow stores it (4 bytes a pixel
    for colour, 1 for grey or palette, 2 for 16-bit) plus, for the modes that cannot be
    box-reduced first, their full-size conversion to RGB.

    TOO_LARGE when that is more than twice the budget (up to that, the picture runs alone;
    a JPEG is decoded reduced, so only huge PNG, TIFF, BMP or WebP files can reach it).
    """
    width, height = image.size
    stored = 1 if image.mode in ("1", "L", "P") else 4
    stored = 2 if image.mode in _SIXTEEN_BIT_MODES - {"I"} else stored
    converted = 0 if image.mode in _REDUCIBLE_MODES else 4 + (5 if stored == 2 else 0)
    needed = width * height * (stored + converted)
    if needed > 2 * budget.capacity:
        raise MediaError(
            ErrorCode.TOO_LARGE,
            f"{width}x{height} pixels need {needed >> 20} MiB to decode, "
            f"more than the {2 * budget.capacity >> 20} MiB allowed",
        )
    return min(needed, budget.capacity)


def _load_rgb(
    image: Image.Image,
    stored_size: tuple[int, int],
    drafted: tuple[str, tuple[float, ...]] | None,
    prep: Preprocessing,
    draft: bool,
    thumb_side: int = 0,
) -> tuple[Image.Image, tuple[int, int], ExifInfo, np.ndarray | None]:
    """Upright RGB picture, its full upright size and EXIF, from an opened (maybe drafted) one;
    with `thumb_side`, also the upright BGR frame of that long side (engine.media.thumbnail),
    taken before the draft's rounding is undone (which enlarges a photo smaller than the model's
    input)."""
    exif = read_exif(image)
    orientation = _orientation(image)
    image.load()
    if draft and drafted is None:
        image = _reduce_large(image, prep)
    image = _to_rgb(image)
    thumb = None
    if thumb_side:
        small = small_bgr(np.asarray(image), thumb_size(*stored_size, thumb_side))
        thumb = _upright_array(small, orientation)
    if draft and drafted and image.size != stored_size:
        image = _undo_draft_rounding(image, stored_size, drafted[1], prep)
    if orientation != 1:
        image = image.transpose(_TRANSPOSE[orientation])
    width, height = stored_size
    return image, ((height, width) if orientation in _SWAPS_SIDES else stored_size), exif, thumb


def _upright_array(array: np.ndarray, orientation: int) -> np.ndarray:
    """A small array turned upright by the same EXIF table as the pictures."""
    if orientation == 1:
        return array
    return np.asarray(Image.fromarray(array).transpose(_TRANSPOSE[orientation]))


def _reduce_large(image: Image.Image, prep: Preprocessing) -> Image.Image:
    """A large picture of a format without reduced decoding, box-reduced to about twice the
    model's input before anything else is done with it (the same idea as JPEG's draft)."""
    width, height = image.size
    factor = min(width, height) // (2 * prep.resize_shorter)
    if width * height <= REDUCE_ABOVE_PIXELS or factor < 2 or image.mode not in _REDUCIBLE_MODES:
        return image
    return image.reduce(factor)


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


def _require_sane_size(image: Image.Image, file_bytes: int) -> None:
    """CORRUPT for a size of 0; TOO_LARGE for a header claiming more pixels than the file's
    bytes could hold (a decompression bomb) or more than any real photo."""
    width, height = image.size
    if width <= 0 or height <= 0:
        raise MediaError(ErrorCode.CORRUPT, f"size {width}x{height}")
    pixels = width * height
    if pixels > MAX_PIXELS or pixels > MAX_PIXELS_PER_BYTE * max(file_bytes, 1):
        raise MediaError(
            ErrorCode.TOO_LARGE, f"{width}x{height} pixels claimed by a file of {file_bytes} bytes"
        )


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

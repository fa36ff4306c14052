"""A folder of awkward inputs, made from real trap photos, for media and end-to-end tests.

`make_bad_corpus(root, trap_images)` writes it and returns {rel path: expected ErrorCode value,
or None for "should be classified"}. Files that discovery must silently ignore (README.txt,
Thumbs.db, __MACOSX) are written but are NOT keys: a run over `root` should report exactly the
keys (hidden files are reported as "hidden"). The unreadable folder exists only where
permissions are really enforced (root, or Windows, reads a chmod 000 folder anyway); symlink
cases only where the OS lets us make links.
"""

import io
import os
import shutil
import struct
import tempfile
import zlib
from pathlib import Path

import numpy as np
from PIL import Image

REAL_PHOTO = "speciesnet_test_data/african_elephants.jpg"
REAL_TRUNCATED = "speciesnet_test_data/african_elephants_truncated_file.jpg"
REAL_CMYK = "speciesnet_test_data/african_elephants_cmyk.jpg"
REAL_BW = "speciesnet_test_data/african_elephants_bw.jpg"
REAL_ROTATED = "speciesnet_test_data/african_elephants_with_exif_orientation.jpg"
SPANISH_NAME = "señal ñandú/cámara 1 – día.jpg"
ORIENTATION = 0x0112


def make_bad_corpus(root: Path, trap_images: Path) -> dict[str, str | None]:
    """Write the corpus under `root` and return what each reported file should yield."""
    root.mkdir(parents=True, exist_ok=True)
    photo = small_photo(trap_images / REAL_PHOTO)
    expected: dict[str, str | None] = {}
    expected |= _write_real_copies(root, trap_images)
    expected |= _write_broken(root, trap_images)
    expected |= _write_odd_but_fine(root, photo)
    expected |= _write_bombs(root)
    _write_ignored(root, photo)
    expected |= {".DS_Store": "hidden", ".hidden.jpg": "hidden"}
    expected |= _write_unreadable_folder(root, photo)
    expected |= _write_links(root)
    return expected


def small_photo(source: Path, size: tuple[int, int] = (640, 480)) -> Image.Image:
    """A real trap photo, reduced so that the corpus stays quick to write and to decode."""
    with Image.open(source) as image:
        return image.convert("RGB").resize(size, Image.Resampling.BILINEAR)


def _write_real_copies(root: Path, traps: Path) -> dict[str, str | None]:
    """The deliberately modified SpeciesNet photos, byte for byte."""
    copies = {
        "real/truncated_file.jpg": (REAL_TRUNCATED, "truncated"),
        "real/cmyk.jpg": (REAL_CMYK, None),
        "real/bw.jpg": (REAL_BW, None),
        "real/exif_orientation_6.jpg": (REAL_ROTATED, None),
    }
    for rel, (source, _) in copies.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(traps / source, root / rel)
    return {rel: code for rel, (_, code) in copies.items()}


def _write_broken(root: Path, traps: Path) -> dict[str, str | None]:
    """Files that claim to be photos but cannot be classified."""
    whole = (traps / REAL_PHOTO).read_bytes()
    (root / "truncated_half.jpg").write_bytes(whole[: len(whole) // 2])
    (root / "empty.jpg").write_bytes(b"")
    (root / "not_a_photo.jpg").write_text("This is a text file, not a photo.\n", encoding="utf-8")
    (root / "corrupt_header.jpg").write_bytes(b"\xff\xd8\xff" + bytes(range(256)) * 8)
    png = png_bytes(small_photo(traps / REAL_PHOTO, (320, 240)))
    (root / "truncated_half.png").write_bytes(png[: len(png) // 2])
    Image.new("RGB", (32, 32), (200, 30, 30)).save(root / "animation.gif")
    return {
        "truncated_half.jpg": "truncated",
        "empty.jpg": "empty_file",
        "not_a_photo.jpg": "not_media",
        "corrupt_header.jpg": "corrupt",
        "truncated_half.png": "truncated",
        "animation.gif": "unsupported",
    }


def _write_odd_but_fine(root: Path, photo: Image.Image) -> dict[str, str | None]:
    """Unusual files that must still be classified."""
    photo.save(root / "png_named.JPG", format="PNG")
    photo.convert("CMYK").save(root / "cmyk_made.jpg", quality=90)
    photo.convert("L").save(root / "gray.jpg", quality=90)
    write_gray16_png(root / "gray16.png")
    write_rotated_jpeg(root / "rotated_exif6.jpg", photo)
    Image.new("RGB", (1, 1), (90, 120, 60)).save(root / "tiny_1x1.jpg")
    Image.new("L", (1, 1), 128).save(root / "tiny_1x1.png")
    photo.save(root / "photo.tif", compression="tiff_lzw")
    photo.save(root / "photo.bmp")
    photo.save(root / "photo.webp", quality=85)
    photo.convert("RGBA").save(root / "rgba.png")
    photo.convert("P", palette=Image.Palette.ADAPTIVE).save(
        root / "palette_alpha.png", transparency=0
    )
    photo.save(root / "no_extension", format="JPEG")
    (root / SPANISH_NAME).parent.mkdir()
    photo.save(root / SPANISH_NAME, quality=90)
    names = ["png_named.JPG", "cmyk_made.jpg", "gray.jpg", "gray16.png", "rotated_exif6.jpg"]
    names += ["tiny_1x1.jpg", "tiny_1x1.png", "photo.tif", "photo.bmp", "photo.webp"]
    names += ["rgba.png", "palette_alpha.png", "no_extension", SPANISH_NAME]
    return dict.fromkeys(names)


def _write_bombs(root: Path) -> dict[str, str | None]:
    """Real, valid PNGs that are small on disk and huge in memory."""
    write_png_bomb(root / "bomb_error.png", 20_000, 10_000)  # 200 MP: Pillow raises itself
    write_png_bomb(root / "bomb_warning.png", 10_000, 10_000)  # 100 MP: Pillow only warns
    return {"bomb_error.png": "too_large", "bomb_warning.png": "too_large"}


def _write_ignored(root: Path, photo: Image.Image) -> None:
    """Not media by content nor by name, or in system folders: never reported; and two hidden
    files, reported as hidden."""
    (root / "README.txt").write_text("Camera 3, card 2\n", encoding="utf-8")
    (root / "Thumbs.db").write_bytes(b"\xd0\xcf\x11\xe0" + bytes(100))
    (root / ".DS_Store").write_bytes(b"\x00\x00\x00\x01Bud1" + bytes(100))
    photo.save(root / ".hidden.jpg")
    (root / "__MACOSX").mkdir()
    photo.save(root / "__MACOSX" / "photo.jpg")
    (root / "__MACOSX" / "._photo.jpg").write_bytes(b"\x00\x05\x16\x07" + bytes(80))


def permissions_enforced() -> bool:
    """Whether a chmod 000 file really cannot be read here: not as root (nor on Windows)."""
    with tempfile.TemporaryDirectory() as folder:
        probe = Path(folder) / "probe"
        probe.write_bytes(b"x")
        probe.chmod(0)
        try:
            probe.read_bytes()
        except PermissionError:
            return True
        finally:
            probe.chmod(0o600)
        return False


PERMISSIONS_ENFORCED = permissions_enforced()
NOT_ENFORCED_REASON = (
    "chmod 000 does not deny reads here (root has CAP_DAC_OVERRIDE, or Windows); run as a normal "
    "user, or as root without those capabilities: "
    "setpriv --bounding-set=-dac_override,-dac_read_search pytest ..."
)


def _write_unreadable_folder(root: Path, photo: Image.Image) -> dict[str, str | None]:
    """chmod 000 folder: only meaningful where permissions are enforced."""
    if not PERMISSIONS_ENFORCED:
        return {}
    locked = root / "locked"
    locked.mkdir()
    photo.save(locked / "inside.jpg")
    locked.chmod(0)
    return {"locked": "folder_unreadable"}


def _write_links(root: Path) -> dict[str, str | None]:
    """A link back to the corpus root and a dangling link named like a photo."""
    try:
        (root / "links").mkdir()
        os.symlink("..", root / "links" / "loop", target_is_directory=True)
        os.symlink("does_not_exist.jpg", root / "broken_link.jpg")
    except (OSError, NotImplementedError):  # e.g. Windows without the symlink privilege
        shutil.rmtree(root / "links", ignore_errors=True)
        return {}
    return {"links/loop": "symlink_loop", "broken_link.jpg": "unreadable"}


def write_gray16_png(path: Path, width: int = 512, height: int = 384) -> None:
    """A 16-bit greyscale PNG using the whole 0..65535 range (a horizontal ramp)."""
    ramp = np.linspace(0, 65535, width, dtype=np.float64).round().astype(np.uint16)
    Image.fromarray(np.tile(ramp, (height, 1))).save(path)


def write_rotated_jpeg(path: Path, upright: Image.Image) -> None:
    """Store `upright` turned sideways with EXIF Orientation=6, as a camera held on its side."""
    stored = upright.transpose(Image.Transpose.ROTATE_90)
    exif = Image.Exif()
    exif[ORIENTATION] = 6
    stored.save(path, quality=92, exif=exif)


def write_png_bomb(path: Path, width: int, height: int) -> None:
    """A valid 1-bit PNG of `width` x `height` zeros: kilobytes on disk, compressed row by row."""
    row = bytes(1 + (width + 7) // 8)  # filter byte 0, then all-black pixels
    packer = zlib.compressobj(9)
    data = b"".join(packer.compress(row) for _ in range(height)) + packer.flush()
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    path.write_bytes(_png(header, data))


def write_png_header_only(path: Path, width: int, height: int) -> None:
    """A PNG whose header claims `width` x `height` but holds almost no data (a lying bomb)."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    path.write_bytes(_png(header, zlib.compress(b"\x00" * 16)))


def png_bytes(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def _png(ihdr: bytes, idat: bytes) -> bytes:
    return (
        b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", ihdr) + _chunk(b"IDAT", idat) + _chunk(b"IEND", b"")
    )


def _chunk(kind: bytes, data: bytes) -> bytes:
    crc = zlib.crc32(kind + data) & 0xFFFFFFFF
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

"""sniff: formats come from the bytes, whatever the file is called."""

from pathlib import Path

import pytest
from PIL import Image

from engine.media.sniff import (
    IMAGE_FORMATS,
    MEDIA_EXTENSIONS,
    OTHER_FORMATS,
    VIDEO_FORMATS,
    sniff,
    sniff_bytes,
)
from tests.engine.media.corpus import NOT_ENFORCED_REASON, PERMISSIONS_ENFORCED


@pytest.mark.parametrize(
    ("pil_format", "expected"),
    [("JPEG", "jpeg"), ("PNG", "png"), ("TIFF", "tiff"), ("BMP", "bmp")]
    + [("WEBP", "webp"), ("GIF", "gif")],
)
def test_images_made_by_pillow(tmp_path: Path, pil_format: str, expected: str) -> None:
    path = tmp_path / "picture.bin"  # the extension says nothing on purpose
    Image.new("RGB", (16, 12), (10, 200, 30)).save(path, format=pil_format)
    assert sniff(path) == expected


def test_big_endian_tiff(tmp_path: Path) -> None:
    path = tmp_path / "mm.tif"
    path.write_bytes(b"MM\x00*" + bytes(60))
    assert sniff(path) == "tiff"


def test_real_trap_photos_are_jpeg(trap_images: Path) -> None:
    photos = [p for p in trap_images.rglob("*") if p.suffix.lower() == ".jpg"]
    assert len(photos) > 40
    assert {sniff(p) for p in photos} == {"jpeg"}  # MPO and truncated ones included


def test_real_trap_videos(shared_data: Path) -> None:
    videos = shared_data / "camera_trap_videos"
    assert sniff(videos / "07120049_Baboon.AVI") == "avi"
    assert sniff(videos / "09100029_Eland.MP4") == "mp4"
    assert sniff(videos / "chimp.mp4") == "mp4"


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (b"\x00\x00\x00\x14ftypqt  \x00\x00\x00\x00qt  ", "mov"),
        (b"\x00\x00\x00\x08wide\x00\x00\x10\x00mdat", "mov"),
        (b"\x00\x00\x00\x18ftypM4V \x00\x00\x00\x01M4V ", "mp4"),
        (b"\x00\x00\x00\x18ftyp3gp4\x00\x00\x00\x00", "mp4"),
        (b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\x82\x88matroska", "mkv"),
        (b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\x82\x84webm", "webm"),
        (bytes.fromhex("3026b2758e66cf11a6d900aa0062ce6c") + bytes(8), "wmv"),
        (b"\x00\x00\x01\xba\x44\x00\x04\x00", "mpeg"),
        (b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic", "heic"),
        (b"\x00\x00\x00\x1cftypavif\x00\x00\x00\x00avifmif1", "avif"),
        (b"RIFF\x00\x00\x00\x00AVI LIST", "avi"),
        (b"RIFF\x00\x00\x00\x00WAVEfmt ", None),  # sound, not video
        (b"BM\x00\x00", None),  # 'BM' alone is too weak to call it a bitmap
        (b"Camera 3, card 2\n", None),
        (b"", None),
    ],
)
def test_signatures(head: bytes, expected: str | None) -> None:
    assert sniff_bytes(head) == expected


def test_extension_does_not_matter(tmp_path: Path) -> None:
    png_as_jpg = tmp_path / "IMG_0001.JPG"
    Image.new("L", (8, 8)).save(png_as_jpg, format="PNG")
    text_as_jpg = tmp_path / "IMG_0002.JPG"
    text_as_jpg.write_text("not a photo")
    assert sniff(png_as_jpg) == "png"
    assert sniff(text_as_jpg) is None


def test_empty_file_is_unknown(tmp_path: Path) -> None:
    empty = tmp_path / "empty.jpg"
    empty.write_bytes(b"")
    assert sniff(empty) is None


@pytest.mark.skipif(not PERMISSIONS_ENFORCED, reason=NOT_ENFORCED_REASON)
def test_unreadable_file_raises(tmp_path: Path) -> None:
    locked = tmp_path / "locked.jpg"
    Image.new("RGB", (8, 8)).save(locked)
    locked.chmod(0)
    with pytest.raises(PermissionError):
        sniff(locked)


def test_format_sets() -> None:
    assert sorted(IMAGE_FORMATS) == ["bmp", "jpeg", "png", "tiff", "webp"]
    assert {"avi", "mp4", "mov", "mkv"} <= VIDEO_FORMATS
    assert not IMAGE_FORMATS & VIDEO_FORMATS
    assert not OTHER_FORMATS & (IMAGE_FORMATS | VIDEO_FORMATS)
    for ext in (".jpg", ".jpeg", ".png", ".tif", ".tiff", ".bmp", ".webp", ".avi", ".mp4", ".mov"):
        assert ext in MEDIA_EXTENSIONS
    assert all(ext == ext.lower() and ext.startswith(".") for ext in MEDIA_EXTENSIONS)
    assert ".txt" not in MEDIA_EXTENSIONS and ".db" not in MEDIA_EXTENSIONS

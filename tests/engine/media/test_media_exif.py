"""read_exif: real trap-camera EXIF, the messy kinds, and garbage that must not raise."""

from pathlib import Path

import pytest
from PIL import Image

from engine.media.exif import ExifInfo, read_exif

CHANNEL_ISLANDS = (
    "megadetector_test_images/channel_islands_camera_traps_loc-h500ee05127658_007_194.jpg"
)
PALAU = (
    "megadetector_test_images/island_conservation_camera_traps_palau_cam10a_cam10a12122018_"
    "palau_cam10a12122018_20181108_174532_rcnx1035.jpg"
)


def exif_of(path: Path) -> ExifInfo:
    with Image.open(path) as image:
        return read_exif(image)


def test_reconyx_hyperfire(trap_images: Path) -> None:
    info = exif_of(trap_images / CHANNEL_ISLANDS)
    # MANIFEST: RECONYX HC500 HYPERFIRE 2012:05:06 00:45:33; the serial is in the file name too
    assert info == ExifInfo("2012-05-06T00:45:33", "RECONYX", "HC500 HYPERFIRE", "H500EE05127658")


def test_reconyx_hyperfire2_serial(trap_images: Path) -> None:
    info = exif_of(trap_images / PALAU)
    assert info == ExifInfo("2018-11-08T17:45:32", "RECONYX", "HF2 PRO COVERT", "HLPXEL06008661")


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        # NUL-filled Make/Model (Bushnell-style) and space padding (BolyMedia) are cleaned
        ("speciesnet_test_data/human.jpg", ExifInfo("2024-01-21T15:19:15", None, "E8", None)),
        (
            "megadetector_test_images/snapshot_serengeti_S5_U10_U10_R4_S5_U10_R4_IMAG3595.JPG",
            ExifInfo("2012-12-17T12:18:46", "BolyMedia", "SG565FV", None),
        ),
        # DateTimeOriginal only, no DateTime
        (
            "speciesnet_test_data/ocelot.jpg",
            ExifInfo("2006-02-10T17:06:43", "HP", "HP ScanJet 4070", None),
        ),
        ("speciesnet_test_data/african_elephants_cmyk.jpg", ExifInfo(None, None, None, None)),
        (
            "megadetector_failure_examples/sage-grouse-raw.jpg",
            ExifInfo("2023-06-20T13:09:04", "BUSHNELL", None, None),
        ),
    ],
)
def test_real_photos(trap_images: Path, name: str, expected: ExifInfo) -> None:
    assert exif_of(trap_images / name) == expected


def test_datetime_fallback_and_body_serial(tmp_path: Path) -> None:
    exif = Image.Exif()
    exif[0x0132] = "2021:03:04 05:06:07"  # DateTime only
    exif[0x010F] = "  Browning  "
    exif.get_ifd(0x8769)[0xA431] = "BTC-8E 12345"
    path = tmp_path / "x.jpg"
    Image.new("RGB", (8, 8)).save(path, exif=exif)
    assert exif_of(path) == ExifInfo("2021-03-04T05:06:07", "Browning", None, "BTC-8E 12345")


@pytest.mark.parametrize("stamp", ["0000:00:00 00:00:00", "2019:13:45 10:00:00", "    ", "garbage"])
def test_unset_or_impossible_clock_is_none(tmp_path: Path, stamp: str) -> None:
    exif = Image.Exif()
    exif.get_ifd(0x8769)[0x9003] = stamp
    path = tmp_path / "x.jpg"
    Image.new("RGB", (8, 8)).save(path, exif=exif)
    assert exif_of(path).taken_at is None


@pytest.mark.parametrize(
    "blob",
    [
        b"Exif\x00\x00" + b"\xde\xad\xbe\xef" * 40,  # not TIFF at all
        b"Exif\x00\x00II*\x00\xff\xff\xff\x7f",  # IFD offset far past the end
        b"Exif\x00\x00II*\x00\x08\x00\x00\x00\xff\xff" + bytes(30),  # 65535 entries claimed
        b"Exif\x00\x00MM\x00*\x00\x00\x00\x08\x00\x01\x01\x0f\x00\x02\xff\xff\xff\xff\x00\x00\x00\x00",
    ],
)
@pytest.mark.filterwarnings("ignore::UserWarning")  # Pillow warns about the corrupt EXIF it skips
def test_garbage_exif_never_raises(tmp_path: Path, blob: bytes) -> None:
    path = tmp_path / "garbage.jpg"
    Image.new("RGB", (8, 8)).save(path, exif=blob)
    info = exif_of(path)
    assert isinstance(info, ExifInfo)


def test_image_without_exif(tmp_path: Path) -> None:
    path = tmp_path / "plain.png"
    Image.new("RGB", (8, 8)).save(path)
    assert exif_of(path) == ExifInfo(None, None, None, None)

"""The few EXIF fields a trap survey needs: when, and which camera (to group bursts and sites).

Trap cameras write messy EXIF: NUL-padded or blank Make/Model, "0000:00:00 00:00:00" clocks,
maker notes in private layouts. Everything here is best effort and never raises.
"""

import re
from dataclasses import dataclass
from datetime import datetime

from PIL import Image

_EXIF_IFD = 0x8769
_DATETIME = 0x0132
_MAKE = 0x010F
_MODEL = 0x0110
_DATETIME_ORIGINAL = 0x9003
_BODY_SERIAL = 0xA431
_MAKER_NOTE = 0x927C

_DATE_RE = re.compile(r"(\d{4})[:\-/.](\d{2})[:\-/.](\d{2})[ T](\d{2}):(\d{2}):(\d{2})")


@dataclass(frozen=True)
class ExifInfo:
    taken_at: str | None  # "YYYY-MM-DDTHH:MM:SS", no zone: trap clocks have none
    make: str | None
    model: str | None
    serial: str | None


EMPTY = ExifInfo(None, None, None, None)


def read_exif(image: Image.Image) -> ExifInfo:
    """What the EXIF of an opened (not necessarily loaded) image tells; EMPTY on garbage."""
    try:
        exif = image.getexif()
        ifd = dict(exif.get_ifd(_EXIF_IFD))
    except Exception:  # Pillow raises many kinds of errors on malformed EXIF blocks
        return EMPTY
    taken = _iso_datetime(ifd.get(_DATETIME_ORIGINAL)) or _iso_datetime(exif.get(_DATETIME))
    serial = _text(ifd.get(_BODY_SERIAL)) or _maker_serial(ifd.get(_MAKER_NOTE))
    return ExifInfo(taken, _text(exif.get(_MAKE)), _text(exif.get(_MODEL)), serial)


def _text(value: object) -> str | None:
    """A clean string from an ASCII tag: NUL padding and blanks removed, None if nothing left."""
    if isinstance(value, bytes):
        value = value.decode("utf-8", errors="replace")
    if not isinstance(value, str):
        return None
    cleaned = value.split("\x00", 1)[0].strip()
    return cleaned or None


def _iso_datetime(value: object) -> str | None:
    """'2012:05:06 00:45:33' -> '2012-05-06T00:45:33'; None for unset or impossible clocks."""
    text = _text(value)
    match = _DATE_RE.match(text) if text else None
    if not match:
        return None
    try:
        when = datetime(*(int(part) for part in match.groups()))
    except ValueError:  # "0000:00:00 00:00:00" from a camera whose clock was never set
        return None
    return when.isoformat()


def _maker_serial(note: object) -> str | None:
    """Serial number from Reconyx maker notes (HyperFire and HyperFire 2), the common case.

    Offsets follow ExifTool's Reconyx tables: UTF-16LE, 15 characters.
    """
    if not isinstance(note, bytes):
        return None
    if note[:2] == b"\x01\xf1":  # HyperFire: version word 0xF101, serial at word 0x15
        raw = note[0x2A : 0x2A + 30]
    elif note[:9] == b"RECONYXH2":
        raw = note[0x7E : 0x7E + 30]
    else:
        return None
    serial = _text(raw.decode("utf-16-le", errors="replace"))
    return serial if serial and serial.isascii() and serial.isalnum() else None

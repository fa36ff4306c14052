"""Tell a file's format from its first bytes, because camera cards and copies lie about extensions.

A renamed PNG, a photo without an extension or a text file called `.jpg` are all common on field
laptops; the magic numbers are what a decoder will actually see.
"""

from pathlib import Path

HEAD_SIZE = 64
"""Bytes `sniff` reads: enough for every signature below, including the EBML DocType."""

IMAGE_FORMATS: frozenset[str] = frozenset({"jpeg", "png", "tiff", "bmp", "webp"})
"""Still formats that `decode_for_model` classifies."""

VIDEO_FORMATS: frozenset[str] = frozenset({"avi", "mp4", "mov", "mkv", "webm", "wmv", "mpeg"})
"""Video containers trail cameras write (AVI, MP4, MOV above all) plus a few a copy may produce."""

OTHER_FORMATS: frozenset[str] = frozenset({"gif", "heic", "avif"})
"""Recognised media that is not classified: discovery reports them as UNSUPPORTED."""

MEDIA_EXTENSIONS: frozenset[str] = frozenset(
    {
        *(".jpg", ".jpeg", ".jpe", ".jfif", ".png", ".tif", ".tiff", ".bmp", ".dib", ".webp"),
        *(".gif", ".heic", ".heif", ".avif"),
        *(".avi", ".mp4", ".m4v", ".mov", ".qt", ".mkv", ".webm", ".wmv", ".asf"),
        *(".mpg", ".mpeg", ".3gp"),
    }
)
"""Lowercase extensions that claim to be media: such a file that is not media gets reported."""

_ISO_BMFF_HEIF_BRANDS = frozenset({b"heic", b"heix", b"hevc", b"heim", b"heis", b"mif1", b"msf1"})
_ASF_GUID = bytes.fromhex("3026b2758e66cf11a6d900aa0062ce6c")
_BMP_DIB_SIZES = frozenset({12, 16, 40, 52, 56, 64, 108, 124})
_QUICKTIME_ATOMS = frozenset({b"moov", b"mdat", b"wide", b"free", b"skip", b"pnot"})


def sniff(path: Path) -> str | None:
    """Format from the magic numbers of `path`, or None if unknown.

    Raises OSError (PermissionError, ...) when the file cannot be read: the caller decides
    whether that is worth reporting.
    """
    with open(path, "rb") as handle:
        return sniff_bytes(handle.read(HEAD_SIZE))


def sniff_bytes(head: bytes) -> str | None:
    """Format from the first bytes of a file (at least `HEAD_SIZE` of them when available)."""
    return _sniff_image(head) or _sniff_video(head)


def _sniff_image(head: bytes) -> str | None:
    if head[:3] == b"\xff\xd8\xff":
        return "jpeg"
    if head[:8] == b"\x89PNG\r\n\x1a\n":
        return "png"
    if head[:4] in (b"II*\x00", b"MM\x00*", b"II+\x00", b"MM\x00+"):
        return "tiff"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "gif"
    if head[:2] == b"BM" and _le32(head[14:18]) in _BMP_DIB_SIZES:
        return "bmp"
    if head[4:8] == b"ftyp" and head[8:12] in _ISO_BMFF_HEIF_BRANDS:
        return "heic"
    if head[4:8] == b"ftyp" and head[8:12] in (b"avif", b"avis"):
        return "avif"
    return None


def _sniff_video(head: bytes) -> str | None:
    if head[:4] == b"RIFF" and head[8:12] == b"AVI ":
        return "avi"
    if head[4:8] == b"ftyp":
        return "mov" if head[8:12] == b"qt  " else "mp4"
    if head[4:8] in _QUICKTIME_ATOMS and _be32(head[:4]) >= 8:
        return "mov"  # old QuickTime files start with an atom other than 'ftyp'
    if head[:4] == b"\x1a\x45\xdf\xa3":
        return "webm" if b"webm" in head else "mkv"
    if head[:16] == _ASF_GUID:
        return "wmv"
    if head[:4] in (b"\x00\x00\x01\xba", b"\x00\x00\x01\xb3"):
        return "mpeg"
    return None


def _le32(raw: bytes) -> int:
    return int.from_bytes(raw, "little")


def _be32(raw: bytes) -> int:
    return int.from_bytes(raw, "big")

"""When a clip was filmed, from its container: the MP4/MOV movie header or an AVI's IDIT chunk.

Read with PyAV (FFmpeg's demuxers expose both as the `creation_time` tag). The file's
modification time is not used: a copy made years later carries the copy's date. A container
without the tag (many AVI cameras, files re-encoded by tools that drop it) gives None, and the
date is reported as unknown rather than invented.

The camera's clock has no time zone; MP4 headers are nominally UTC but trap cameras write their
own wall clock there, so the wall-clock reading is kept as is (like EXIF's DateTimeOriginal)
and the user confirms the UTC offset when exporting.
"""

from __future__ import annotations

import logging
from datetime import datetime
from pathlib import Path

log = logging.getLogger(__name__)

# MP4 counts from 1904 and a zero header decodes to then; a clock never set reads as these years
_UNSET_BEFORE = 1990


def recorded_at(path: Path) -> str | None:
    """ "YYYY-MM-DDTHH:MM:SS" (no zone) from the container, or None when it holds no date."""
    import av  # FFmpeg's demuxers, only when a video is read

    try:
        with av.open(str(path)) as container:
            tags = [container.metadata, *(stream.metadata for stream in container.streams)]
    except (av.FFmpegError, OSError, UnicodeDecodeError) as error:
        log.info("no container date for %s: %s", path, error)
        return None
    for tag in tags:
        moment = parse_creation_time(tag.get("creation_time", ""))
        if moment is not None:
            return moment
    return None


def parse_creation_time(text: str) -> str | None:
    """FFmpeg's "2015-03-25T10:04:12.000000Z" (or with a space) -> "2015-03-25T10:04:12"."""
    text = text.strip().replace(" ", "T", 1)
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text.rstrip("Z"))
    except ValueError:
        return None
    if moment.year < _UNSET_BEFORE:
        return None
    return moment.replace(tzinfo=None, microsecond=0).isoformat(timespec="seconds")

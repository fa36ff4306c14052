"""A cheap content fingerprint: what decides that a file is "already done" or was renamed.

Size and modification time alone miss a photo rewritten in place with the same size and time
(a camera reusing names, a tool that keeps times); hashing whole files would read every card
twice. The first and last 64 KiB plus the size separate them: a JPEG's first block holds its
EXIF (time, sequence number) and its start of picture, the last block the end of its picture
data. Two reads per file, about as cheap as a directory listing on an SD card.
"""

import hashlib
import os
import stat
from pathlib import Path

BLOCK = 64 * 1024


def fingerprint(path: Path) -> str | None:
    """Hex digest of size + first block + last block; None for what is not a readable file.

    A FIFO or a device is never opened (opening one can block forever).
    """
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            return None
        with open(path, "rb", buffering=0) as handle:
            size = os.fstat(handle.fileno()).st_size
            digest = hashlib.blake2b(str(size).encode(), digest_size=16)
            digest.update(handle.read(BLOCK))
            if size > BLOCK:
                handle.seek(max(BLOCK, size - BLOCK))
                digest.update(handle.read(BLOCK))
    except OSError:
        return None
    return digest.hexdigest()

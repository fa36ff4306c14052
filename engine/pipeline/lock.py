"""One run at a time per results folder: two runs on one folder would both do all the work.

The lock is the operating system's (portalocker: flock or LockFileEx), held by the open file, so
a killed or crashed run never leaves the folder locked. The file also says who holds it, for
the second run's message.
"""

import json
import os
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

import portalocker

from engine.i18n import _
from engine.pipeline.errors import JobError

LOCK_FILE = ".ocelote.lock"


class FolderBusy(JobError):
    """Another run holds the results folder."""


@contextmanager
def results_lock(folder: Path) -> Iterator[None]:
    """Hold `folder`'s lock for the block; FolderBusy (saying who holds it) if taken."""
    path = folder / LOCK_FILE
    handle = open(path, "a+", encoding="utf-8")  # noqa: SIM115 - held for the whole block
    try:
        try:
            portalocker.lock(
                handle, portalocker.LockFlags.EXCLUSIVE | portalocker.LockFlags.NON_BLOCKING
            )
        except portalocker.exceptions.LockException:
            raise FolderBusy(_busy_message(folder, path)) from None
        handle.seek(0)
        handle.truncate()
        holder = {"pid": os.getpid(), "host": socket.gethostname(),
                  "since": datetime.now().isoformat(timespec="seconds")}  # fmt: skip
        handle.write(json.dumps(holder))
        handle.flush()
        try:
            yield
        finally:
            portalocker.unlock(handle)
    finally:
        handle.close()


def _busy_message(folder: Path, path: Path) -> str:
    try:
        holder = json.loads(path.read_text(encoding="utf-8"))
        who = _("process {pid} on {host}, since {since}").format(
            pid=holder["pid"], host=holder["host"], since=holder["since"].replace("T", " ")
        )
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        who = _("another program")
    return _(
        "The results folder {path} is in use by another Ocelote run ({who}). Wait for it to "
        "finish, stop it, or choose another results folder."
    ).format(path=folder, who=who)

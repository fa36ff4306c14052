"""One file over HTTP(S), the way a field station's connection needs it: resumes after a cut
(HTTP Range), retries with back-off, honours the system proxy, reports size, speed and time
left, stops when asked, and checks the disk before writing.

Only the standard library's urllib: its `getproxies()` reads the proxy the system is set to
(environment on Linux, the registry on Windows, the system settings on macOS).
"""

from __future__ import annotations

import errno
import hashlib
import http.client
import logging
import shutil
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from engine.i18n import _, fmt_bytes
from engine.pipeline.cancel import CancelToken
from engine.store.errors import Cancelled, DiskSpaceError, DownloadError

CHUNK = 1 << 16
# Space kept free beyond the file itself: the unpacked model and the system's own needs.
MARGIN_BYTES = 64 * 1024 * 1024
_log = logging.getLogger(__name__)


@dataclass(frozen=True)
class DownloadProgress:
    done: int
    total: int | None
    speed: float  # bytes per second, over the current connection
    eta_seconds: float | None


ProgressCallback = Callable[[DownloadProgress], None]


def opener() -> urllib.request.OpenerDirector:
    """An opener that uses the system's proxy settings (empty: a direct connection)."""
    return urllib.request.build_opener(urllib.request.ProxyHandler(urllib.request.getproxies()))


def check_free_space(folder: Path, needed: int, margin: int | None = None) -> None:
    """Refuse before the first byte when the disk cannot hold the file."""
    margin = MARGIN_BYTES if margin is None else margin
    folder.mkdir(parents=True, exist_ok=True)
    free = shutil.disk_usage(folder).free
    if free < needed + margin:
        raise DiskSpaceError(
            _("Not enough free disk space in {folder}: {needed} needed, {free} free.").format(
                folder=folder, needed=fmt_bytes(needed + margin), free=fmt_bytes(free)
            )
        )


def digests_of(path: Path) -> dict[str, str]:
    """MD5 (what many publishers give) and SHA-256 (what Ocelote records) in one read."""
    md5, sha256 = hashlib.md5(usedforsecurity=False), hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            md5.update(chunk)
            sha256.update(chunk)
    return {"md5": md5.hexdigest(), "sha256": sha256.hexdigest()}


class _Attempt:
    """One connection: appends to the partial file from where it stopped."""

    def __init__(self, url: str, part: Path, total: int | None, timeout: float) -> None:
        self.url, self.part, self.total, self.timeout = url, part, total, timeout

    def run(
        self,
        open_url: urllib.request.OpenerDirector,
        progress: ProgressCallback | None,
        cancel: CancelToken | None,
    ) -> int | None:
        have = self.part.stat().st_size if self.part.exists() else 0
        request = urllib.request.Request(self.url, headers={"User-Agent": "Ocelote"})
        if have:
            request.add_header("Range", f"bytes={have}-")
        try:
            response = open_url.open(request, timeout=self.timeout)
        except urllib.error.HTTPError as error:
            if error.code == 416 and have and (self.total is None or have >= self.total):
                return have  # already complete: the checks that follow decide
            raise
        with response:
            if have and response.status != 206:
                have = 0  # the server ignored Range: start over
            length = response.headers.get("Content-Length")
            total = have + int(length) if length is not None else self.total
            self._copy(response, have, total, progress, cancel)
        return total

    def _copy(self, response, have, total, progress, cancel) -> None:  # noqa: ANN001
        started, received = time.monotonic(), 0
        with self.part.open("ab" if have else "wb") as out:
            while True:
                if cancel is not None and cancel.cancelled:
                    raise Cancelled(_("Download cancelled."))
                chunk = response.read(CHUNK)
                if not chunk:
                    break
                try:
                    out.write(chunk)
                except OSError as error:
                    if error.errno in (errno.ENOSPC, errno.EFBIG, errno.EDQUOT):
                        raise DiskSpaceError(
                            _("The disk is full. Free some space and try again: the download "
                              "resumes where it stopped.")
                        ) from error  # fmt: skip
                    raise
                received += len(chunk)
                if progress is not None:
                    elapsed = max(time.monotonic() - started, 1e-6)
                    speed = received / elapsed
                    done = have + received
                    eta = (total - done) / speed if total and speed > 0 else None
                    progress(DownloadProgress(done, total, speed, eta))
        if total is not None and have + received < total:
            raise DownloadError(_("The connection was cut."))


def fetch(
    url: str,
    part: Path,
    *,
    size: int | None = None,
    progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
    retries: int = 4,
    backoff: float = 1.0,
    timeout: float = 30.0,
    open_url: urllib.request.OpenerDirector | None = None,
) -> int:
    """Download `url` into `part` (resuming what is there); the byte count when complete.

    Network errors, cuts and stalls are retried `retries` times, waiting `backoff`, 2×, 4×…;
    a 404 or a full disk is not retried. The partial file stays for a later resume.
    """
    open_url = open_url or opener()
    attempt, last_error = 0, None
    while attempt <= retries:
        if cancel is not None and cancel.cancelled:
            raise Cancelled(_("Download cancelled."))
        try:
            _Attempt(url, part, size, timeout).run(open_url, progress, cancel)
            return part.stat().st_size
        except urllib.error.HTTPError as error:
            if error.code < 500 and error.code != 429:
                raise DownloadError(
                    _("The server refused the download ({code}): {url}").format(
                        code=error.code, url=url
                    )
                ) from error
            last_error = error
        except (DownloadError, OSError, http.client.HTTPException) as error:
            last_error = error
        _log.info("download attempt %d of %s failed: %s", attempt + 1, url, last_error)
        _wait(backoff * 2**attempt, cancel)
        attempt += 1
    raise DownloadError(
        _("The download failed after {count} attempts ({error}). Check the connection and try "
          "again: it resumes where it stopped.").format(count=retries + 1, error=last_error)
    )  # fmt: skip


def _wait(seconds: float, cancel: CancelToken | None) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if cancel is not None and cancel.cancelled:
            raise Cancelled(_("Download cancelled."))
        time.sleep(min(0.05, seconds))

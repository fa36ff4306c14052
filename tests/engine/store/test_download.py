"""Downloads against a real loopback server: resume after a cut, wrong bytes, 404, stalls,
cancel, the system proxy, and a full disk."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from engine.pipeline.cancel import CancelToken
from engine.store import download as download_module
from engine.store.download import fetch
from engine.store.errors import Cancelled, ChecksumError, DiskSpaceError, DownloadError
from engine.store.install import install
from engine.store.staging import DOWNLOADS, STAGING
from tests.engine.store.conftest import onnx_entry
from tests.engine.store.http_server import Rule

REPO = Path(__file__).resolve().parents[3]
BODY = bytes(range(256)) * 2000  # 512 000 bytes


def _no_model_left(store: Path, model_id: str) -> None:
    assert not (store / model_id).exists()
    staging = store / STAGING
    assert not staging.exists() or not any(staging.iterdir())


def test_a_cut_connection_resumes_with_a_range_request(tmp_path, server):
    server.rules["/m.onnx"] = Rule(BODY, cut_times=1)
    part = tmp_path / "m.onnx.part"
    seen = []
    size = fetch(server.url("/m.onnx"), part, size=len(BODY), backoff=0.01, progress=seen.append)
    assert size == len(BODY) and part.read_bytes() == BODY
    ranges = [s.range for s in server.requests_for("/m.onnx")]
    assert ranges[0] is None and ranges[1] == f"bytes={len(BODY) // 2}-"
    last = seen[-1]
    assert last.done == last.total == len(BODY) and last.speed > 0 and last.eta_seconds == 0


def test_a_server_ignoring_range_starts_over(tmp_path, server):
    server.rules["/m.onnx"] = Rule(BODY, ignore_range=True)
    part = tmp_path / "m.onnx.part"
    part.write_bytes(b"garbage-from-an-earlier-try")
    fetch(server.url("/m.onnx"), part, size=len(BODY), backoff=0.01)
    assert part.read_bytes() == BODY


def test_an_install_cut_in_one_run_resumes_in_the_next(store, server):
    server.rules["/m.onnx"] = Rule(BODY, cut_times=1)
    item = onnx_entry(server.url("/m.onnx"), BODY)
    with pytest.raises(DownloadError, match="attempts"):
        install(item.id, catalog_entry=item, retries=0, backoff=0.01)
    part = store / DOWNLOADS / item.id / "det.onnx.part"
    assert part.stat().st_size == len(BODY) // 2
    _no_model_left(store, item.id)
    # the next run resumes; BODY is not a model, so the card step refuses it after the checks
    with pytest.raises(Exception, match="not an ONNX model"):
        install(item.id, catalog_entry=item, retries=0, backoff=0.01)
    assert server.requests_for("/m.onnx")[-1].range == f"bytes={len(BODY) // 2}-"
    _no_model_left(store, item.id)


def test_wrong_bytes_are_refused_and_the_partial_download_removed(store, server, detector_bytes):
    server.rules["/d.onnx"] = Rule(detector_bytes, wrong=True)
    item = onnx_entry(server.url("/d.onnx"), detector_bytes)
    with pytest.raises(ChecksumError, match="partial download was removed") as error:
        install(item.id, catalog_entry=item, backoff=0.01)
    assert "MD5" in str(error.value) and "Test detector" in str(error.value)
    assert not (store / DOWNLOADS / item.id / "det.onnx.part").exists()
    _no_model_left(store, item.id)


def test_a_404_is_not_retried(store, server, detector_bytes):
    item = onnx_entry(server.url("/missing.onnx"), detector_bytes)
    with pytest.raises(DownloadError, match="404"):
        install(item.id, catalog_entry=item, retries=3, backoff=0.01)
    assert len(server.requests_for("/missing.onnx")) == 1
    _no_model_left(store, item.id)


def test_a_stalled_server_times_out_and_is_retried(tmp_path, server):
    server.rules["/s.onnx"] = Rule(BODY, stall_s=2.0)
    with pytest.raises(DownloadError, match="2 attempts"):
        fetch(server.url("/s.onnx"), tmp_path / "s.part", size=len(BODY), retries=1,
              backoff=0.01, timeout=0.3)  # fmt: skip
    assert len(server.requests_for("/s.onnx")) == 2


def test_cancel_stops_the_download_and_installs_nothing(store, server, detector_bytes):
    server.rules["/d.onnx"] = Rule(detector_bytes, trickle_s=0.01)
    item = onnx_entry(server.url("/d.onnx"), detector_bytes)
    cancel = CancelToken()
    with pytest.raises(Cancelled):
        install(item.id, catalog_entry=item, cancel=cancel, progress=lambda _p: cancel.cancel())
    _no_model_left(store, item.id)


def test_the_system_proxy_is_used(store, server, detector_bytes, monkeypatch):
    server.rules["/d.onnx"] = Rule(detector_bytes)
    monkeypatch.setenv("http_proxy", server.base)
    monkeypatch.setenv("no_proxy", "")
    item = onnx_entry("http://models.example.invalid/d.onnx", detector_bytes)
    done = install(item.id, catalog_entry=item)
    assert done.folder.is_dir()
    assert server.requests_for("/d.onnx")[0].absolute  # asked through the proxy


def test_free_space_is_checked_before_the_first_byte(store, server, detector_bytes, monkeypatch):
    server.rules["/d.onnx"] = Rule(detector_bytes)
    monkeypatch.setattr(download_module, "MARGIN_BYTES", 1 << 60)
    item = onnx_entry(server.url("/d.onnx"), detector_bytes)
    with pytest.raises(DiskSpaceError, match="Not enough free disk space"):
        install(item.id, catalog_entry=item)
    assert server.requests_for("/d.onnx") == []


@pytest.fixture
def small_disk(tmp_path):
    """A 2 MB tmpfs when mount is permitted (root); None otherwise."""
    folder = tmp_path / "small"
    folder.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(folder)],
        capture_output=True, check=False,
    ).returncode == 0  # fmt: skip
    yield folder if mounted else None
    if mounted:
        subprocess.run(["umount", str(folder)], check=False)


DISK_FULL_CHILD = """
import json, resource, signal, sys
from dataclasses import replace
from engine.store.catalog import entry
from engine.store.errors import DiskSpaceError
from engine.store.install import install
url, size, limit = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
if limit:
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
download = {"url": url, "format": "onnx", "file": "big.onnx", "size_bytes": 1000,
            "size_exact": False, "published": None, "sha256": None}
item = replace(entry("mdv5a"), id="big", download=download)
try:
    install("big", catalog_entry=item, retries=0, backoff=0.01)
except DiskSpaceError as error:
    print(json.dumps({"error": str(error)}))
"""


def test_a_disk_that_fills_up_during_the_download(small_disk, server, tmp_path, monkeypatch):
    """A 2 MB tmpfs where mount works; otherwise RLIMIT_FSIZE in a child plays the full disk."""
    big = os.urandom(3 * 1024 * 1024)
    server.rules["/big.onnx"] = Rule(big)
    data = small_disk if small_disk is not None else tmp_path / "data"
    limit = 0 if small_disk is not None else 1024 * 1024
    env = {**os.environ, "OCELOTE_DATA_DIR": str(data), "PYTHONPATH": str(REPO)}
    code = "from engine.store import download; download.MARGIN_BYTES = 0\n" + DISK_FULL_CHILD
    result = subprocess.run(
        [sys.executable, "-c", code, server.url("/big.onnx"), str(len(big)), str(limit)],
        capture_output=True, text=True, env=env, cwd=REPO, timeout=60, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "The disk is full" in json.loads(result.stdout.strip().splitlines()[-1])["error"]
    assert not (data / "models" / "big").exists()

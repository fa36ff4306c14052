"""Installing from the catalog: a kill at any moment leaves no half-installed model; a
publisher's zip becomes a card with labels; no published checksum means the first install
records one and later copies are checked against it."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import pytest

from engine.models.store import find_card
from engine.store.catalog import entry
from engine.store.errors import ChecksumError
from engine.store.install import install
from engine.store.staging import DOWNLOADS, STAGING, TRASH, clean_leftovers, commit, new_stage
from engine.store.verify import verify_folder
from tests.engine.store.conftest import onnx_entry, sparrow_zip, zenodo_api
from tests.engine.store.http_server import Rule

REPO = Path(__file__).resolve().parents[3]

KILL_CHILD = """
import sys
from tests.engine.store.conftest import onnx_entry
from engine.store.install import install
body_len = int(sys.argv[2])
item = onnx_entry(sys.argv[1], b"", size_bytes=body_len, published=None)
install(item.id, catalog_entry=item, retries=0)
print("installed")
"""


def test_a_kill_during_the_download_then_a_restart(store, server, detector_bytes):
    server.rules["/d.onnx"] = Rule(detector_bytes, trickle_s=0.02)
    env = {**os.environ, "OCELOTE_DATA_DIR": str(store.parent), "PYTHONPATH": str(REPO)}
    child = subprocess.Popen(
        [sys.executable, "-c", KILL_CHILD, server.url("/d.onnx"), str(len(detector_bytes))],
        cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip
    part = store / DOWNLOADS / "test-det" / "det.onnx.part"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and (not part.exists() or part.stat().st_size < 8192):
        time.sleep(0.02)
    child.send_signal(signal.SIGKILL)
    child.wait(10)
    have = part.stat().st_size
    assert 0 < have < len(detector_bytes)
    assert not (store / "test-det").exists()
    with pytest.raises(KeyError):
        find_card("test-det")
    server.rules["/d.onnx"] = Rule(detector_bytes)
    item = onnx_entry(server.url("/d.onnx"), detector_bytes)
    done = install(item.id, catalog_entry=item)
    assert server.requests_for("/d.onnx")[-1].range == f"bytes={have}-"
    card = find_card("test-det")
    assert card.kind == "detector" and card.raw["output"]["layout"] == "yolov5"
    assert card.variants[0].sha256 == done.sha256
    assert not (store / DOWNLOADS / "test-det").exists()


def test_a_kill_between_the_two_renames_puts_the_old_model_back(store, server, detector_bytes):
    server.rules["/d.onnx"] = Rule(detector_bytes)
    item = onnx_entry(server.url("/d.onnx"), detector_bytes)
    install(item.id, catalog_entry=item)
    # what a kill leaves after commit() set the old model aside but before the new one moved in
    stage = new_stage(store, item.id)
    aside_holder = store / TRASH / "killed"
    aside_holder.mkdir(parents=True)
    (store / item.id).rename(aside_holder / item.id)
    clean_leftovers(store)
    assert not stage.exists() and not (store / TRASH / "killed").exists()
    verify_folder(store / item.id)
    assert find_card(item.id).id == item.id


def test_commit_replaces_a_model_in_one_step(store, tmp_path):
    old = store / "m"
    old.mkdir(parents=True)
    (old / "a").write_text("old")
    stage = new_stage(store, "m")
    (stage / "a").write_text("new")
    commit(stage, old)
    assert (old / "a").read_text() == "new"
    assert not any((store / STAGING).iterdir()) and not any((store / TRASH).iterdir())


LABELS = "Dasyprocta\nHuman\nPecari\nUnknown\n"


def test_a_publisher_zip_is_verified_unpacked_and_carded(store, server, classifier_bytes):
    key = "camera_trap__classifier__Tiny-Amazon.zip"
    body = sparrow_zip("Tiny-Amazon", LABELS, classifier_bytes)
    server.rules["/files/" + key] = Rule(body)
    server.rules["/api/records/1"] = Rule(zenodo_api(key, body))
    base = entry("ai4g-amazon-v2")
    download = {
        **base.download, "url": server.url("/files/" + key), "zip_root": "Tiny-Amazon",
        "file": key, "size_bytes": len(body),
        "published": {**base.download["published"], "from_api": server.url("/api/records/1"),
                      "key": key},
    }  # fmt: skip
    item = replace(base, id="tiny-amazon", download=download)
    done = install(item.id, catalog_entry=item)
    assert "MD5" in done.checked_against and not done.first_record
    card = find_card("tiny-amazon")
    assert card.kind == "classifier" and len(card.labels) == 4
    assert card.input_name == "input" and card.output_name == "logits"  # read from the graph
    assert card.labels[0].taxonomy.genus == "dasyprocta"
    assert card.labels[1].group == "people"
    assert (
        card.raw["variants"][0]["published"]["value"]
        == zenodo_api(key, body).decode().split("md5:")[1].split('"')[0]
    )
    assert (done.folder / "publisher" / "manifest.toml").is_file()
    assert card.raw["license"]["spdx"] == "MIT"


def test_a_zip_whose_model_is_not_the_manifests_is_refused(store, server, classifier_bytes):
    key = "z.zip"
    body = sparrow_zip("Tiny", LABELS, classifier_bytes, sha256="0" * 64)  # the manifest lies
    server.rules["/z.zip"] = Rule(body)
    base = entry("ai4g-amazon-v2")
    download = {**base.download, "url": server.url("/z.zip"), "zip_root": "Tiny", "file": key,
                "size_bytes": len(body), "published": None}  # fmt: skip
    item = replace(base, id="tiny", download=download)
    with pytest.raises(ChecksumError, match="publisher's manifest"):
        install(item.id, catalog_entry=item)
    assert not (store / "tiny").exists()
    assert not any((store / STAGING).iterdir())


def test_no_published_checksum_first_install_records_it(store, server, detector_bytes):
    server.rules["/d.onnx"] = Rule(detector_bytes)
    item = onnx_entry(server.url("/d.onnx"), detector_bytes, published=None, size_exact=False)
    first = install(item.id, catalog_entry=item)
    assert first.first_record
    recorded = json.loads((store / ".recorded.json").read_text())["test-det"]
    assert recorded["sha256"] == first.sha256
    # the file on the server changes: the next install refuses it
    server.rules["/d.onnx"] = Rule(detector_bytes[:-1] + b"\x00")
    with pytest.raises(ChecksumError, match="recorded on"):
        install(item.id, catalog_entry=item)
    verify_folder(store / "test-det")  # the installed copy is untouched

"""Fixtures of the store's tests: a private store per test, a loopback server, tiny models."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest

from engine.store.catalog import CatalogEntry, entry
from tests.engine.store.http_server import ModelServer
from tests.engine.store.onnx_builders import tiny_classifier, tiny_detector


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A store of this test's own: `$OCELOTE_DATA_DIR/models`."""
    data = tmp_path / "user-data"
    monkeypatch.setenv("OCELOTE_DATA_DIR", str(data))
    return data / "models"


@pytest.fixture
def server() -> ModelServer:
    running = ModelServer().start()
    yield running
    running.stop()


@pytest.fixture(scope="session")
def detector_bytes(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    path = tiny_detector(tmp_path_factory.mktemp("onnx") / "det.onnx", size=64, extra_bytes=400_000)
    return path.read_bytes()


def onnx_entry(url: str, body: bytes, **download) -> CatalogEntry:
    """A catalog entry like MegaDetector v5a's, pointing at the loopback server."""
    base = entry("mdv5a")
    fields = {
        "url": url, "format": "onnx", "file": "det.onnx", "size_bytes": len(body),
        "size_exact": True, "published": {"algorithm": "md5",
                                          "value": hashlib.md5(body).hexdigest(), "source": "test"},
        "sha256": None,
    }  # fmt: skip
    return replace(base, id="test-det", name="Test detector", download={**fields, **download})


def sparrow_zip(
    root: str, labels: str, onnx_bytes: bytes, method: str = "softmax", sha256: str | None = None
) -> bytes:
    """A zip laid out like the SPARROW Engine zoo's: <root>/model.onnx, labels.txt, manifest."""
    manifest = (
        f'[model]\nid = "{root}"\nformat = "onnx"\nfile = "model.onnx"\n'
        f'onnx_sha256 = "{sha256 or hashlib.sha256(onnx_bytes).hexdigest()}"\n'
        f"onnx_size_bytes = {len(onnx_bytes)}\n\n"
        f'[postprocessing]\nmethod = "{method}"\n\n'
        '[labels]\nfile = "labels.txt"\nformat = "one_per_line"\n'
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as bundle:
        bundle.writestr(f"{root}/model.onnx", onnx_bytes)
        bundle.writestr(f"{root}/labels.txt", labels)
        bundle.writestr(f"{root}/manifest.toml", manifest)
        bundle.writestr(f"{root}/LICENSE.md", "MIT License (test)\n")
    return buffer.getvalue()


def zenodo_api(key: str, body: bytes) -> bytes:
    """The Zenodo record API's answer: files[] with key, size and "md5:…" checksum."""
    md5 = hashlib.md5(body).hexdigest()
    files = [{"key": key, "size": len(body), "checksum": f"md5:{md5}"}]
    return json.dumps({"files": files}).encode()


@pytest.fixture(scope="session")
def classifier_bytes(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    return tiny_classifier(tmp_path_factory.mktemp("onnx") / "cls.onnx", classes=4).read_bytes()

"""`ocelote models …` end to end, against a catalog whose entry points at the loopback server."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from engine.cli import main
from engine.store import catalog
from tests.engine.store.http_server import Rule

REPO = Path(__file__).resolve().parents[3]
STANDIN = REPO / "tests" / "data" / "models" / "standin-species"


@pytest.fixture
def loopback_catalog(tmp_path, monkeypatch, server, detector_bytes) -> dict:
    """The shipped catalog plus one detector served on loopback, with no published checksum."""
    server.rules["/d.onnx"] = Rule(detector_bytes)
    data = json.loads(catalog.CATALOG_FILE.read_text(encoding="utf-8"))
    item = dict(data["models"][0])
    item.update(id="loop-det", name="Loopback detector")
    item["download"] = {
        "url": server.url("/d.onnx"), "format": "onnx", "file": "d.onnx",
        "size_bytes": len(detector_bytes), "size_exact": True, "published": None, "sha256": None,
    }  # fmt: skip
    data["models"].append(item)
    path = tmp_path / "catalog.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    monkeypatch.setattr(catalog, "CATALOG_FILE", path)
    return item


def test_list_json_shows_installed_and_catalog(store, capsys):
    assert main(["models", "list", "--json"]) == 0
    rows = {row["id"]: row for row in json.loads(capsys.readouterr().out)}
    assert rows["efficientnet-lite0-imagenet"]["installed"] is True
    for model_id in ("mdv5a", "mdv1000-redwood", "mdv6-yolov10-c", "ai4g-amazon-v2",
                     "speciesnet-crop", "mdv6-mit-yolov9-c", "mdv6-apa-rtdetr-c"):  # fmt: skip
        assert rows[model_id]["installed"] is False
        assert set(rows[model_id]) >= {"kind", "name", "license", "size_bytes", "recommended"}
    assert any(row["recommended"] and row["kind"] == "detector" for row in rows.values())


def test_install_pack_remove_import_verify(store, loopback_catalog, detector_bytes, tmp_path,
                                           capsys):  # fmt: skip
    assert main(["models", "install", "loop-det", "--yes"]) == 0
    out = capsys.readouterr().out
    sha = hashlib.sha256(detector_bytes).hexdigest()
    assert f"recorded SHA-256 {sha}" in out
    assert main(["models", "import", str(STANDIN)]) == 0
    pack = tmp_path / "usb" / "station.zip"
    assert main(["models", "pack", "loop-det", "standin-species", "--out", str(pack)]) == 0
    assert main(["models", "remove", "loop-det"]) == 0
    assert main(["models", "remove", "standin-species"]) == 0
    capsys.readouterr()
    (store / ".recorded.json").unlink()  # the pack goes to a PC that never downloaded it
    assert main(["models", "import", str(pack)]) == 0
    assert "Imported loop-det" in capsys.readouterr().out
    assert json.loads((store / ".recorded.json").read_text())["loop-det"]["sha256"] == sha
    assert main(["models", "verify"]) == 0
    (store / "loop-det" / "d.onnx").write_bytes(b"0" * len(detector_bytes))
    assert main(["models", "verify"]) == 1
    assert "loop-det: DOES NOT VERIFY" in capsys.readouterr().out


def test_install_of_an_unknown_id_is_a_usage_error(store, capsys):
    assert main(["models", "install", "no-such-model", "--yes"]) == 2
    assert "not in the catalog" in capsys.readouterr().err


def test_bare_onnx_import_from_flags(store, tmp_path, capsys):
    from tests.engine.store.onnx_builders import tiny_classifier

    path = tiny_classifier(tmp_path / "c.onnx", classes=2)
    labels = tmp_path / "labels.txt"
    labels.write_text("Ocelot\nBlank\n", encoding="utf-8")
    code = main(["models", "import", str(path), "--id", "c", "--name", "C",
                 "--labels", str(labels), "--license", "MIT"])  # fmt: skip
    assert code == 0
    out = capsys.readouterr().out
    assert "Proposed: classifier, layout logits" in out and "Imported c" in out

"""The Models page and the first-start panel, with real widgets, a real loopback download and
the stand-in species pack."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from PySide6.QtWidgets import QLabel, QPushButton

from engine import i18n
from engine.store import catalog
from engine.store.importing import BareOnnxAnswers, import_path
from gui import first_start
from gui.first_start import FirstStartPanel, should_offer
from gui.models_page import ModelsPage
from gui.onnx_import_dialog import OnnxImportDialog
from tests.engine.store.http_server import ModelServer, Rule
from tests.engine.store.onnx_builders import tiny_detector

REPO = Path(__file__).resolve().parents[2]
STANDIN = REPO / "tests" / "data" / "models" / "standin-species"


@pytest.fixture
def store(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("OCELOTE_DATA_DIR", str(tmp_path / "user-data"))
    return tmp_path / "user-data" / "models"


@pytest.fixture
def loopback(tmp_path, monkeypatch):
    """A catalog with one more detector, served slowly enough to watch and cancel."""
    body = tiny_detector(tmp_path / "d.onnx", size=32, extra_bytes=300_000).read_bytes()
    server = ModelServer().start()
    server.rules["/d.onnx"] = Rule(body, trickle_s=0.002)
    data = json.loads(catalog.CATALOG_FILE.read_text(encoding="utf-8"))
    item = {**data["models"][0], "id": "loop-det", "name": "Loopback detector"}
    item["download"] = {"url": server.url("/d.onnx"), "format": "onnx", "file": "d.onnx",
                        "size_bytes": len(body), "size_exact": True, "published": None,
                        "sha256": None}  # fmt: skip
    data["models"].insert(0, item)
    path = tmp_path / "catalog.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    monkeypatch.setattr(catalog, "CATALOG_FILE", path)
    yield server
    server.stop()


def _names(table) -> list[str]:  # noqa: ANN001
    return [table.item(row, 0).text() for row in range(table.rowCount())]


def test_the_page_lists_installed_models_and_the_catalog(qtbot, store):
    page = ModelsPage()
    qtbot.addWidget(page)
    assert "EfficientNet-Lite0 (ImageNet-1k)" in _names(page.installed)
    assert "MegaDetector v5a" in _names(page.catalog)
    assert isinstance(page.install_buttons["speciesnet-crop"], QPushButton)
    assert "free" in page.disk.text()


def test_install_shows_progress_and_lands_in_the_installed_list(qtbot, store, loopback):
    page = ModelsPage()
    qtbot.addWidget(page)
    page.start_install("loop-det")
    assert not page.install_buttons["mdv5a"].isEnabled()
    qtbot.waitUntil(lambda: " of " in page.status.text(), timeout=20000)
    assert "/s" in page.status.text() and "left" in page.status.text()
    qtbot.waitUntil(lambda: page.task is None, timeout=30000)
    assert "recorded SHA-256" in page.status.text()
    assert "Loopback detector" in _names(page.installed)
    assert "Loopback detector" not in _names(page.catalog)


def test_cancel_keeps_nothing_installed(qtbot, store, loopback):
    loopback.rules["/d.onnx"].trickle_s = 0.05
    page = ModelsPage()
    qtbot.addWidget(page)
    page.start_install("loop-det")
    qtbot.waitUntil(lambda: page.progress.maximum() > 0, timeout=20000)
    page.cancel_button.click()
    qtbot.waitUntil(lambda: page.task is None, timeout=30000)
    assert "Cancelled" in page.status.text()
    assert not (store / "loop-det").exists()
    assert page.install_buttons["loop-det"].isEnabled()


def test_a_failed_download_says_why(qtbot, store, loopback):
    loopback.rules["/d.onnx"].status = 404
    page = ModelsPage()
    qtbot.addWidget(page)
    page.start_install("loop-det")
    qtbot.waitUntil(lambda: page.task is None, timeout=30000)
    assert "404" in page.status.text()


def test_import_and_pack_from_the_page(qtbot, store, tmp_path):
    page = ModelsPage()
    qtbot.addWidget(page)
    page.import_from(STANDIN)
    qtbot.waitUntil(lambda: page.task is None, timeout=30000)
    assert "Stand-in species classifier (tests)" in _names(page.installed)
    row = _names(page.installed).index("Stand-in species classifier (tests)")
    page.installed.selectRow(row)
    assert page.selected_ids() == ["standin-species"]
    out = tmp_path / "usb" / "pack.zip"
    page.pack_to(page.selected_ids(), out)
    qtbot.waitUntil(lambda: page.task is None, timeout=30000)
    assert "standin-species/card.json" in zipfile.ZipFile(out).namelist()
    assert "Wrote" in page.status.text()


def test_the_onnx_dialog_proposes_kind_and_layout(qtbot, tmp_path):
    dialog = OnnxImportDialog(tiny_detector(tmp_path / "my_det.onnx"))
    qtbot.addWidget(dialog)
    answers = dialog.answers()
    assert (answers.model_id, answers.kind, answers.layout) == ("my-det", "detector", "yolov5")
    texts = " ".join(label.text() for label in dialog.findChildren(QLabel))
    assert "images [1, 3, 32, 32]" in texts and "output0 [1, 1024, 8]" in texts


def test_first_start_panel_offers_a_detector_with_size_and_licence(qtbot, store):
    assert should_offer()
    panel = FirstStartPanel(has_gpu=False)
    qtbot.addWidget(panel)
    text = panel.explain.text()
    assert "empty frames" in text and "people and vehicles" in text
    assert panel.detector.name in text and panel.detector.spdx in text
    assert "9 MB" in panel.download_button.text()
    assert "cannot tell an empty frame" in panel.basic_note.text()
    panel.basic_button.click()
    assert panel.choice == "basic" and not should_offer()  # asked once


def test_first_start_panel_in_spanish(qtbot, store):
    i18n.set_language("es")
    panel = FirstStartPanel(has_gpu=True)
    qtbot.addWidget(panel)
    assert "vacías" in panel.explain.text()
    assert panel.detector.needs_gpu
    assert panel.basic_button.text() == "Continuar con el modelo básico"


def test_no_panel_once_a_detector_is_installed(qtbot, store, tmp_path):
    import_path(tiny_detector(tmp_path / "d.onnx"), BareOnnxAnswers("det", "Det"))
    assert first_start.detector_installed()
    assert not should_offer()


def test_the_panel_at_start_up_leads_to_the_models_page(qtbot, store, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QFileDialog

    from gui.app import build_window

    stick = tmp_path / "usb" / "standin.zip"
    stick.parent.mkdir()
    with zipfile.ZipFile(stick, "w") as bundle:
        for path in STANDIN.iterdir():
            bundle.write(path, path.name)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *_a, **_k: (str(stick), ""))
    window = build_window()
    qtbot.addWidget(window)
    panel = first_start.offer(window)
    assert panel is not None and panel.isVisible()
    panel.import_button.click()
    page = window.models_page
    assert window.current_page() is page
    qtbot.waitUntil(lambda: page.task is None, timeout=30000)
    assert "Stand-in species classifier (tests)" in _names(page.installed)
    assert first_start.offer(window) is None  # asked once

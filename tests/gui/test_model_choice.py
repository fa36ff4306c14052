"""A model installed in the store (e.g. trained on the park's photos) can run the window."""

import shutil

from PySide6.QtWidgets import QMessageBox

from engine.models.store import find_card, install_model
from gui.app import build_window
from gui.settings import Settings
from gui.settings_dialog import SettingsDialog


def install_park_model(tmp_path):
    folder = tmp_path / "park-model"
    shutil.copytree(find_card().folder, folder)
    card_json = (folder / "card.json").read_text(encoding="utf-8")
    card_json = card_json.replace("efficientnet-lite0-imagenet", "park-window-test")
    (folder / "card.json").write_text(card_json.replace("EfficientNet-Lite0", "Park model"))
    return install_model(folder)


def test_settings_choose_the_model_and_the_window_uses_it(qtbot, tmp_path, monkeypatch):
    park = install_park_model(tmp_path)
    dialog = SettingsDialog(Settings(), find_card())
    qtbot.addWidget(dialog)
    dialog.model.setCurrentIndex(dialog.model.findData(park.id))
    offered = {dialog.variant.itemData(i) for i in range(dialog.variant.count())}
    assert {"auto", "fp32", "fp16", "int8"} <= offered and "ncnn" not in offered
    monkeypatch.setattr(QMessageBox, "information", lambda *args: None)
    dialog.accept()
    assert dialog.model_changed and Settings().model_id == park.id
    window = build_window(Settings())
    qtbot.addWidget(window)
    assert window.card.id == park.id


def test_a_removed_model_falls_back_to_the_bundled_one(qtbot):
    settings = Settings()
    settings.model_id = "no-such-model"
    window = build_window(settings)
    qtbot.addWidget(window)
    assert window.card.id == find_card().id

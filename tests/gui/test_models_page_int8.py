"""The Models page shows a detector's INT8 made on the user's photos, with its measurement."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from engine.models.store import find_card
from engine.optimize.detector.make import DetectorRequest, keep_detector_int8, make_detector_int8
from engine.store.importing import import_path
from gui.models_page import ModelsPage
from tests.engine.optimize.scenes import write_photos

PACK = Path(__file__).resolve().parents[2] / "tests" / "data" / "models" / "standin-det-trained"


def test_the_installed_detector_row_says_int8_made_on_your_photos(qtbot, tmp_path, monkeypatch):
    monkeypatch.setenv("OCELOTE_DATA_DIR", str(tmp_path / "user-data"))
    import_path(PACK)
    write_photos(tmp_path / "photos", 60, seed=11)
    candidate = make_detector_int8(
        find_card("standin-det-trained"), DetectorRequest(tmp_path / "photos", 60, 0.1)
    )
    m = candidate.measurement
    # The keep path needs an offered measurement; the speed is stated (1.6x), the agreement
    # is the one measured on the held-out photos.
    stated = replace(m, int8_images_per_second=m.fp32_images_per_second * 1.6, faster=True)
    assert stated.agrees
    keep_detector_int8(replace(candidate, measurement=stated))
    page = ModelsPage()
    qtbot.addWidget(page)
    rows = {
        page.installed.item(r, 0).text(): page.installed.item(r, 4).text()
        for r in range(page.installed.rowCount())
    }
    text = rows["Stand-in detector trained on synthetic scenes (yolov5 layout)"]
    assert "INT8 made on your photos: 1.6x faster, agrees" in text
    assert m.cpu in text

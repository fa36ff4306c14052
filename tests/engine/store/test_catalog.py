"""The shipped catalog: every entry says where its file comes from, how its checksum was found
(or that none is published), its licence in words where it binds, and what it is for."""

from __future__ import annotations

import re

import pytest

from engine.store.catalog import entries, recommended

COPYLEFT_OR_NC = re.compile(r"GPL|NC")
REQUIRED = {
    "mdv5a", "mdv1000-redwood", "mdv6-yolov10-c", "mdv6-yolov9-c", "mdv1000-spruce",
    "mdv6-mit-yolov9-c", "mdv6-apa-rtdetr-c", "ai4g-amazon-v2", "speciesnet-crop",
}  # fmt: skip


def test_the_catalog_holds_the_models_the_field_uses():
    assert {item.id for item in entries()} >= REQUIRED


@pytest.mark.parametrize("item", entries(), ids=lambda item: item.id)
def test_each_entry_is_complete(item):
    download = item.download
    assert download["url"].startswith("https://")
    assert download["format"] in ("onnx", "zip") and download["size_bytes"] > 0
    published = download.get("published")
    if published:
        assert published["algorithm"] in ("md5", "sha256") and published["source"]
        assert published.get("value") or published.get("from_api")
    else:
        assert download.get("sha256_source"), "say where the checksum comes from, or that none"
    for language in ("en", "es"):
        assert item.purpose[language] and item.speed[language]
    if COPYLEFT_OR_NC.search(item.spdx):
        assert item.license["plain"]["en"] and item.license["plain"]["es"]
    if item.kind == "detector":
        card = item.card
        assert card["output"]["layout"] in ("yolov5", "ultralytics", "e2e", "rtdetr")
        assert card["categories"] == ["animal", "person", "vehicle"]
        assert {"floor", "typical", "nms_iou"} <= set(card["thresholds"])
        assert card["input"]["resize"] == "letterbox" and card["input"]["stride"] in (32, 64)


def test_a_pc_without_a_gpu_is_offered_a_light_detector_and_one_with_a_gpu_a_heavy_one():
    light = [i.id for i in entries() if i.kind == "detector" and recommended(i, False)]
    heavy = [i.id for i in entries() if i.kind == "detector" and recommended(i, True)]
    assert "mdv6-yolov10-c" in light and "mdv5a" not in light
    assert "mdv1000-redwood" in heavy and "mdv6-yolov10-c" not in heavy

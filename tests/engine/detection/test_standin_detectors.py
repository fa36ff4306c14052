"""The committed stand-in detector packs: real ONNX graphs whose boxes on given photos are
known, run through Ocelote's decoding, letterbox and detector runtime (one per layout)."""

import hashlib
import importlib.util
import json

import numpy as np
import onnx
import pytest
from PIL import Image

from engine.detection.runtime import DetectorRuntime
from engine.detection.stage import decode_for_detector
from engine.models.card import load_card
from tests.engine.detection.standin_packs import LAYOUTS, PACKS, REPO, scene


def _script():
    """packaging/models/make_standin_detectors.py (`packaging` is also a PyPI package name)."""
    path = REPO / "packaging" / "models" / "make_standin_detectors.py"
    spec = importlib.util.spec_from_file_location("make_standin_detectors", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


TOLERANCE = 0.006  # of the photo's side: JPEG ringing and resampling at a patch's edge


def runtime(layout: str) -> DetectorRuntime:
    card = load_card(PACKS / f"standin-det-{layout}")
    return DetectorRuntime(card, card.variant("fp32"))


def detect_file(layout: str, path) -> list:
    rt = runtime(layout)
    photo = decode_for_detector(path, rt.spec, 1280)
    return rt.detect([photo.tensor], [photo.placement])[0]


@pytest.mark.parametrize("layout", LAYOUTS)
def test_pack_is_what_the_script_makes_and_its_card_checksum_holds(layout):
    folder = PACKS / f"standin-det-{layout}"
    card = json.loads((folder / "card.json").read_text(encoding="utf-8"))
    (variant,) = card["variants"]
    data = (folder / variant["file"]).read_bytes()
    assert hashlib.sha256(data).hexdigest() == variant["sha256"]
    assert card["schema"] == 2 and card["kind"] == "detector"
    assert card["output"]["layout"] == layout
    assert (
        _script().build(layout).SerializeToString()
        == onnx.load(folder / variant["file"]).SerializeToString()
    )


@pytest.mark.parametrize("layout", LAYOUTS)
def test_known_boxes_on_a_synthetic_photo(tmp_path, layout):
    path = tmp_path / "scene.jpg"
    truth = scene(path, (800, 600), {"animal": (400, 100, 500, 300), "person": (100, 400, 200, 450),
                                     "vehicle": (600, 420, 760, 560)})  # fmt: skip
    found = detect_file(layout, path)
    confident = {box.category: box for box in found if box.conf >= 0.2}
    assert set(confident) == {"animal", "person", "vehicle"}
    assert [confident[c].conf for c in ("animal", "person", "vehicle")] == pytest.approx(
        [0.9, 0.8, 0.7], abs=1e-5
    )
    for category, box in truth.items():
        assert confident[category].box == pytest.approx(box, abs=TOLERANCE)
    # NMS removed the larger duplicate; class-wise NMS kept the low "person" on the animal;
    # the 0.005 box is below the card's floor
    low = [box for box in found if box.conf < 0.2]
    assert [(b.category, b.conf) for b in low] == [("person", pytest.approx(0.03))]
    assert len(found) == 4


@pytest.mark.parametrize("layout", LAYOUTS)
def test_empty_photo_has_no_box(tmp_path, layout):
    path = tmp_path / "empty.jpg"
    scene(path, (640, 480), {})
    assert detect_file(layout, path) == []


@pytest.mark.parametrize("layout", ["yolov5", "rtdetr"])
def test_exif_rotated_photo_gives_boxes_on_the_upright_picture(tmp_path, layout):
    path = tmp_path / "rotated.jpg"
    truth = scene(path, (600, 800), {"animal": (50, 500, 250, 700)}, orientation=6)
    with Image.open(path) as stored:
        assert stored.size == (800, 600) and stored.getexif()[0x0112] == 6
    (animal, *_rest) = detect_file(layout, path)
    assert animal.category == "animal"
    assert animal.box == pytest.approx(truth["animal"], abs=TOLERANCE)


def test_real_trap_photo_with_a_known_patch(tmp_path, trap_images):
    source = trap_images / "megadetector_test_images"
    photo = sorted(source.glob("*.jpg"))[0]
    with Image.open(photo) as image:
        darkened = (np.asarray(image.convert("RGB"), dtype=np.float32) * 0.8).astype(np.uint8)
    height, width = darkened.shape[:2]
    patch = (width // 3, height // 2, width // 3 + width // 8, height // 2 + height // 6)
    path = tmp_path / "trap.jpg"
    truth = scene(path, (width, height), {"animal": patch}, background=darkened.copy())
    for layout in LAYOUTS:
        found = [box for box in detect_file(layout, path) if box.conf >= 0.2]
        assert [box.category for box in found] == ["animal"], layout
        assert found[0].box == pytest.approx(truth["animal"], abs=TOLERANCE), layout

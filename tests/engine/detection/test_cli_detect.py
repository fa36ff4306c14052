"""`ocelote classify --detector/--classifier/--threshold/--country`, `export --format
coco|boxes|crops --threshold` and `sort --by category|species` as a user runs them."""

import csv
import json
import subprocess
import sys

from tests.engine.detection.standin_packs import SPECIES_ID, scene


def ocelote(*args: str) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "engine", "--lang", "en", *args]
    return subprocess.run(command, capture_output=True, text=True, check=False)


def make_card(root):
    source = root / "card"
    source.mkdir()
    scene(source / "two.jpg", (800, 600),
          {"animal": (400, 100, 500, 300), "person": (100, 400, 200, 450)})  # fmt: skip
    scene(source / "empty.jpg", (640, 480), {})
    return source


def test_classify_with_a_detector_prints_counts_at_the_threshold(store, tmp_path):
    source, out = make_card(tmp_path), tmp_path / "out"
    result = ocelote("classify", str(source), "--out", str(out), "--detector",
                     "standin-det-yolov5", "--classifier", SPECIES_ID, "--country", "col",
                     "--threshold", "0.5")  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "At confidence 0.50: animal 1, person 0, vehicle 0, empty 1" in result.stdout
    assert "Species in the boxes: ocelot (1)" in result.stdout
    assert "Per group:" not in result.stdout
    document = json.loads((out / "results.json").read_text(encoding="utf-8"))
    assert document["info"]["detector"] == "Stand-in detector (yolov5 layout)"
    two = next(image for image in document["images"] if image["file"] == "two.jpg")
    assert [d["category"] for d in two["detections"]] == ["1", "2", "2"]  # every box >= floor
    with (out / "results.csv").open(encoding="utf-8-sig") as handle:
        rows = {row["file"]: row for row in csv.DictReader(handle)}
    assert rows["two.jpg"]["species"] == "ocelot" and rows["empty.jpg"]["answer"] == "empty"


def test_without_a_detector_the_summary_says_so(store, tmp_path):
    source = make_card(tmp_path)
    result = ocelote("classify", str(source), "--out", str(tmp_path / "o"), "--detector", "none")
    assert result.returncode == 0, result.stderr
    assert "First sort without boxes" in result.stdout and "Per group:" in result.stdout


def test_bad_detector_country_and_threshold_are_named(store, tmp_path):
    source = make_card(tmp_path)
    out = str(tmp_path / "o")
    missing = ocelote("classify", str(source), "--out", out, "--detector", "mdv5a")
    assert missing.returncode == 1 and "The detector mdv5a is not installed." in missing.stderr
    wrong = ocelote("classify", str(source), "--out", out, "--detector", SPECIES_ID)
    assert wrong.returncode == 1 and "is not a detector" in wrong.stderr
    country = ocelote("classify", str(source), "--out", out, "--country", "Colombia")
    assert country.returncode == 2 and "use three letters, e.g. COL" in country.stderr
    threshold = ocelote("classify", str(source), "--out", out, "--threshold", "20")
    assert threshold.returncode == 2 and "between 0 and 1" in threshold.stderr


def test_export_and_sort_take_a_threshold(store, tmp_path):
    source, out = make_card(tmp_path), tmp_path / "out"
    assert ocelote("classify", str(source), "--out", str(out), "--detector",
                   "standin-det-rtdetr", "--classifier", SPECIES_ID).returncode == 0  # fmt: skip
    coco = ocelote("export", str(out), "--format", "coco", "--threshold", "0.02")
    assert coco.returncode == 0, coco.stderr
    document = json.loads((out / "results-coco.json").read_text(encoding="utf-8"))
    assert document["info"]["threshold"] == 0.02 and len(document["annotations"]) == 4
    crops = ocelote("export", str(out), "--format", "crops", "--out", str(tmp_path / "crops"))
    assert crops.returncode == 0, crops.stderr
    assert sorted(p.parent.name for p in (tmp_path / "crops").rglob("*.jpg")) == [
        "Felidae", "person",
    ]  # fmt: skip
    into_photos = ocelote("export", str(out), "--format", "boxes", "--out", str(source / "b"))
    assert into_photos.returncode == 1 and not (source / "b").exists()
    sort = ocelote("sort", str(out), str(source), "--out", str(tmp_path / "sorted"), "--by",
                   "category", "--threshold", "0.95")  # fmt: skip
    assert sort.returncode == 0, sort.stderr
    assert sorted(p.name for p in (tmp_path / "sorted" / "empty").iterdir()) == [
        "empty.jpg", "two.jpg",
    ]  # fmt: skip

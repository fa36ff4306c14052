"""Exports from a run with boxes, each read at a threshold: COCO Camera Traps (loaded by
pycocotools), CSV and XLSX with per-category counts and species, Camtrap DP with bboxes
(validated against the vendored 1.0 schemas), pictures with boxes drawn, crops, and sorting
into folders by category or species."""

import csv
import json

import jsonschema
import numpy as np
import pytest
from openpyxl import load_workbook
from PIL import Image
from pycocotools.coco import COCO

from engine.models.store import find_card
from engine.pipeline.job import ClassifyJob, JobSettings
from engine.results.atomic import ExportError
from engine.results.db import ResultsDB
from engine.results.export_camtrapdp import SCHEMAS_DIR, CamtrapOptions
from engine.results.exporters import export
from engine.results.sort_copies import sort_copies
from tests.engine.detection.standin_packs import SPECIES_ID, scene
from tests.engine.results.test_export_camtrapdp import validate_tables


@pytest.fixture
def run(store, tmp_path):
    """A card of three photos classified with the stand-in detector and tiny classifier."""
    source = tmp_path / "card"
    (source / "cam1").mkdir(parents=True)
    scene(source / "cam1" / "two.jpg", (800, 600),
          {"animal": (400, 100, 500, 300), "person": (100, 400, 200, 450)})  # fmt: skip
    scene(source / "cam1" / "empty.jpg", (640, 480), {})
    scene(source / "car.jpg", (640, 480), {"vehicle": (320, 240, 480, 360)})
    out = tmp_path / "out"
    settings = JobSettings(source, out, model_id=SPECIES_ID, detector="standin-det-ultralytics")
    ClassifyJob(settings).run()
    db = ResultsDB(out / "results.sqlite")
    yield source, out, db
    db.close()


def write(db, name, path, **kwargs):
    return export(name, db, find_card(SPECIES_ID), path, **kwargs)


def test_coco_camera_traps_loads_in_pycocotools(run, tmp_path):
    _source, out, db = run
    path = write(db, "coco", out / "coco.json")
    coco = COCO(str(path))
    names = {c["name"]: c["id"] for c in coco.loadCats(coco.getCatIds())}
    by_file = {image["file_name"]: image["id"] for image in coco.loadImgs(coco.getImgIds())}
    two = coco.loadAnns(coco.getAnnIds(imgIds=[by_file["cam1/two.jpg"]]))
    assert sorted(coco.cats[a["category_id"]]["name"] for a in two) == ["Felidae", "person"]
    animal = next(a for a in two if a["category_id"] == names["Felidae"])
    assert animal["bbox"] == pytest.approx([400, 100, 100, 200], abs=5)
    assert animal["detection_category"] == "animal" and animal["scientific_name"] == "Felidae"
    (empty,) = coco.loadAnns(coco.getAnnIds(imgIds=[by_file["cam1/empty.jpg"]]))
    assert empty["category_id"] == names["empty"] and "bbox" not in empty
    # at a lower threshold the 0.03 "person" on the animal appears too
    low = COCO(str(write(db, "coco", out / "low.json", threshold=0.02)))
    assert len(low.getAnnIds(imgIds=[by_file["cam1/two.jpg"]])) == 3


def test_csv_has_per_category_counts_and_species_at_the_threshold(run):
    _source, out, db = run
    rows = {}
    for threshold in (None, 0.02, 0.95):
        path = write(db, "csv", out / f"r{threshold}.csv", threshold=threshold)
        with path.open(encoding="utf-8-sig") as handle:
            rows[threshold] = {row["file"]: row for row in csv.DictReader(handle)}
    two = rows[None]["cam1/two.jpg"]
    values = (two["threshold"], two["answer"], two["animals"], two["persons"])
    assert values == ("0.2", "animal", "1", "1")
    assert two["species"] == "Felidae" and two["scientific_names"] == "Felidae"
    assert rows[None]["car.jpg"]["answer"] == "vehicle"
    assert rows[None]["cam1/empty.jpg"]["answer"] == "empty"
    assert rows[0.02]["cam1/two.jpg"]["persons"] == "2"
    assert rows[0.95]["cam1/two.jpg"]["answer"] == "empty"


def test_xlsx_has_a_boxes_sheet_and_counts_at_the_threshold(run):
    _source, out, db = run
    book = load_workbook(write(db, "xlsx", out / "r.xlsx"), read_only=True)
    boxes = list(book["Boxes"].iter_rows(values_only=True))
    assert [(r[0], r[2], r[8]) for r in boxes[1:]] == [
        ("cam1/two.jpg", "animal", "Felidae"), ("cam1/two.jpg", "person", None),
        ("car.jpg", "vehicle", None),
    ]  # fmt: skip
    summary = {r[0]: r[1] for r in book["Summary"].iter_rows(values_only=True) if r}
    assert (summary["animal"], summary["vehicle"], summary["empty"]) == (1, 1, 1)


def test_camtrap_dp_observations_have_boxes_and_scientific_names(run):
    _source, out, db = run
    options = CamtrapOptions(utc_offset="-05:00", latitude=4.6, longitude=-74.1)
    path = write(db, "camtrapdp", out / "camtrap-dp", camtrap=options)
    report = validate_tables(path)
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    with (path / "observations.csv").open(encoding="utf-8") as handle:
        observations = list(csv.DictReader(handle))
    types = sorted(o["observationType"] for o in observations)
    assert types == ["animal", "blank", "human", "vehicle"]
    animal = next(o for o in observations if o["observationType"] == "animal")
    assert animal["scientificName"] == "Felidae"
    assert float(animal["classificationProbability"]) > 0.65
    box = [float(animal[k]) for k in ("bboxX", "bboxY", "bboxWidth", "bboxHeight")]
    assert box == pytest.approx([0.5, 1 / 6, 0.125, 1 / 3], abs=0.01)
    descriptor = json.loads((path / "datapackage.json").read_text(encoding="utf-8"))
    profile = json.loads((SCHEMAS_DIR / "camtrap-dp-profile.json").read_text("utf-8"))
    jsonschema.validate(descriptor, profile, format_checker=jsonschema.FormatChecker())
    assert {"scientificName": "Felidae"} in descriptor["taxonomic"]


def test_copies_with_boxes_drawn_and_crops(run, tmp_path):
    source, out, db = run
    drawn = write(db, "boxes", tmp_path / "drawn")
    assert sorted(p.relative_to(drawn).as_posix() for p in drawn.rglob("*.jpg")) == [
        "cam1/two.jpg", "car.jpg",
    ]  # fmt: skip
    picture = np.asarray(Image.open(drawn / "cam1" / "two.jpg"))
    original = np.asarray(Image.open(source / "cam1" / "two.jpg"))
    assert picture.shape == original.shape
    left_edge = picture[150:250, 400:402].astype(int)  # the animal box's left side, drawn red
    assert (left_edge[..., 0] - left_edge[..., 2]).mean() > 100
    crops = write(db, "crops", tmp_path / "crops")
    found = sorted(p.relative_to(crops).as_posix() for p in crops.rglob("*.jpg"))
    assert found == ["Felidae/cam1_two_0.jpg", "person/cam1_two_1.jpg", "vehicle/car_0.jpg"]
    with Image.open(crops / "Felidae" / "cam1_two_0.jpg") as crop:
        assert crop.size == pytest.approx((100, 200), abs=3)
    with pytest.raises(ExportError):
        write(db, "crops", source / "crops")  # never into the photos' folder


@pytest.mark.parametrize(("by", "threshold", "expected"), [
    ("category", None, ["animal_person/cam1/two.jpg", "empty/cam1/empty.jpg", "vehicle/car.jpg"]),
    ("category", 0.95, ["empty/cam1/empty.jpg", "empty/cam1/two.jpg", "empty/car.jpg"]),
    ("species", None, ["Felidae/cam1/two.jpg", "empty/cam1/empty.jpg", "vehicle/car.jpg"]),
])  # fmt: skip
def test_sort_by_category_or_species_at_a_threshold(run, tmp_path, by, threshold, expected):
    source, _out, db = run
    target = tmp_path / "sorted"
    report = sort_copies(db, source, target, by, threshold=threshold)
    assert report.failed == [] and report.copied == 3
    assert sorted(p.relative_to(target).as_posix() for p in target.rglob("*.jpg")) == expected

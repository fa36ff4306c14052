"""Detect, then classify, end to end: files -> boxes in the results database -> the
MegaDetector JSON that MegaDetector's own validator and postprocessing read."""

import csv
import json
import os
import shutil
from pathlib import Path

import cv2
import numpy as np
import pytest

from engine.detection.choose import pick_detector
from engine.media.video import VideoSampling
from engine.models.store import find_card
from engine.pipeline.job import ClassifyJob, JobSettings
from engine.results.boxes import boxes_at, category_counts, clip_summary, counts_at, run_models
from engine.results.db import ResultsDB
from engine.results.export_megadetector import export_megadetector
from engine.results.rows import BoxReview
from tests.engine.detection.md_tools import (
    SeparateDetectionsIntoFoldersOptions,
    convert_json_to_csv,
    separate_detections_into_folders,
    validate_batch_results,
)
from tests.engine.detection.standin_packs import LAYOUTS, REPO, SPECIES_ID, scene

TOLERANCE = 0.006
SCENE = {"animal": (400, 100, 500, 300), "person": (100, 400, 200, 450)}


def make_source(root: Path) -> tuple[Path, dict]:
    source = root / "card"
    (source / "cam1").mkdir(parents=True)
    truth = {
        "cam1/two.jpg": scene(source / "cam1" / "two.jpg", (800, 600), SCENE),
        "cam1/empty.jpg": scene(source / "cam1" / "empty.jpg", (640, 480), {}),
        "rotated.jpg": scene(source / "rotated.jpg", (600, 800),
                             {"animal": (50, 500, 250, 700)}, orientation=6),
    }  # fmt: skip
    (source / "broken.jpg").write_bytes(b"\xff\xd8\xff\xe0 not really a photo")
    return source, truth


def run_job(source: Path, out: Path, **settings) -> None:
    settings.setdefault("model_id", SPECIES_ID)
    ClassifyJob(JobSettings(source=source, out_dir=out, batch_size=4, **settings)).run()


def test_importing_megadetector_tools_leaves_pillow_strict():
    from PIL import ImageFile

    assert ImageFile.LOAD_TRUNCATED_IMAGES is False


def validated(path: Path) -> dict:
    results = validate_batch_results(str(path))["validation_results"]
    assert results["errors"] == [] and results["warnings"] == []
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("layout", LAYOUTS)
def test_boxes_from_files_to_database_to_megadetector_json(store, tmp_path, layout):
    source, truth = make_source(tmp_path)
    out = tmp_path / "out"
    run_job(source, out, detector=f"standin-det-{layout}")
    card = find_card(SPECIES_ID)
    with ResultsDB(out / "results.sqlite") as db:
        rows = {row.rel_path: row for row in db.iter_files()}
        document = validated(export_megadetector(db, card, out / "results.json"))
    assert rows["broken.jpg"].status == "error"
    assert rows["cam1/empty.jpg"].detections == ()
    for rel, boxes in truth.items():
        stored = {box.category: box for box in rows[rel].detections if box.conf >= 0.2}
        assert set(stored) == set(boxes), rel
        for category, box in boxes.items():
            assert stored[category].box == pytest.approx(box, abs=TOLERANCE)
            assert stored[category].model_id == f"standin-det-{layout}"
    animal = next(b for b in rows["cam1/two.jpg"].detections if b.category == "animal")
    assert [c[1] for c in animal.classifications][:2] == ["lion", "ocelot"]
    person = next(b for b in rows["cam1/two.jpg"].detections if b.conf == pytest.approx(0.8))
    assert person.classifications == ()  # people keep the detector's word

    images = {image["file"]: image for image in document["images"]}
    info = document["info"]
    assert info["detector_metadata"]["typical_detection_threshold"] == 0.2
    assert info["detector_metadata"]["conservative_detection_threshold"] == 0.05
    assert images["broken.jpg"]["detections"] is None and images["broken.jpg"]["failure"]
    two = images["cam1/two.jpg"]
    assert (two["width"], two["height"]) == (800, 600)
    first = two["detections"][0]
    assert first["category"] == "1" and first["bbox"] == pytest.approx(SCENE_BOX, abs=TOLERANCE)
    # below 0.65 the lion rolls up: Felidae (all cats) first, with its taxonomy
    rolled, *top5 = first["classifications"]
    assert document["classification_categories"][rolled[0]] == "Felidae"
    assert (
        document["classification_category_descriptions"][rolled[0]]
        == "mammalia;carnivora;felidae;;"
    )
    assert rolled[1] > 0.65 and [c[0] for c in top5][:2] == ["5", "0"]
    assert images["rotated.jpg"]["width"] == 600 and images["rotated.jpg"]["height"] == 800


SCENE_BOX = (0.5, 100 / 600, 0.125, 200 / 600)


def test_country_filter_colombia_gives_the_ocelot(store, tmp_path):
    source, _truth = make_source(tmp_path)
    out = tmp_path / "out"
    run_job(source, out, detector="standin-det-e2e", country="COL")
    with ResultsDB(out / "results.sqlite") as db:
        document = validated(export_megadetector(db, find_card(SPECIES_ID), out / "r.json"))
        animal = next(b for b in db.detections("cam1/two.jpg") if b.category == "animal")
    assert animal.classifications[0][1] == "ocelot" and animal.classifications[0][3] >= 0.65
    assert "lion" not in [c[1] for c in animal.classifications[:4]]
    two = next(image for image in document["images"] if image["file"] == "cam1/two.jpg")
    assert two["detections"][0]["classifications"][0][0] == "0"  # ocelot, not rolled up


def test_megadetector_postprocessing_reads_the_output(store, tmp_path):
    source, _truth = make_source(tmp_path)
    out = tmp_path / "out"
    run_job(source, out, detector="standin-det-ultralytics")
    with ResultsDB(out / "results.sqlite") as db:
        path = export_megadetector(db, find_card(SPECIES_ID), out / "results.json")
    options = SeparateDetectionsIntoFoldersOptions(0.2)
    options.results_file = str(path)
    options.base_input_folder = str(source)
    options.base_output_folder = str(tmp_path / "separated")
    options.allow_missing_files = True
    separate_detections_into_folders(options)
    separated = {p.relative_to(tmp_path / "separated").as_posix()
                 for p in (tmp_path / "separated").rglob("*.jpg")}  # fmt: skip
    assert "animal_person/cam1/two.jpg" in separated
    assert "animals/rotated.jpg" in separated
    assert "processing_failure/broken.jpg" in separated
    assert "empty/cam1/empty.jpg" in separated
    csv_path = tmp_path / "results.csv"
    convert_json_to_csv(str(path), str(csv_path), min_confidence=0.2)
    with csv_path.open(encoding="utf-8") as handle:
        table = {row["image_path"]: row for row in csv.DictReader(handle)}
    assert float(table["cam1/two.jpg"]["max_confidence"]) == pytest.approx(0.9)
    # its CSV form is [y_min, x_min, y_max, x_max, conf, category]
    first = json.loads(table["cam1/two.jpg"]["detections"])[0]
    assert first[:4] == pytest.approx([1 / 6, 0.5, 0.5, 0.625], abs=0.01)
    assert first[4:] == [pytest.approx(0.9), 1]


def test_thresholds_apply_when_reading(store, tmp_path):
    source, _truth = make_source(tmp_path)
    out = tmp_path / "out"
    run_job(source, out, detector="standin-det-yolov5")
    with ResultsDB(out / "results.sqlite") as db:
        models = run_models(db, find_card(SPECIES_ID))
        assert models.boxes_decide and models.typical == 0.2
        typical, low, high = (counts_at(db, models, t) for t in (0.2, 0.02, 0.95))
    assert typical.answers == {"animal": 2, "empty": 1}  # two.jpg's animal (0.9) beats its person
    assert typical.boxes == {"animal": 2, "person": 1}
    assert low.boxes == {"animal": 2, "person": 3}  # the 0.03 "person" on each animal
    assert high.answers == {"empty": 3}
    assert typical.species == {"Felidae": 2}


def test_box_reviews_sit_beside_the_machine_boxes(store, tmp_path):
    source, _truth = make_source(tmp_path)
    out = tmp_path / "out"
    run_job(source, out, detector="standin-det-rtdetr")
    with ResultsDB(out / "results.sqlite") as db:
        machine = db.detections("cam1/two.jpg")
        animal = next(b for b in machine if b.category == "animal")
        person = next(b for b in machine if b.conf == pytest.approx(0.8))
        db.add_box_review(BoxReview("cam1/two.jpg", animal.id, "relabel", label="ocelot"))
        rejected = db.add_box_review(BoxReview("cam1/two.jpg", person.id, "reject"))
        undone = boxes_at(machine, 0.2, ())
        db.undo_box_review(rejected)
        assert boxes_at(machine, 0.2, db.box_reviews("cam1/two.jpg"))[1].conf == undone[1].conf
        db.add_box_review(BoxReview("cam1/two.jpg", person.id, "reject"))
        db.add_box_review(BoxReview("cam1/empty.jpg", None, "add", "animal", "agouti",
                                    box=(0.1, 0.1, 0.2, 0.2)))  # fmt: skip
        db.add_box_review(BoxReview("rotated.jpg", None, "empty"))
        reviews = db.box_reviews("cam1/two.jpg")
        shown = boxes_at(machine, 0.2, reviews)
        assert [(b.category, b.label) for b in shown] == [("animal", "ocelot")]
        assert db.detections("cam1/two.jpg") == machine  # the machine's boxes stay
        counts = counts_at(db, run_models(db, find_card(SPECIES_ID)), 0.2)
        document = validated(export_megadetector(db, find_card(SPECIES_ID), out / "r.json"))
    assert counts.answers == {"animal": 2, "empty": 1}
    assert counts.species == {"ocelot": 1, "agouti": 1}
    names = document["classification_categories"]
    images = {image["file"]: image for image in document["images"]}
    (added,) = images["cam1/empty.jpg"]["detections"]
    assert added["conf"] == 1.0 and names[added["classifications"][0][0]] == "agouti"
    assert images["rotated.jpg"]["detections"] == []
    assert names[images["cam1/two.jpg"]["detections"][0]["classifications"][0][0]] == "ocelot"


def _clip(path: Path, frames: int = 12, fps: float = 4.0) -> None:
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), fps, (320, 240))
    for number in range(frames):
        frame = np.full((240, 320, 3), 40, np.uint8)
        if 4 <= number < 8:
            frame[60:140, 100 + 10 * number : 160 + 10 * number] = 255
        writer.write(frame)
    writer.release()


def test_video_frames_get_boxes_and_a_clip_summary(store, tmp_path):
    source = tmp_path / "clips"
    source.mkdir()
    _clip(source / "walk.avi")
    out = tmp_path / "out"
    sampling = VideoSampling(every_s=0.25, max_frames=20, motion_frames=0)
    run_job(source, out, detector="standin-det-ultralytics", video=sampling)
    card = find_card(SPECIES_ID)
    with ResultsDB(out / "results.sqlite") as db:
        (row,) = list(db.iter_files())
        document = validated(export_megadetector(db, card, out / "r.json"))
    animals = [b for b in row.detections if b.category == "animal" and b.conf >= 0.2]
    assert sorted(b.frame_number for b in animals) == [4, 5, 6, 7]
    frame5 = next(b for b in animals if b.frame_number == 5)
    assert frame5.box == pytest.approx((150 / 320, 60 / 240, 60 / 320, 80 / 240), abs=0.01)
    assert category_counts(boxes_at(row.detections, 0.2)) == {"animal": 1}  # one, in 4 frames
    (summary,) = clip_summary(row, 0.2, card)
    assert (summary.category, summary.frames, summary.species) == ("animal", 4, ("Felidae",))
    (clip,) = document["images"]
    assert clip["frames_processed"] == list(range(12))
    assert {d["frame_number"] for d in clip["detections"] if d["conf"] >= 0.2} == {4, 5, 6, 7}


def test_without_a_detector_the_output_says_it_has_no_boxes(store, tmp_path):
    source, _truth = make_source(tmp_path)
    out = tmp_path / "out"
    run_job(source, out, detector="none", model_id=None)
    with ResultsDB(out / "results.sqlite") as db:
        assert not run_models(db, find_card()).boxes_decide
        document = validated(export_megadetector(db, find_card(), out / "r.json"))
    assert "without boxes" in document["info"]["ocelote_note"]
    assert all(not row.get("detections") or row["detections"][0]["bbox"] == [0.0, 0.0, 1.0, 1.0]
               for row in document["images"])  # fmt: skip


def test_the_installed_detector_is_picked_unless_told_otherwise(store, tmp_path, monkeypatch):
    assert pick_detector("none") is None
    assert pick_detector("standin-det-yolov5").id == "standin-det-yolov5"
    assert pick_detector(None).input_size == 640  # no profile given: the CPU's fastest
    monkeypatch.setenv("OCELOTE_DATA_DIR", str(tmp_path / "nothing-installed"))
    assert pick_detector(None) is None


def earlier_results(tmp_path: Path, made_by: str) -> tuple[Path, Path]:
    """A results folder written by an earlier Ocelote (the committed database, made by that
    version's job with the bundled model on the committed photos), and those photos."""
    data = REPO / "tests" / "data" / "results"
    source, out = tmp_path / "photos", tmp_path / "out"
    shutil.copytree(data / "photos", source)
    out.mkdir()
    shutil.copy(data / f"{made_by}.sqlite", out / "results.sqlite")
    with ResultsDB(out / "results.sqlite") as db:
        stored = db.done_files()
    for rel, (_size, mtime_ns) in stored.items():
        os.utime(source / rel, ns=(mtime_ns, mtime_ns))
    scene(source / "new.jpg", (640, 480), {"animal": (10, 10, 110, 90)})
    return source, out


EARLIER = ["before-boxes-aec620f", "main-2a241ca"]


@pytest.mark.parametrize("made_by", EARLIER)
def test_results_of_earlier_versions_open_and_resume(store, tmp_path, made_by):
    source, out = earlier_results(tmp_path, made_by)
    events = []
    settings = JobSettings(source=source, out_dir=out, detector="none")
    ClassifyJob(settings, on_event=events.append).run()
    assert (events[0].already_done, events[0].total) == (2, 1)
    with ResultsDB(out / "results.sqlite") as db:
        rows = {row.rel_path: row for row in db.iter_files()}
        document = validated(export_megadetector(db, find_card(), out / "r.json"))
    assert set(rows) == {"dark.jpg", "patch.jpg", "new.jpg"}
    assert all(row.predictions and row.detections == () for row in rows.values())
    assert len(document["images"]) == 3


@pytest.mark.parametrize("made_by", EARLIER)
def test_earlier_results_are_redone_when_a_detector_now_runs(store, tmp_path, made_by):
    """Whole-frame labels of the earlier run would read as "empty" beside boxes: every file
    is classified again with the detector and the species classifier."""
    source, out = earlier_results(tmp_path, made_by)
    events = []
    settings = JobSettings(source=source, out_dir=out, model_id=SPECIES_ID,
                           detector="standin-det-e2e")  # fmt: skip
    ClassifyJob(settings, on_event=events.append).run()
    assert (events[0].already_done, events[0].total) == (0, 3)
    with ResultsDB(out / "results.sqlite") as db:
        rows = {row.rel_path: row for row in db.iter_files()}
        document = validated(export_megadetector(db, find_card(SPECIES_ID), out / "r.json"))
    assert [b.category for b in rows["patch.jpg"].detections if b.conf >= 0.2] == ["animal"]
    assert [b.category for b in rows["new.jpg"].detections if b.conf >= 0.2] == ["animal"]
    assert rows["dark.jpg"].detections == ()
    assert len(document["images"]) == 3
    # the same models again: resumed
    events.clear()
    ClassifyJob(settings, on_event=events.append).run()
    assert (events[0].already_done, events[0].total) == (3, 0)

"""The results database on real SQLite files: batches are all-or-nothing, resume sees them."""

import sqlite3

import pytest

from engine.errors import ErrorCode
from engine.media.exif import ExifInfo
from engine.results.db import ResultsDB
from engine.results.records import Classified, Detection, Failed, FileInfo, Prediction
from engine.results.rows import RunInfo

RUN = RunInfo("src", "model", "int8", "abc", "onnxruntime-cpu", {"ocelote": "0"}, {"batch": 16})
EXIF = ExifInfo("2020-01-02T03:04:05", "RECONYX", "HC500", None)


def classified(rel: str, group: str = "felines") -> Classified:
    predictions = (Prediction(286, "cougar", group, 0.9), Prediction(293, "cheetah", group, 0.05))
    return Classified(FileInfo(rel, "image", "jpeg", 10, 20), 640, 480, EXIF, predictions)


def failed(rel: str) -> Failed:
    return Failed(FileInfo(rel, "image", None, 0, 1), ErrorCode.EMPTY_FILE, "")


def test_batch_is_stored_and_read_back(tmp_path):
    with ResultsDB(tmp_path / "r.sqlite") as db:
        run = db.start_run(RUN)
        db.record(run, [classified("b/señal ñandú.jpg"), failed("a.jpg")])
        db.finish_run(run, "finished")
        rows = list(db.iter_files())
        assert [row.rel_path for row in rows] == ["a.jpg", "b/señal ñandú.jpg"]
        assert rows[0].status == "error" and rows[0].error_code == "empty_file"
        assert rows[1].predictions[0] == (286, "cougar", "felines", 0.9)
        assert rows[1].taken_at == "2020-01-02T03:04:05"
        assert db.top_group_counts() == {"felines": 1}
        assert db.error_counts() == {"empty_file": 1}
        assert db.latest_run()["status"] == "finished"


def test_failed_batch_leaves_nothing_half_written(tmp_path):
    with ResultsDB(tmp_path / "r.sqlite") as db:
        run = db.start_run(RUN)
        db.record(run, [classified("ok.jpg")])
        broken = Failed(FileInfo(None, "image", None, 0, 0), ErrorCode.CORRUPT, "")
        with pytest.raises(sqlite3.IntegrityError):
            db.record(run, [classified("second.jpg"), broken])
        assert set(db.done_files()) == {"ok.jpg"}


def test_recording_a_file_again_replaces_it_once(tmp_path):
    with ResultsDB(tmp_path / "r.sqlite") as db:
        run = db.start_run(RUN)
        db.record(run, [failed("x.jpg")])
        db.record(run, [classified("x.jpg")])
        rows = list(db.iter_files())
        assert len(rows) == 1 and rows[0].status == "ok"
        assert db.done_files() == {"x.jpg": (10, 20)}


def test_committed_batches_survive_reopening(tmp_path):
    path = tmp_path / "r.sqlite"
    db = ResultsDB(path)
    db.record(db.start_run(RUN), [classified("kept.jpg")])
    # no close(): as after a kill, the WAL holds the committed batch
    again = ResultsDB(path)
    assert "kept.jpg" in again.done_files()
    again.close()
    db.close()


def test_reviews_sit_beside_the_machine_label_and_undo(tmp_path):
    with ResultsDB(tmp_path / "r.sqlite") as db:
        db.record(db.start_run(RUN), [classified("a.jpg")])
        db.add_review("a.jpg", "correct", "jaguar", "felines", 290)
        db.add_review("a.jpg", "correct", "empty", "background", None)
        (row,) = db.iter_files()
        assert row.predictions[0][1] == "cougar"
        assert (row.review.label, row.review.class_index) == ("empty", None)
        assert db.undo_review().label == "empty"
        assert db.review_of("a.jpg").label == "jaguar"
        db.record(db.start_run(RUN), [classified("a.jpg")])
        assert db.review_of("a.jpg").label == "jaguar"


def test_boxes_are_stored_with_their_file_and_read_back_in_path_order(tmp_path):
    cat = Prediction(0, "ocelot", "felines", 0.8)
    boxes = (
        Detection("detector", "md", "animal", 0.91, (0.1, 0.2, 0.3, 0.4), None, (cat,)),
        Detection("detector", "md", "person", 0.02, (0.5, 0.5, 0.1, 0.2)),
    )
    plain = classified("b.jpg")
    with ResultsDB(tmp_path / "r.sqlite") as db:
        run = db.start_run(RUN)
        db.record(run, [classified("c.jpg"), failed("a.jpg")])
        db.record(run, [Classified(plain.file, 640, 480, EXIF, plain.predictions, boxes)])
        rows = {row.rel_path: row for row in db.iter_files()}
        assert rows["a.jpg"].detections == () and rows["c.jpg"].detections == ()
        stored = rows["b.jpg"].detections
        assert [(d.category, d.conf, d.box) for d in stored] == [
            ("animal", 0.91, (0.1, 0.2, 0.3, 0.4)),
            ("person", 0.02, (0.5, 0.5, 0.1, 0.2)),
        ]
        assert stored[0].classifications == ((0, "ocelot", "felines", 0.8),)
        assert db.detections("b.jpg") == stored
        db.record(run, [classified("b.jpg")])  # classified again: the old boxes go with it
        assert db.detections("b.jpg") == ()

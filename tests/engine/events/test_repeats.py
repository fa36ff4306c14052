"""Repeated detector boxes of one camera flagged as a group and dismissed at once.

No detector is installed here, so the boxes are written into the real results database as a
detector run would store them: a box on the same rock in every squirrel frame, and boxes that
move with the animal."""

import shutil
import sqlite3

import pytest

from engine.events.answer import answer
from engine.events.refresh import refresh_events
from engine.results.db import ResultsDB
from engine.results.events_store import EventsStore
from tests.engine.events.trap_run import ROCK, SQUIRRELS, add_rock_boxes


@pytest.fixture
def detector_results(traps, tmp_path):
    db_path = tmp_path / "results.sqlite"
    shutil.copy(traps.db_path, db_path)
    with sqlite3.connect(db_path) as conn:
        for index, file_id in enumerate(add_rock_boxes(conn)):
            conn.execute(
                "INSERT INTO detections (file_id, frame_number, source, model_id, category,"
                " conf, x, y, w, h) VALUES (?, NULL, 'detector', 'mdv5a', 'animal', 0.9,"
                " ?, 0.4, 0.08, 0.08)",
                (file_id, 0.05 * index),
            )
    refresh_events(db_path)
    return db_path


def test_the_rock_is_one_group_and_the_moving_animal_none(detector_results):
    with EventsStore(detector_results) as store:
        groups = store.repeat_groups()
    assert len(groups) == 1
    (rock,) = groups
    assert rock.frames == 14 and len(rock.detection_ids) == 14
    assert rock.category == "animal" and not rock.dismissed
    assert rock.box == pytest.approx(ROCK, abs=0.01)


def test_dismissing_the_group_drops_all_its_boxes_and_survives_a_refresh(detector_results):
    with EventsStore(detector_results) as store:
        (rock,) = store.repeat_groups()
        store.set_repeat_dismissed(rock.id)
        assert store.dismissed_detections() == set(rock.detection_ids)
    refresh_events(detector_results)
    with EventsStore(detector_results) as store, ResultsDB(detector_results) as db:
        (again,) = store.repeat_groups()
        assert again.dismissed
        dismissed = frozenset(store.dismissed_detections())
        row = next(r for r in db.iter_files() if r.rel_path.startswith(SQUIRRELS))
    kept = [box for box in row.detections if box.id not in dismissed]
    assert {box.conf for box in kept if box.source == "detector"} == {0.9}
    assert answer(row, None, 0.95, dismissed) == ("empty", pytest.approx(0.1))

"""A re-run agrees with the disk: nothing lost, nothing listed twice, nothing stale.

The real job on real photos and a real SQLite database, as in test_job.py.
"""

import csv
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from engine.errors import ErrorCode
from engine.models.store import find_card
from engine.pipeline.events import Reconciled
from engine.results.db import ResultsDB
from engine.results.records import disk_rel, storable_path
from tests.engine.media.corpus import NOT_ENFORCED_REASON, PERMISSIONS_ENFORCED
from tests.engine.pipeline.test_job import SAMPLES, run_job, stored


def card_of(tmp_path: Path, names: list[str]) -> Path:
    source = tmp_path / "card"
    source.mkdir()
    for name in names:
        shutil.copyfile(SAMPLES / name, source / name)
    return source


def test_a_self_link_and_a_link_cycle_do_not_stop_the_run(tmp_path):
    """Item 1: `ln -s loop.jpg loop.jpg` aborted the whole run from Path.resolve()."""
    source = card_of(tmp_path, ["domestic_dog.jpg"])
    os.symlink("loop.jpg", source / "loop.jpg")
    os.symlink("b.jpg", source / "a.jpg")
    os.symlink("a.jpg", source / "b.jpg")
    _events, summary = run_job(source, tmp_path / "out")
    rows = stored(tmp_path / "out")
    assert summary.status == "finished" and summary.classified == 1
    assert rows["domestic_dog.jpg"].status == "ok"
    assert {rel: rows[rel].error_code for rel in ("loop.jpg", "a.jpg", "b.jpg")} == dict.fromkeys(
        ("loop.jpg", "a.jpg", "b.jpg"), ErrorCode.SYMLINK_LOOP.value
    )


def test_deleted_photos_are_set_aside_and_a_renamed_one_keeps_its_review(tmp_path):
    """Item 4: after rm of one photo and mv of another, a re-run listed the deleted one and the
    renamed one twice."""
    source = card_of(tmp_path, ["domestic_dog.jpg", "vehicle.jpg", "human.jpg"])
    out = tmp_path / "out"
    run_job(source, out)
    jaguar = next(label for label in find_card().labels if label.en == "jaguar")
    with ResultsDB(out / "results.sqlite") as db:
        db.add_review("vehicle.jpg", "correct", "jaguar", "felines", jaguar.index)
    (source / "human.jpg").unlink()
    (source / "vehicle.jpg").rename(source / "renamed vehicle.jpg")
    events, summary = run_job(source, out)
    rows = stored(out)
    assert sorted(rows) == ["domestic_dog.jpg", "renamed vehicle.jpg"]
    assert rows["renamed vehicle.jpg"].review.label == "jaguar"
    assert summary.files == 2 and summary.processed_this_run == 0
    assert Reconciled(gone=1, renamed=1) in events
    with ResultsDB(out / "results.sqlite", include_gone=True) as db:  # kept for history
        assert sorted(row.rel_path for row in db.iter_files()) == [
            "domestic_dog.jpg", "human.jpg", "renamed vehicle.jpg"
        ]  # fmt: skip
        assert db.gone_count() == 1
    exported = tmp_path / "with_gone.csv"
    command = [sys.executable, "-m", "engine", "export", str(out), "--format", "csv"]
    subprocess.run([*command, "--include-gone", "--out", str(exported)], check=True)
    with exported.open(encoding="utf-8-sig") as handle:
        statuses = {row["file"]: row["status"] for row in csv.DictReader(handle)}
    assert statuses == {"domestic_dog.jpg": "ok", "human.jpg": "gone", "renamed vehicle.jpg": "ok"}
    shutil.copyfile(SAMPLES / "human.jpg", source / "human.jpg")  # put back: counted again
    _events, back = run_job(source, out)
    assert sorted(stored(out)) == ["domestic_dog.jpg", "human.jpg", "renamed vehicle.jpg"]
    assert back.processed_this_run == 0


def test_same_size_and_time_but_new_content_is_classified_again(tmp_path):
    """Item 5: a photo rewritten with the same size and modification time kept its stale
    result."""
    source = tmp_path / "card"
    source.mkdir()
    with Image.open(SAMPLES / "domestic_dog.jpg") as dog:
        wide = dog.convert("RGB").resize((640, 480))
    first, second = tmp_path / "first.jpg", tmp_path / "second.jpg"
    wide.save(first, quality=90)
    wide.transpose(Image.Transpose.ROTATE_90).save(second, quality=90)  # 480 x 640
    size = max(first.stat().st_size, second.stat().st_size)
    for path in (first, second):  # bytes after the JPEG's end are ignored by decoders
        path.write_bytes(path.read_bytes().ljust(size, b"\0"))
    photo = source / "IMG_0001.JPG"
    shutil.copyfile(first, photo)
    os.utime(photo, ns=(1_600_000_000_000_000_000, 1_600_000_000_000_000_000))
    run_job(source, tmp_path / "out")
    before = stored(tmp_path / "out")["IMG_0001.JPG"]
    assert (before.width, before.height) == (640, 480)
    shutil.copyfile(second, photo)
    os.utime(photo, ns=(1_600_000_000_000_000_000, 1_600_000_000_000_000_000))
    events, summary = run_job(source, tmp_path / "out")
    assert summary.processed_this_run == 1 and events[0].already_done == 0
    row = stored(tmp_path / "out")["IMG_0001.JPG"]
    assert (row.width, row.height) == (480, 640)


def test_names_differing_only_in_escaping_keep_their_own_rows(tmp_path):
    """Item 6: a raw 0xFF name beside one spelled with a literal `\\xff` gave 2 rows for 3
    files."""
    source = tmp_path / "card"
    source.mkdir()
    names = [os.fsdecode(b"IMG_\xff.jpg"), "IMG_\\xff.jpg", "IMG_\\\\xff.jpg"]
    for name in names:
        shutil.copyfile(SAMPLES / "domestic_dog.jpg", source / name)
    _events, summary = run_job(source, tmp_path / "out")
    rows = stored(tmp_path / "out")
    assert summary.files == 3 and len(rows) == 3
    assert sorted(disk_rel(rel) for rel in rows) == sorted(names)
    assert all((source / disk_rel(rel)).is_file() for rel in rows)
    assert all(storable_path(disk_rel(rel)) == rel for rel in rows)
    events, again = run_job(source, tmp_path / "out")
    assert events[0].already_done == 3 and again.processed_this_run == 0


@pytest.mark.skipif(not PERMISSIONS_ENFORCED, reason=NOT_ENFORCED_REASON)
def test_files_in_a_folder_that_cannot_be_listed_now_are_not_called_gone(tmp_path):
    """Item 4, the other way round: a folder that cannot be opened today may still hold its
    photos; they keep their results and stay counted."""
    source = tmp_path / "card"
    (source / "cam1").mkdir(parents=True)
    shutil.copyfile(SAMPLES / "domestic_dog.jpg", source / "cam1" / "dog.jpg")
    shutil.copyfile(SAMPLES / "vehicle.jpg", source / "vehicle.jpg")
    run_job(source, tmp_path / "out")
    (source / "cam1").chmod(0)
    try:
        events, summary = run_job(source, tmp_path / "out")
    finally:
        (source / "cam1").chmod(0o755)
    rows = stored(tmp_path / "out")
    assert rows["cam1/dog.jpg"].status == "ok"
    assert rows["cam1"].error_code == ErrorCode.FOLDER_UNREADABLE.value
    assert not [event for event in events if isinstance(event, Reconciled)]

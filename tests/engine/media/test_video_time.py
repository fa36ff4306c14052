"""A clip's date is when it was filmed (its container says so) or unknown: never the date a
copy was made (a 2015 clip copied in 2026 once read as 2026)."""

import os
import shutil
from datetime import datetime
from pathlib import Path

from engine.media.preprocess import Preprocessing
from engine.media.video import decode_video
from engine.media.video_time import parse_creation_time, recorded_at
from engine.pipeline.job import ClassifyJob, JobSettings
from engine.results.db import ResultsDB
from tests.engine.media.video_dates import avi_with_idit, mp4_dated

COPIED_IN_2026 = datetime(2026, 3, 1, 12, 0).timestamp()


def clips(shared_data: Path) -> Path:
    return shared_data / "camera_trap_videos"


def test_mp4_and_avi_dates_come_from_the_container(shared_data, tmp_path):
    mp4 = mp4_dated(clips(shared_data) / "chimp.mp4", tmp_path / "a.mp4", "2015-03-25T10:04:12Z")
    avi = avi_with_idit(
        clips(shared_data) / "07120049_Baboon.AVI",
        tmp_path / "b.AVI",
        b"WED JUL 12 06:30:00 2017\n",
    )
    for clip in (mp4, avi):
        os.utime(clip, (COPIED_IN_2026, COPIED_IN_2026))
    assert recorded_at(mp4) == "2015-03-25T10:04:12"
    assert recorded_at(avi) == "2017-07-12T06:30:00"


def test_a_clip_without_a_date_is_unknown_not_its_copy_date(shared_data, tmp_path):
    clip = shutil.copy2(clips(shared_data) / "07120049_Baboon.AVI", tmp_path / "c.AVI")
    os.utime(clip, (COPIED_IN_2026, COPIED_IN_2026))
    assert recorded_at(Path(clip)) is None
    assert recorded_at(tmp_path / "missing.mp4") is None


def test_unset_and_odd_clock_texts():
    assert parse_creation_time("1904-01-01T00:00:00.000000Z") is None  # a zero MP4 header
    assert parse_creation_time("") is None and parse_creation_time("yesterday") is None
    assert parse_creation_time("2015-03-25 10:04:12") == "2015-03-25T10:04:12"


def test_the_job_stores_the_filming_date_or_none(shared_data, tmp_path):
    source = tmp_path / "card"
    source.mkdir()
    mp4_dated(clips(shared_data) / "chimp.mp4", source / "dated.mp4", "2015-03-25T10:04:12Z")
    shutil.copy2(clips(shared_data) / "09100029_Eland.MP4", source / "undated.MP4")
    for clip in source.iterdir():
        os.utime(clip, (COPIED_IN_2026, COPIED_IN_2026))
    decoded = decode_video(source / "dated.mp4", Preprocessing())
    assert decoded.recorded_at == "2015-03-25T10:04:12"
    ClassifyJob(JobSettings(source=source, out_dir=tmp_path / "out", threads=2)).run()
    with ResultsDB(tmp_path / "out" / "results.sqlite") as db:
        taken = {row.rel_path: row.taken_at for row in db.iter_files()}
    assert taken == {"dated.mp4": "2015-03-25T10:04:12", "undated.MP4": None}

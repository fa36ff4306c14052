"""Videos in the main job: mixed with photos, stored with their frames, resumed per video."""

import csv
import json
import shutil
from pathlib import Path

import pytest

from engine.models.store import find_card
from engine.paths import assets_dir
from engine.pipeline.cancel import CancelToken
from engine.pipeline.events import FileDone
from engine.pipeline.job import ClassifyJob, JobSettings
from engine.results.db import ResultsDB
from engine.results.export_camtrapdp import CamtrapOptions, export_camtrapdp
from engine.results.export_csv import export_csv
from engine.results.export_megadetector import export_megadetector
from engine.results.export_xlsx import export_xlsx
from engine.results.records import VideoClassified
from engine.results.summary import summarize
from tests.helpers import tree_hashes

CLIPS = ["07120049_Baboon.AVI", "09100029_Eland.MP4", "chimp.mp4"]


@pytest.fixture
def card_folder(tmp_path: Path, shared_data: Path) -> Path:
    source = tmp_path / "card"
    source.mkdir()
    for name in CLIPS:
        shutil.copy2(shared_data / "camera_trap_videos" / name, source / name)
    shutil.copy2(assets_dir() / "samples" / "domestic_dog.jpg", source / "dog.jpg")
    (source / "empty.AVI").write_bytes(b"")
    chimp = (shared_data / "camera_trap_videos" / "chimp.mp4").read_bytes()
    (source / "cut.mp4").write_bytes(chimp[: len(chimp) // 3])
    return source


def run(source: Path, out: Path, **options):
    events: list = []
    settings = JobSettings(source=source, out_dir=out, batch_size=8, threads=2, **options)
    summary = ClassifyJob(settings, on_event=events.append).run()
    return events, summary


def test_videos_and_photos_in_one_job(card_folder, tmp_path):
    before = tree_hashes(card_folder)
    events, summary = run(card_folder, tmp_path / "out")
    assert tree_hashes(card_folder) == before
    done = [event.outcome for event in events if isinstance(event, FileDone)]
    videos = [outcome for outcome in done if isinstance(outcome, VideoClassified)]
    assert sorted(video.file.rel for video in videos) == CLIPS
    assert summary.videos == 3 and summary.video_frames == sum(len(v.frames) for v in videos)
    with ResultsDB(tmp_path / "out" / "results.sqlite") as db:
        rows = {row.rel_path: row for row in db.iter_files()}
        chimp_frames = db.frames("chimp.mp4")
    assert rows["cut.mp4"].error_code == "truncated"
    assert rows["empty.AVI"].error_code == "empty_file"
    assert rows["dog.jpg"].video is None and rows["dog.jpg"].status == "ok"
    chimp = rows["chimp.mp4"]
    assert chimp.kind == "video" and chimp.video.fps == 30.0 and chimp.video.frames_read == 450
    assert chimp.video.frames_processed == len(chimp_frames) <= 60
    assert all(len(frame.predictions) == 5 for frame in chimp_frames)
    best = max(frame.predictions[0][3] for frame in chimp_frames)
    assert chimp.predictions[0][3] == pytest.approx(max(best, chimp.predictions[0][3]))


def test_exports_carry_the_video_fields(card_folder, tmp_path):
    run(card_folder, tmp_path / "out")
    card = find_card()
    with ResultsDB(tmp_path / "out" / "results.sqlite") as db:
        document = json.loads(export_megadetector(db, card, tmp_path / "r.json").read_text())
        export_csv(db, card, tmp_path / "r.csv", per_frame=True)
        export_xlsx(db, card, tmp_path / "r.xlsx")
        frames = len(db.frames("chimp.mp4"))
    entry = next(image for image in document["images"] if image["file"] == "chimp.mp4")
    assert entry["frame_rate"] == 30.0 and len(entry["frames_processed"]) == frames
    assert all(isinstance(d["frame_number"], int) for d in entry["detections"])
    assert all(
        n in entry["frames_processed"] for n in (d["frame_number"] for d in entry["detections"])
    )
    with (tmp_path / "r.csv").open(encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    video_row = next(row for row in rows if row["file"] == "chimp.mp4" and row["kind"] == "video")
    assert video_row["frames_processed"] == str(frames) and video_row["labels_seen"]
    assert sum(row["kind"] == "frame" and row["file"] == "chimp.mp4" for row in rows) == frames


def test_camtrap_dp_lists_videos_at_their_clip_time(card_folder, tmp_path):
    run(card_folder, tmp_path / "out")
    options = CamtrapOptions(utc_offset="-05:00", latitude=4.6, longitude=-74.1)
    with ResultsDB(tmp_path / "out" / "results.sqlite") as db:
        export_camtrapdp(db, find_card(), tmp_path / "dp", options)
    with (tmp_path / "dp" / "media.csv").open(encoding="utf-8") as handle:
        media = {row["filePath"]: row for row in csv.DictReader(handle)}
    for clip in CLIPS:
        row = next(row for path, row in media.items() if path.endswith(clip))
        assert row["fileMediatype"].startswith("video/")
        assert row["timestamp"].endswith("-05:00")


def test_cancel_mid_video_then_resume_stores_each_video_once(card_folder, tmp_path):
    out = tmp_path / "out"
    token = CancelToken()
    seen: list = []

    def on_event(event) -> None:
        if isinstance(event, FileDone):
            seen.append(event.outcome.file.rel)
            if event.outcome.file.rel in CLIPS:
                token.cancel()  # the first video is stored, the next one is mid-way

    settings = JobSettings(source=card_folder, out_dir=out, batch_size=4, threads=2)
    first = ClassifyJob(settings, on_event=on_event, cancel=token).run()
    assert first.status == "cancelled"
    with ResultsDB(out / "results.sqlite") as db:
        partial = {row.rel_path for row in db.iter_files()}
        assert all(len(db.frames(rel)) > 0 for rel in partial if rel in CLIPS)
    assert 1 <= len(partial & set(CLIPS)) < len(CLIPS)
    events, final = run(card_folder, out)
    assert final.status == "finished" and events[0].already_done == len(partial)
    with ResultsDB(out / "results.sqlite") as db:
        rows = list(db.iter_files())
        assert sorted(row.rel_path for row in rows) == sorted(
            [*CLIPS, "dog.jpg", "empty.AVI", "cut.mp4"]
        )
        counts = {rel: len(db.frames(rel)) for rel in CLIPS}
        videos, frames = db.video_counts()
        assert summarize(db, "finished", 0, 1.0).videos == 3
    assert videos == 3 and frames == sum(counts.values())
    assert all(counts[row.rel_path] == row.video.frames_processed for row in rows if row.video)

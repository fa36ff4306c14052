"""The main job end to end on real images, real ONNX sessions and a real SQLite database."""

import os
import shutil
from pathlib import Path

import pytest

from engine.paths import assets_dir
from engine.pipeline.cancel import CancelToken
from engine.pipeline.events import FileDone, Finished, Progress, Started
from engine.pipeline.job import ClassifyJob, JobError, JobSettings
from engine.results.db import ResultsDB
from tests.engine.media.corpus import make_bad_corpus
from tests.helpers import tree_hashes

SAMPLES = assets_dir() / "samples"
SAMPLE_IMAGES = sorted(p.name for p in SAMPLES.iterdir() if p.suffix.lower() == ".jpg")


def run_job(source: Path, out: Path, **options) -> tuple[list, object]:
    events: list = []
    settings = JobSettings(source=source, out_dir=out, batch_size=4, threads=2, **options)
    summary = ClassifyJob(settings, on_event=events.append).run()
    return events, summary


def stored(out: Path) -> dict[str, object]:
    with ResultsDB(out / "results.sqlite") as db:
        return {row.rel_path: row for row in db.iter_files()}


def test_every_sample_is_classified_once_and_sources_untouched(tmp_path):
    before = tree_hashes(SAMPLES)
    events, summary = run_job(SAMPLES, tmp_path / "out")
    assert tree_hashes(SAMPLES) == before
    rows = stored(tmp_path / "out")
    assert sorted(rows) == SAMPLE_IMAGES
    assert all(row.status == "ok" and len(row.predictions) == 5 for row in rows.values())
    assert summary.status == "finished"
    assert summary.classified == len(SAMPLE_IMAGES) == sum(summary.groups.values())
    assert isinstance(events[0], Started) and isinstance(events[-1], Finished)
    progress = [event for event in events if isinstance(event, Progress)]
    assert progress[-1].done == progress[-1].total == len(SAMPLE_IMAGES)
    assert len([event for event in events if isinstance(event, FileDone)]) == len(SAMPLE_IMAGES)


def test_exif_is_captured_from_a_reconyx_photo(tmp_path):
    run_job(SAMPLES, tmp_path / "out")
    row = stored(tmp_path / "out")["channel_islands_camera_traps_loc-h500ee05127658_007_194.jpg"]
    assert row.taken_at == "2012-05-06T00:45:33"
    assert row.camera_make.upper().startswith("RECONYX")
    assert (row.width, row.height) == (1920, 1080)


def test_known_animals_get_a_plausible_group(tmp_path):
    run_job(SAMPLES, tmp_path / "out")
    rows = stored(tmp_path / "out")
    top5_groups = {name: {p[2] for p in row.predictions} for name, row in rows.items()}
    assert "canids" in top5_groups["domestic_dog.jpg"]
    assert "vehicles" in top5_groups["vehicle.jpg"] or "people" in top5_groups["vehicle.jpg"]


def test_a_second_run_resumes_and_does_nothing_new(tmp_path):
    run_job(SAMPLES, tmp_path / "out")
    events, summary = run_job(SAMPLES, tmp_path / "out")
    assert events[0].already_done == len(SAMPLE_IMAGES)
    assert summary.processed_this_run == 0
    assert summary.classified == len(SAMPLE_IMAGES)


def test_no_resume_classifies_again_without_duplicates(tmp_path):
    run_job(SAMPLES, tmp_path / "out")
    _events, summary = run_job(SAMPLES, tmp_path / "out", resume=False)
    assert summary.processed_this_run == len(SAMPLE_IMAGES)
    assert len(stored(tmp_path / "out")) == len(SAMPLE_IMAGES)


def test_cancel_stops_after_the_batch_and_a_rerun_completes(tmp_path):
    out = tmp_path / "out"
    settings = JobSettings(source=SAMPLES, out_dir=out, batch_size=2, threads=2)
    token = CancelToken()
    on_event = lambda event: isinstance(event, Progress) and token.cancel()  # noqa: E731
    summary = ClassifyJob(settings, on_event=on_event, cancel=token).run()
    assert summary.status == "cancelled"
    assert 0 < summary.files < len(SAMPLE_IMAGES)
    _events, final = run_job(SAMPLES, out)
    assert final.status == "finished"
    assert sorted(stored(out)) == SAMPLE_IMAGES


def test_results_inside_the_source_are_not_classified(tmp_path):
    source = tmp_path / "card"
    shutil.copytree(SAMPLES, source)
    run_job(source, source / "ocelote")
    run_job(source, source / "ocelote", resume=False)
    assert not any(rel.startswith("ocelote/") for rel in stored(source / "ocelote"))


def test_missing_source_is_a_clear_error(tmp_path):
    with pytest.raises(JobError, match="does not exist"):
        run_job(tmp_path / "nowhere", tmp_path / "out")


def test_bad_corpus_every_file_ends_with_a_result_or_a_named_error(tmp_path, trap_images):
    source = tmp_path / "card"
    expected = make_bad_corpus(source, trap_images)
    before = tree_hashes(source)
    source.chmod(0o555)  # a read-only card: the job must not need to write there
    try:
        _events, summary = run_job(source, tmp_path / "out")
    finally:
        source.chmod(0o755)
    rows = stored(tmp_path / "out")
    got = {rel: (row.error_code if row.status == "error" else None) for rel, row in rows.items()}
    assert got == expected
    assert summary.status == "finished"
    assert tree_hashes(source) == before


def test_odd_file_names_are_stored_and_resumed(tmp_path):
    source = tmp_path / "card"
    source.mkdir()
    odd = os.fsdecode(b"caf\xe9 \xff.jpg")  # not UTF-8: a name from an old Windows card
    shutil.copyfile(SAMPLES / "domestic_dog.jpg", source / odd)
    _events, first = run_job(source, tmp_path / "out")
    events, second = run_job(source, tmp_path / "out")
    assert first.classified == 1
    assert events[0].already_done == 1 and second.processed_this_run == 0

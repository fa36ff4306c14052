"""The classify job on a local Ray cluster: the plain job's results, its resume, its safety.

One Ray for the module (two CPUs, no dashboard), real ONNX sessions in real actors, real photos
and a real video, the real results database. Killing an actor and killing the driver are done
with SIGKILL on their real processes.
"""

import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
import ray

from engine.cluster.discovery import discover_on_cluster
from engine.cluster.events import WorkerSeen
from engine.cluster.ray_job import ClusterJob
from engine.cluster.target import ClusterError, RayTarget
from engine.media.discover import discover
from engine.models.select import Preferences
from engine.paths import assets_dir
from engine.pipeline.cancel import CancelToken
from engine.pipeline.events import FileDone, Finished, Progress, Started
from engine.pipeline.job import ClassifyJob, JobSettings
from engine.pipeline.plan import make_plan
from engine.results.db import ResultsDB
from tests.helpers import tree_hashes

REPO = Path(__file__).resolve().parents[3]
SAMPLES = assets_dir() / "samples"
SERENGETI = "camera_traps/ms_cameratraps_serengeti_sample"
FILES = 17  # 10 samples (one again at the top), 3 Serengeti photos, a video, 2 bad files


@pytest.fixture(scope="module")
def local_ray():
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    yield
    ray.shutdown()


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory, shared_data: Path) -> Path:
    """An agency's archive in small: parks, cameras, a video, a broken file, an empty one."""
    root = tmp_path_factory.mktemp("archive")
    photos = sorted(p for p in SAMPLES.iterdir() if p.suffix.lower() == ".jpg")
    for index, photo in enumerate(photos):
        folder = root / ["park_a/cam_1", "park_a/cam_2", "park_b"][index % 3]
        folder.mkdir(parents=True, exist_ok=True)
        shutil.copy2(photo, folder / photo.name)
    shutil.copy2(SAMPLES / "ocelot.jpg", root / "top_level.jpg")
    (root / "park_c").mkdir()
    for photo in sorted((shared_data / SERENGETI).glob("*.JPG"))[:3]:
        shutil.copy2(photo, root / "park_c" / photo.name)
    shutil.copy2(shared_data / "camera_trap_videos" / "chimp.mp4", root / "park_c" / "chimp.mp4")
    (root / "park_b" / "empty.jpg").write_bytes(b"")
    (root / "park_b" / "notes.jpg").write_text("not a photo\n", encoding="utf-8")
    return root


def settings(source: Path, out: Path, **options) -> JobSettings:
    return JobSettings(source=source, out_dir=out, **options)


def cluster_run(source: Path, out: Path, workers: int = 2, **options) -> tuple[list, object]:
    events: list = []
    job = ClusterJob(settings(source, out), RayTarget(None, workers), events.append, **options)
    return events, job.run()


def results(out: Path) -> dict[str, tuple]:
    """Everything stored per file that a person or an export reads, scores rounded."""
    with ResultsDB(out / "results.sqlite") as db:
        rows = {}
        for row in db.iter_files():
            frames = tuple(
                (f.frame_number, _labels(f.predictions)) for f in db.frames(row.rel_path)
            )
            boxes = tuple((d.category, d.box) for d in row.detections)
            rows[row.rel_path] = (
                row.status, row.error_code, row.kind, row.width, row.height, row.taken_at,
                _labels(row.predictions), frames, boxes,
            )  # fmt: skip
        return rows


def _labels(predictions) -> tuple:
    return tuple(
        (index, label, group, round(score, 4)) for index, label, group, score in predictions
    )


@pytest.fixture(scope="module")
def plain(archive: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, object]:
    out = tmp_path_factory.mktemp("plain")
    summary = ClassifyJob(settings(archive, out)).run()
    return out, summary


@pytest.fixture(scope="module")
def on_cluster(archive, local_ray, tmp_path_factory) -> tuple[Path, list, object]:
    out = tmp_path_factory.mktemp("cluster")
    before = tree_hashes(archive)
    events, summary = cluster_run(archive, out, files_per_task=3)
    assert tree_hashes(archive) == before
    return out, events, summary


def test_local_cluster_gives_the_plain_results_file_by_file(plain, on_cluster) -> None:
    (plain_out, plain_summary), (out, _events, summary) = plain, on_cluster
    expected = results(plain_out)
    assert len(expected) == FILES
    assert results(out) == expected
    assert expected["park_b/empty.jpg"][1] == "empty_file"
    assert expected["park_c/chimp.mp4"][7], "the video's frames are stored"
    for field in ("files", "classified", "errors", "groups", "videos", "video_frames"):
        assert getattr(summary, field) == getattr(plain_summary, field), field


def test_events_cover_the_whole_cluster(on_cluster) -> None:
    _out, events, summary = on_cluster
    assert isinstance(events[0], Started) and events[0].total == FILES
    assert isinstance(events[-1], Finished) and summary.status == "finished"
    progress = [event for event in events if isinstance(event, Progress)]
    assert progress[-1].done == progress[-1].total == FILES
    assert [p.done for p in progress] == sorted(p.done for p in progress)
    assert len([e for e in events if isinstance(e, FileDone)]) == FILES
    workers = [event.worker for event in events if isinstance(event, WorkerSeen)]
    assert len({worker.pid for worker in workers}) == 2, "both actors took batches"
    plan = make_plan(None, Preferences(threads=1))  # what each worker (1 CPU) picked here
    assert all(w.variant == plan.variant.id and w.threads == 1 for w in workers)
    assert all(w.batch_size == plan.choice.batch_size for w in workers)


def test_a_second_cluster_run_resumes_and_does_nothing_new(archive, on_cluster) -> None:
    out = on_cluster[0]
    events, summary = cluster_run(archive, out)
    assert events[0].already_done == FILES and events[0].total == 0
    assert summary.processed_this_run == 0 and summary.files == FILES


def test_discovery_in_ray_tasks_finds_what_discover_finds(archive, local_ray, tmp_path) -> None:
    source = tmp_path / "card"
    shutil.copytree(archive, source / "deep" / "er", symlinks=True)
    shutil.copytree(archive / "park_a", source / "ocelote" / "park_a")  # a results folder
    os.symlink("../..", source / "deep" / "er" / "back_up", target_is_directory=True)
    found = list(discover_on_cluster(source, source / "ocelote", parallel=2))
    expected = [i for i in discover(source) if not i.rel.startswith("ocelote/")]
    assert found == expected
    assert len(found) == FILES + 1  # and the link back up, reported, not walked


def test_workers_the_cluster_cannot_hold_are_refused_before_anything_is_written(
    archive, local_ray, tmp_path
) -> None:
    more_gpus_than_here = ray.cluster_resources().get("GPU", 0) + 1
    job = ClusterJob(
        settings(archive, tmp_path / "out"), RayTarget(None, 2), gpus_per_worker=more_gpus_than_here
    )
    with pytest.raises(ClusterError, match="has no room for one worker"):
        job.run()
    assert not (tmp_path / "out").exists()


@pytest.mark.slow
def test_a_killed_worker_loses_nothing_and_the_run_completes(archive, plain, local_ray, tmp_path):
    out = tmp_path / "out"
    killed: list[tuple[int, int]] = []

    def kill_first_worker(event) -> None:
        if isinstance(event, WorkerSeen) and not killed:
            os.kill(event.worker.pid, signal.SIGKILL)
            killed.append((event.worker.pid, len(stored_now(out))))

    job = ClusterJob(
        settings(archive, out), RayTarget(None, 2), kill_first_worker, files_per_task=1
    )
    summary = job.run()
    ((pid, stored_at_kill),) = killed
    assert stored_at_kill < FILES, "the worker was killed mid-run"
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)
    assert summary.status == "finished" and summary.files == FILES
    assert results(out) == results(plain[0])


@pytest.mark.slow
def test_cancel_keeps_what_was_stored_and_a_rerun_completes(archive, plain, local_ray, tmp_path):
    out = tmp_path / "out"
    token = CancelToken()
    cancel_at_first = lambda event: isinstance(event, Progress) and token.cancel()  # noqa: E731
    job = ClusterJob(
        settings(archive, out), RayTarget(None, 2), cancel_at_first, token, files_per_task=1
    )
    summary = job.run()
    assert summary.status == "cancelled"
    assert 0 < summary.files < FILES
    events, final = cluster_run(archive, out)
    assert events[0].already_done == summary.files and final.status == "finished"
    assert results(out) == results(plain[0])


def stored_now(out: Path) -> list[str]:
    with sqlite3.connect(out / "results.sqlite") as conn:
        return [rel for (rel,) in conn.execute("SELECT rel_path FROM files")]


@pytest.mark.slow
def test_a_killed_driver_keeps_what_was_committed_and_the_same_command_resumes(
    archive, plain, tmp_path
) -> None:
    out = tmp_path / "out"
    command = [
        sys.executable, "-m", "engine", "--lang", "en", "classify", str(archive), "--out", str(out),
        "--ray", "local:1",
    ]  # fmt: skip
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    driver = subprocess.Popen(command, cwd=REPO, env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL, start_new_session=True)  # fmt: skip
    try:
        while driver.poll() is None and not _some_stored(out):
            time.sleep(0.2)
        os.killpg(driver.pid, signal.SIGKILL)
    finally:
        driver.wait()
    committed = stored_now(out)
    assert 0 < len(committed) < FILES, "the driver was killed mid-run"
    again = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True)
    assert again.returncode == 0, again.stderr
    assert f"Resuming: {len(committed)} files were already done." in again.stderr
    assert re.search(r"Worker .+ \(process \d+\): \w+ on .+, batch \d+, 1 threads", again.stderr)
    assert (out / "results.csv").is_file() and (out / "results.json").is_file()
    assert results(out) == results(plain[0])


def _some_stored(out: Path) -> bool:
    try:
        return bool(stored_now(out))
    except sqlite3.Error:
        return False

"""This PC's `bench detect` speed replaces the plan's paper figures, and a run says its
estimate before it starts."""

import subprocess
import sys

import pytest

from engine.bench import history
from engine.bench.detect import DetectBench
from engine.detection.measured import latest_measurements
from engine.detection.plan import fitted_route, from_card, plan_detectors
from engine.hardware.cpu import CpuInfo
from engine.hardware.device import DeviceProfile
from engine.models.store import find_card
from tests.engine.detection.standin_packs import SPECIES_ID, scene

NO_GPU = DeviceProfile(os="linux", cpu=CpuInfo(physical_cores=8, logical_cores=16), devices=())


def bench_run(backend: str, pipeline: float, relative: float) -> DetectBench:
    return DetectBench(
        images=40, model="Stand-in for a light detector", random_weights=True, backend=backend,
        threads=2, batch=2, input_size=640, peer_style=1.0, decode_only=50.0,
        inference_only=20.0, bound=14.0, pipeline=pipeline, relative_speed=relative,
    )  # fmt: skip


def test_the_newest_run_per_backend_counts_scaled_to_megadetector(store):
    history.save_run("detect", bench_run("onnxruntime-cpu", 10.0, 50.0))
    history.save_run("detect", bench_run("onnxruntime-cpu", 20.0, 50.0))  # newer
    history.save_run("detect", bench_run("ncnn-vulkan", 30.0, 1.0))
    found = latest_measurements()
    assert found["onnxruntime-cpu"].mdv5a_rate == pytest.approx(20.0 / 50.0)
    assert found["ncnn-vulkan"].mdv5a_rate == pytest.approx(30.0)


def test_runs_without_a_speed_or_a_scale_are_ignored(store):
    history.save_run("detect", bench_run("onnxruntime-cpu", 0.0, 50.0))
    history.save_run("detect", {"backend": "onnxruntime-cpu", "pipeline": 5.0})  # older format
    assert latest_measurements() == {}


def test_the_plan_uses_the_measured_speed_of_its_backend_and_says_so(store):
    card = from_card(find_card("standin-det-yolov5"))
    paper = fitted_route(card, NO_GPU)
    history.save_run("detect", bench_run("onnxruntime-cpu", 2.0, 4.0))
    measured = fitted_route(card, NO_GPU, latest_measurements())
    assert measured.mdv5a_rate == pytest.approx(0.5) != pytest.approx(paper.mdv5a_rate)
    assert "Speed measured on this PC" in measured.reasons[-1]
    assert "2.00 photos/s" in measured.reasons[-1]
    plans = plan_detectors(
        [card], NO_GPU, {"ncnn-vulkan": latest_measurements()["onnxruntime-cpu"]}
    )
    assert plans[0].route.mdv5a_rate == pytest.approx(paper.mdv5a_rate)  # another backend's


def ocelote(*args: str) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "engine", "--lang", "en", *args]
    return subprocess.run(command, capture_output=True, text=True, check=False)


def test_explain_plan_on_this_pc_uses_the_saved_measurement(store, tmp_path):
    history.save_run("detect", bench_run("onnxruntime-cpu", 2.0, 1.0))
    result = ocelote("classify", "--explain-plan", "--detector", "standin-det-yolov5")
    assert result.returncode == 0, result.stderr
    assert "Speed measured on this PC on" in result.stdout


def test_a_run_with_a_detector_says_its_estimate_before_it_starts(store, tmp_path):
    source = tmp_path / "card"
    source.mkdir()
    for name in ("a.jpg", "b.jpg"):
        scene(source / name, (320, 240), {"animal": (10, 10, 50, 50)})
    result = ocelote("classify", str(source), "--out", str(tmp_path / "out"), "--detector",
                     "standin-det-yolov5", "--classifier", SPECIES_ID)  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "Estimate before the run: ≈ " in result.stderr
    assert "for 2 files on this PC" in result.stderr

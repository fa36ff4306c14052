"""The detector plan for the PCs of the shared dumps: which detector, where, and how long.

Real detector cards (the stand-in packs imported into a private store) and real dumps read by
engine.hardware; the catalog's detectors for a PC that has none installed."""

import subprocess
import sys
from pathlib import Path

import pytest

from engine.detection.choose import installed_detectors, pick_detector
from engine.detection.plan import (
    ASSUMED_CORES,
    CPU_MDV5A_PER_CORE,
    MAX_BATCH,
    catalog_detectors,
    detector_route,
    from_card,
    plan_detectors,
)
from engine.hardware.cpu import CpuInfo
from engine.hardware.device import DeviceProfile
from engine.hardware.profile import profile_from_dump
from tests.engine.detection.standin_packs import scene

REPO = Path(__file__).resolve().parents[3]
DUMPS = REPO.parent / "shared" / "data" / "gpu_dumps"
DUMP_FILES = sorted(DUMPS.glob("*.txt"))
CUDA_DUMPS = {  # a CUDA-capable NVIDIA card: the detector runs there
    "enumdevices_windows_nvidia_gtx1650maxq_intel_irisxe_neo.txt",
    "enumdevices_windows_nvidia_rtx3060laptop_amd_gfx90c_pal.txt",
}
VULKAN_DUMPS = {  # AMD cards without ROCm for onnxruntime: ncnn on Vulkan
    "clinfo_amd_rx480_gfx803_rocm1x_linux.txt",
    "clinfo_amd_rx570_ellesmere_amdapp3380_pal_linux.txt",
    "clinfo_amd_vega64_gfx900_rocm1.8_linux.txt",
    "clinfo_mesa_clover_rx480_polaris10_ubuntu1804.txt",
    "rocminfo_clinfo_amd_rx5600xt_navi10_gfx1010_rocm3.10.txt",
}
NO_GPU = DeviceProfile(os="linux", cpu=CpuInfo(physical_cores=8, logical_cores=16), devices=())


def load(path: Path) -> DeviceProfile:
    return profile_from_dump(path.read_text(encoding="utf-8", errors="replace"))


def test_the_shared_dumps_are_there():
    assert len(DUMP_FILES) >= 10, DUMPS


@pytest.mark.parametrize("dump", DUMP_FILES, ids=lambda path: path.stem)
def test_each_dump_gets_a_plan_with_reasons_and_an_estimate(dump, store):
    plans = plan_detectors([from_card(card) for card in installed_detectors()], load(dump))
    chosen = plans[0]
    assert len(plans) == 4
    assert chosen.route.reasons
    assert all(plan.photos_per_second > 0 for plan in plans)
    assert all(plan.seconds_for(10_000) > 0 for plan in plans)
    by_id = {plan.card.id: plan for plan in plans}
    light = by_id["standin-det-e2e"]  # 640 px
    heavy = by_id["standin-det-yolov5"]  # 1280 px
    assert light.photos_per_second == pytest.approx(4 * heavy.photos_per_second)
    assert light.seconds_for(10_000) < heavy.seconds_for(10_000)
    if dump.name in CUDA_DUMPS:
        assert chosen.route.on_gpu and chosen.route.backend == "onnxruntime-cuda"
        assert chosen.card.input_size == 1280  # the most accurate with a graphics card
        assert 1 <= chosen.batch <= MAX_BATCH
        assert chosen.route.mdv5a_rate > ASSUMED_CORES * CPU_MDV5A_PER_CORE  # beats its CPU
    elif dump.name in VULKAN_DUMPS:
        assert chosen.route.on_gpu and chosen.route.backend == "ncnn-vulkan"
        assert chosen.card.input_size == 1280
        assert 1 <= chosen.batch <= MAX_BATCH
    else:
        assert not chosen.route.on_gpu and chosen.route.backend == "onnxruntime-cpu"
        assert chosen.card.input_size == 640  # the fastest on the CPU
        assert chosen.batch == 1
    assert pick_detector(None, load(dump)).id == chosen.card.id  # the job runs what was shown


@pytest.mark.parametrize(
    "dump", [path for path in DUMP_FILES if "_amd_" in path.name and "linux" in path.name]
)
def test_an_amd_card_under_linux_runs_detectors_with_ncnn_on_vulkan_and_says_so(dump):
    route = detector_route(load(dump))
    if "zero_devices" in dump.name:  # lspci only: no clock or CUs, so no speed to plan with
        assert not route.on_gpu
        assert any("its speed is not known" in reason for reason in route.reasons)
        return
    assert route.on_gpu and route.backend == "ncnn-vulkan"
    assert any("with ncnn on Vulkan" in reason for reason in route.reasons)


def test_without_a_gpu_the_cpu_cores_set_the_speed_and_the_light_detector_runs(store):
    plans = plan_detectors([from_card(card) for card in installed_detectors()], NO_GPU)
    assert plans[0].route.reasons == ("No graphics card: detectors run on the CPU.",)
    assert plans[0].card.input_size == 640
    assert plans[-1].card.input_size == 1280
    assert plans[-1].photos_per_second == pytest.approx(8 * CPU_MDV5A_PER_CORE)


def test_catalog_detectors_are_planned_before_they_are_installed():
    plans = plan_detectors(catalog_detectors(), NO_GPU)
    by_id = {plan.card.id: plan for plan in plans}
    assert plans[0].card.id == "mdv1000-spruce"  # the catalog's lightest MegaDetector
    assert by_id["mdv1000-spruce"].seconds_for(10_000) < by_id["mdv5a"].seconds_for(10_000)
    gpu_plans = plan_detectors(catalog_detectors(), load(DUMPS / sorted(CUDA_DUMPS)[1]))
    assert gpu_plans[0].card.input_size == 1280
    assert gpu_plans[0].seconds_for(10_000) < by_id["mdv5a"].seconds_for(10_000)


def ocelote(language: str, *args: str) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "engine", "--lang", language, *args]
    return subprocess.run(command, capture_output=True, text=True, check=False)


def test_explain_plan_from_a_dump_prints_the_detector_part_in_english_and_spanish(store):
    dump = str(DUMPS / "clinfo_amd_rx570_ellesmere_amdapp3380_pal_linux.txt")
    english = ocelote("en", "classify", "--explain-plan", "--from", dump)
    assert english.returncode == 0, english.stderr
    assert "Detector: Stand-in detector (yolov5 layout), 1280 px, FP32 on ncnn-vulkan" in (
        english.stdout
    )
    assert "Radeon RX 570 runs detectors with ncnn on Vulkan" in english.stdout
    assert "Estimate: ≈ " in english.stdout and "for 10,000 photos on this PC" in english.stdout
    assert "Stand-in detector (e2e layout) would take ≈ " in english.stdout
    assert "finds somewhat fewer animals" in english.stdout  # the 640 px stand-ins
    spanish = ocelote("es", "classify", "--explain-plan", "--from", dump)
    assert spanish.returncode == 0, spanish.stderr
    assert "1280 px, FP32 con ncnn-vulkan" in spanish.stdout
    assert "Radeon RX 570 ejecuta los detectores con ncnn sobre Vulkan" in spanish.stdout
    assert "para 10.000 fotos en este PC" in spanish.stdout
    assert "encuentra algo menos animales" in spanish.stdout


def test_explain_plan_counts_the_photos_of_the_folder(store, tmp_path):
    source = tmp_path / "card"
    source.mkdir()
    for name in ("a.jpg", "b.jpg", "c.jpg"):
        scene(source / name, (320, 240), {"animal": (10, 10, 50, 50)})
    (source / "notes.txt").write_text("not a photo", encoding="utf-8")
    result = ocelote("en", "classify", str(source), "--explain-plan", "--detector",
                     "standin-det-yolov5")  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "Detector: Stand-in detector (yolov5 layout), 1280 px" in result.stdout
    assert "for 3 photos on this PC" in result.stdout


def test_explain_plan_without_detectors_plans_the_catalogs(tmp_path, monkeypatch):
    monkeypatch.setenv("OCELOTE_DATA_DIR", str(tmp_path / "empty"))
    dump = str(DUMPS / "enumdevices_windows_nvidia_rtx3060laptop_amd_gfx90c_pal.txt")
    result = ocelote("en", "classify", "--explain-plan", "--from", dump)
    assert result.returncode == 0, result.stderr
    assert "Detector: none (a first sort without boxes)" in result.stdout
    assert "If one were installed from the store (ocelote models):" in result.stdout
    assert "1280 px, FP32 on onnxruntime-cuda (GeForce RTX 3060 Laptop)" in result.stdout
    assert "MegaDetector v1000 spruce would take ≈ " in result.stdout

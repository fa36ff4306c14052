"""Where detectors run on the PCs rangers have: real dumps, and the same dumps with the card
swapped for the cases no dump covers (a 4 GB Polaris, an RDNA2 card, Windows with DirectML).

The table of every shared dump (plan, reason, estimate for 10,000 photos) is printed by
`test_the_plan_table_over_every_dump` (pytest -s), for the closing note of issue 16."""

from dataclasses import replace
from pathlib import Path

import onnx
import pytest
from onnx import TensorProto, helper

from engine.detection.onnx_facts import graph_facts
from engine.detection.plan import (
    catalog_detectors,
    detector_route,
    from_card,
    plan_detectors,
)
from engine.hardware.device import DeviceProfile
from engine.hardware.families import ALL_BOARDS
from engine.hardware.profile import profile_from_dump
from engine.i18n import fmt_duration
from engine.models.card import load_card
from tests.engine.detection.bright_cells import make_pack

DUMPS = Path(__file__).resolve().parents[3].parent / "shared" / "data" / "gpu_dumps"
GB = 1024**3
MDV5A = next(c for c in catalog_detectors() if c.id == "mdv5a")


def load(name: str) -> DeviceProfile:
    return profile_from_dump((DUMPS / name).read_text(encoding="utf-8", errors="replace"))


RX570 = load("clinfo_amd_rx570_ellesmere_amdapp3380_pal_linux.txt")
LAPTOP = load("enumdevices_windows_nvidia_rtx3060laptop_amd_gfx90c_pal.txt")


def with_gpu(profile: DeviceProfile, os_name: str = "linux", **changes) -> DeviceProfile:
    """The profile with its (first) graphics card changed."""
    gpu = profile.gpus[0]
    others = tuple(d for d in profile.devices if d is not gpu)
    return replace(profile, os=os_name, devices=(replace(gpu, **changes), *others))


def board(name: str) -> dict:
    spec = next(b for b in ALL_BOARDS if b.name == name)
    return {"name": spec.name, "board": spec.name, "family": spec.family, "gfx": spec.gfx}


def test_an_8_gb_polaris_runs_mdv5a_on_vulkan_four_photos_at_a_time():
    (plan,) = plan_detectors([MDV5A], with_gpu(RX570, vram_bytes=8 * GB))
    assert plan.route.backend == "ncnn-vulkan" and plan.route.on_gpu
    assert plan.batch == 4
    assert plan.precision == "fp32"  # Polaris has no fast FP16


def test_a_4_gb_polaris_runs_a_1280_yolov5x6_one_photo_at_a_time():
    (plan,) = plan_detectors([MDV5A], with_gpu(RX570, vram_bytes=4 * GB))
    assert plan.route.backend == "ncnn-vulkan"
    assert plan.batch == 1


def test_a_2_gb_card_does_not_hold_a_1280_detector_and_the_cpu_runs_it():
    (plan,) = plan_detectors([MDV5A], with_gpu(RX570, vram_bytes=2 * GB))
    assert not plan.route.on_gpu and plan.route.backend == "onnxruntime-cpu"
    assert any("does not fit in the 2.0 GB" in reason for reason in plan.route.reasons)


def test_a_card_with_fast_fp16_computes_in_fp16_on_vulkan_and_polaris_does_not():
    rx6600 = with_gpu(RX570, **board("Radeon RX 6600"), vram_bytes=8 * GB,
                      backends=("ncnn-vulkan", "opencv-opencl"))  # fmt: skip
    (rdna2,) = plan_detectors([MDV5A], rx6600)
    (polaris,) = plan_detectors([MDV5A], with_gpu(RX570, vram_bytes=8 * GB))
    assert (rdna2.route.backend, rdna2.precision) == ("ncnn-vulkan", "fp16")
    assert (polaris.route.backend, polaris.precision) == ("ncnn-vulkan", "fp32")
    assert rdna2.photos_per_second > polaris.photos_per_second


def test_rdna2_without_rocm_support_uses_vulkan_and_with_it_rocm():
    rx6600 = with_gpu(RX570, **board("Radeon RX 6600"), vram_bytes=8 * GB,
                      backends=("ncnn-vulkan", "opencv-opencl"))  # fmt: skip
    assert detector_route(rx6600).backend == "ncnn-vulkan"
    rx6800 = with_gpu(RX570, **board("Radeon RX 6800"), vram_bytes=16 * GB,
                      backends=("ncnn-vulkan", "onnxruntime-migraphx"))  # fmt: skip
    route = detector_route(rx6800)
    assert route.backend == "onnxruntime-migraphx"
    assert route.mdv5a_rate > detector_route(rx6600).mdv5a_rate


def test_a_laptop_igpu_alone_leaves_detectors_on_the_cpu():
    igpu_only = replace(LAPTOP, devices=tuple(d for d in LAPTOP.devices if d.integrated))
    route = detector_route(igpu_only)
    assert not route.on_gpu
    assert any("shares the computer's memory" in reason for reason in route.reasons)


def _onnx(path: Path, opset: int, size: int | str) -> Path:
    node = helper.make_node("Identity", ["images"], ["out"])
    graph = helper.make_graph(
        [node], "g", [helper.make_tensor_value_info("images", TensorProto.FLOAT,
                                                    ["batch", 3, size, size])],
        [helper.make_tensor_value_info("out", TensorProto.FLOAT, ["batch", 3, size, size])],
    )  # fmt: skip
    onnx.save_model(helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)]),
                    str(path))  # fmt: skip
    return path


def test_directml_takes_only_fixed_inputs_of_opset_17_or_lower(tmp_path):
    assert graph_facts(_onnx(tmp_path / "a.onnx", 17, 640)).directml_ready
    assert not graph_facts(_onnx(tmp_path / "b.onnx", 18, 640)).directml_ready
    assert not graph_facts(_onnx(tmp_path / "c.onnx", 17, "height")).directml_ready
    fixed = from_card(load_card(make_pack(tmp_path / "pack")))  # opset 17, 640 x 640
    assert fixed.directml_ready
    windows_amd = with_gpu(
        RX570, "windows", backends=("ncnn-vulkan", "onnxruntime-directml", "opencv-opencl")
    )
    assert detector_route(windows_amd, fixed).backend == "onnxruntime-directml"
    dynamic = replace(fixed, directml_ready=False)
    route = detector_route(windows_amd, dynamic)
    assert route.backend == "ncnn-vulkan"
    assert any("DirectML runs detectors only with a fixed input size" in r for r in route.reasons)


def test_cuda_wins_over_vulkan_on_nvidia():
    route = detector_route(LAPTOP)
    assert route.backend == "onnxruntime-cuda"


def _profiles() -> list[tuple[str, DeviceProfile]]:
    found = [(path.stem, load(path.name)) for path in sorted(DUMPS.glob("*.txt"))]
    found += [
        ("constructed: RX 570 4 GB (Polaris)", with_gpu(RX570, vram_bytes=4 * GB)),
        ("constructed: RX 6600 8 GB (RDNA2, no ROCm)",
         with_gpu(RX570, **board("Radeon RX 6600"), vram_bytes=8 * GB,
                  backends=("ncnn-vulkan",))),
        ("constructed: laptop iGPU only (gfx90c)",
         replace(LAPTOP, devices=tuple(d for d in LAPTOP.devices if d.integrated))),
        ("constructed: no GPU", replace(RX570, devices=())),
    ]  # fmt: skip
    return found


@pytest.mark.parametrize("name,profile", _profiles(), ids=[n for n, _p in _profiles()])
def test_every_pc_gets_a_route_with_reasons_and_an_estimate(name, profile):
    plans = plan_detectors(catalog_detectors(), profile)
    chosen = plans[0]
    assert chosen.route.reasons
    assert chosen.batch >= 1
    assert 0 < chosen.seconds_for(10_000) < 7 * 24 * 3600
    gpu = next((g for g in profile.gpus if not g.integrated), None)
    if gpu is not None and chosen.route.on_gpu and gpu.vendor == "amd":
        assert chosen.route.backend in ("ncnn-vulkan", "onnxruntime-migraphx")


def test_the_plan_table_over_every_dump(capsys):
    rows = []
    for name, profile in _profiles():
        mdv5a = plan_detectors([MDV5A], profile)[0]
        chosen = plan_detectors(catalog_detectors(), profile)[0]
        why = chosen.route.reasons[-1 if chosen.route.on_gpu else 0]  # the chosen device's
        rows.append(
            f"| {name} | {mdv5a.route.backend} b{mdv5a.batch}: "
            f"{fmt_duration(mdv5a.seconds_for(10_000))} | {chosen.card.id} on "
            f"{chosen.route.backend} b{chosen.batch}: {fmt_duration(chosen.seconds_for(10_000))}"
            f" | {why} |"
        )
    with capsys.disabled():
        print("\n| PC | MDv5a, 10,000 photos | plan's pick, 10,000 photos | why |")
        print("\n".join(rows))
    assert len(rows) == len(_profiles())

"""The plan each kind of station PC gets: table-driven over real device dumps, and the rules."""

from dataclasses import replace

import pytest

from engine.backends.measure import Row
from engine.hardware.cpu import CpuInfo
from engine.hardware.device import DeviceProfile
from engine.hardware.profile import profile_from_dump
from engine.models.select import Preferences, choose, fitting_batch
from engine.models.store import find_card

AVX2 = CpuInfo(model="old", flags=("avx", "avx2", "fma"))
VNNI = CpuInfo(model="new", flags=("avx", "avx2", "avx512f", "avx512_vnni"))

# dump file, OS → backend, variant, words in the device name, fallbacks
PLANS = [
    ("clinfo_amd_rx570_ellesmere_amdapp3380_pal_linux.txt", "linux",
     "ncnn-vulkan", "fp32", "RX 570", (("onnxruntime-cpu", "fp32"),)),
    ("clinfo_amd_rx570_ellesmere_amdapp3380_pal_linux.txt", "windows",
     "ncnn-vulkan", "fp32", "RX 570",
     (("onnxruntime-directml", "fp32"), ("onnxruntime-cpu", "fp32"))),
    ("clinfo_amd_rx480_gfx803_rocm1x_linux.txt", "linux",
     "ncnn-vulkan", "fp32", "Polaris", (("onnxruntime-cpu", "fp32"),)),
    ("clinfo_mesa_clover_rx480_polaris10_ubuntu1804.txt", "linux",
     "ncnn-vulkan", "fp32", "RX 480", (("onnxruntime-cpu", "fp32"),)),
    ("lspci_clinfo_amd_rx480_zero_devices_amdgpupro20.20.txt", "linux",
     "ncnn-vulkan", "fp32", "Ellesmere", (("onnxruntime-cpu", "fp32"),)),
    ("clinfo_amd_vega64_gfx900_rocm1.8_linux.txt", "linux",
     "ncnn-vulkan", "fp16", "Vega 64", (("onnxruntime-cpu", "fp32"),)),
    ("rocminfo_clinfo_amd_rx5600xt_navi10_gfx1010_rocm3.10.txt", "linux",
     "ncnn-vulkan", "fp16", "RX 5600 XT", (("onnxruntime-cpu", "fp32"),)),
    ("clinfo_intel_uhd630_0x3e92_neo_abridged.txt", "linux",
     "onnxruntime-cpu", "fp32", "CPU", ()),
    ("clinfo_nvidia_gtx560m_cuda9.1_linuxmint.txt", "linux",
     "onnxruntime-cpu", "fp32", "CPU", ()),
    ("enumdevices_windows_nvidia_gtx1650maxq_intel_irisxe_neo.txt", "windows",
     "ncnn-vulkan", "fp16", "GTX 1650",
     (("onnxruntime-directml", "fp32"), ("onnxruntime-cuda", "fp32"), ("onnxruntime-cpu", "fp32"))),
    ("enumdevices_windows_nvidia_rtx3060laptop_amd_gfx90c_pal.txt", "windows",
     "ncnn-vulkan", "fp16", "RTX 3060",
     (("onnxruntime-directml", "fp32"), ("onnxruntime-cuda", "fp32"), ("onnxruntime-cpu", "fp32"))),
]  # fmt: skip


@pytest.mark.parametrize(("dump", "os_name", "backend", "variant", "device", "fallbacks"), PLANS)
def test_plan_for_each_station_pc(shared_data, dump, os_name, backend, variant, device, fallbacks):
    text = (shared_data / "gpu_dumps" / dump).read_text(encoding="utf-8", errors="replace")
    profile = replace(profile_from_dump(text, os_name), cpu=AVX2)
    choice = choose(find_card(), profile)
    assert (choice.backend, choice.variant.id) == (backend, variant)
    assert device in choice.device
    assert choice.fallbacks == fallbacks
    # ncnn-Vulkan runs 4 extractors x 16 images per pass; onnxruntime on the CPU, batches of 16
    assert choice.batch_size == (64 if backend == "ncnn-vulkan" else 16) and choice.reasons


def test_every_dump_is_covered(shared_data):
    dumps = {path.name for path in (shared_data / "gpu_dumps").glob("*.txt")}
    assert dumps == {row[0] for row in PLANS}


def test_cpu_only_pc_runs_fp32_even_with_vnni():
    card = find_card()
    bare = DeviceProfile(os="linux", cpu=AVX2, devices=())
    choice = choose(card, bare)
    assert (choice.backend, choice.variant.id) == ("onnxruntime-cpu", "fp32")
    assert "no usable GPU found" in choice.reason
    assert choose(card, replace(bare, cpu=VNNI)).variant.id == "fp32"


def test_a_probe_measurement_beats_the_rules(shared_data):
    text = (shared_data / "gpu_dumps" / PLANS[0][0]).read_text(encoding="utf-8")
    profile = profile_from_dump(text, "linux")
    measured = Row("onnxruntime-cpu", "int8", "CPU", 123.0, 1.4, 0, None, 1.0, 0.0, "")
    choice = choose(find_card(), profile, measured=measured)
    assert (choice.backend, choice.variant.id) == ("onnxruntime-cpu", "int8")
    assert "--probe" in choice.reason
    forced = choose(find_card(), profile, Preferences(variant="fp32"), measured)
    assert forced.backend == "ncnn-vulkan"


def test_user_choice_wins(shared_data):
    text = (shared_data / "gpu_dumps" / PLANS[0][0]).read_text(encoding="utf-8")
    profile = profile_from_dump(text, "linux")
    choice = choose(find_card(), profile, Preferences(variant="int8", backend="onnxruntime-cpu"))
    assert (choice.backend, choice.variant.id) == ("onnxruntime-cpu", "int8")
    assert "INT8 as requested" in choice.reason


def test_batch_shrinks_when_memory_is_tight():
    fp32 = find_card().variant("fp32")
    assert fitting_batch(fp32, 8 * 1024**3, None) == 16
    assert fitting_batch(fp32, 256 * 1024**2, None) < 16
    assert fitting_batch(fp32, 256 * 1024**2, 4) == 4
    assert fitting_batch(fp32, 8 * 1024**3, None, largest=64) == 64
    assert fitting_batch(fp32, 2 * 1024**3, None, largest=64) == 32


def test_tight_memory_turns_a_polaris_card_to_fp16(shared_data):
    text = (shared_data / "gpu_dumps" / PLANS[0][0]).read_text(encoding="utf-8")
    profile = profile_from_dump(text, "linux")
    small = replace(profile.gpus[0], vram_bytes=512 * 1024**2, vram_free_bytes=400 * 1024**2)
    profile = replace(profile, devices=(small, *profile.devices[1:]))
    choice = choose(find_card(), profile)
    assert choice.variant.id == "fp16" and "memory is tight" in choice.reason

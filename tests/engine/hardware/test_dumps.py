"""Every shared GPU dump parses to the right vendor, family and VRAM (values read from the
dumps and their MANIFEST); messy inputs give a clear result, never an exception."""

from pathlib import Path

import pytest

from engine.hardware.parse_clinfo import parse_clinfo
from engine.hardware.parse_lspci import parse_lspci
from engine.hardware.parse_rocminfo import parse_rocminfo
from engine.hardware.parse_windows import parse_any_windows
from engine.hardware.profile import profile_from_dump

MIB, GIB = 1024**2, 1024**3

# file -> (guessed os, [(vendor, family, gfx, board or None, vram_bytes or None)], cpu name part)
EXPECTED = {
    "clinfo_amd_rx570_ellesmere_amdapp3380_pal_linux.txt": (
        "linux", [("amd", "Polaris", "gfx803", "Radeon RX 570", 8 * GIB)], None),
    "clinfo_amd_rx480_gfx803_rocm1x_linux.txt": (
        "linux", [("amd", "Polaris", "gfx803", None, 8 * GIB)], None),  # 480/580/590: ambiguous
    "rocminfo_clinfo_amd_rx5600xt_navi10_gfx1010_rocm3.10.txt": (
        "linux", [("amd", "Navi 1x (RDNA1)", "gfx1010", "Radeon RX 5600 XT", 6275072 * 1024)],
        "G4560"),
    "clinfo_amd_vega64_gfx900_rocm1.8_linux.txt": (
        "linux", [("amd", "Vega", "gfx900", "Radeon RX Vega 64", 8573157376)], None),
    "clinfo_mesa_clover_rx480_polaris10_ubuntu1804.txt": (
        "linux", [("amd", "Polaris", "gfx803", "Radeon RX 480", 8587018240)], None),
    "clinfo_nvidia_gtx560m_cuda9.1_linuxmint.txt": (
        "linux", [("nvidia", "Fermi", None, "GeForce GTX 560M", 3150839808)], None),
    "enumdevices_windows_nvidia_rtx3060laptop_amd_gfx90c_pal.txt": (
        "unknown",
        [("nvidia", "Ampere", None, "GeForce RTX 3060 Laptop", 6143 * MIB),
         ("amd", "AMD APU (Renoir/Cezanne)", "gfx90c", None, 6235 * MIB)],
        "EPYC 7763"),
    "enumdevices_windows_nvidia_gtx1650maxq_intel_irisxe_neo.txt": (
        "windows",
        [("nvidia", "Turing", None, "GeForce GTX 1650 Mobile / Max-Q", 4095 * MIB),
         ("intel", "Intel Xe", None, "Intel Iris Xe Graphics (Tiger Lake, 80-96 EU)", 6430 * MIB)],
        "i5-11300H"),
    "lspci_clinfo_amd_rx480_zero_devices_amdgpupro20.20.txt": (
        "linux", [("amd", "Polaris", "gfx803", None, None)], None),  # lspci: no memory size
    "clinfo_intel_uhd630_0x3e92_neo_abridged.txt": (
        "linux", [("intel", "Intel Gen9", None, "Intel UHD Graphics 630", None)], None),
}  # fmt: skip


def _dumps(shared_data: Path) -> list[Path]:
    return sorted((shared_data / "gpu_dumps").glob("*.txt"))


def test_every_dump_has_expectations(shared_data: Path) -> None:
    assert {p.name for p in _dumps(shared_data)} == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_dump_parses_to_expected_devices(shared_data: Path, name: str) -> None:
    os_name, gpus, cpu_part = EXPECTED[name]
    profile = profile_from_dump((shared_data / "gpu_dumps" / name).read_text(encoding="utf-8"))
    assert profile.os == os_name
    got = [(d.vendor, d.family, d.gfx, d.board, d.vram_bytes) for d in profile.gpus]
    assert sorted(got, key=str) == sorted(gpus, key=str)
    cpu = profile.cpu_device
    assert cpu is not None and "onnxruntime-cpu" in cpu.backends
    if cpu_part:
        assert cpu_part in cpu.name


def test_polaris_backends_and_notes(shared_data: Path) -> None:
    text = shared_data / "gpu_dumps" / "clinfo_amd_rx570_ellesmere_amdapp3380_pal_linux.txt"
    gpu = profile_from_dump(text.read_text(encoding="utf-8")).gpus[0]
    assert gpu.pci_id == "1002:67df" and gpu.fast_fp16 is False and gpu.int8_dot is False
    assert gpu.vram_free_bytes == 8321000 * 1024  # AMD's free memory is in KiB
    assert gpu.backends == ("ncnn-vulkan", "opencv-opencl")
    windows = profile_from_dump(text.read_text(encoding="utf-8"), os_name="windows").gpus[0]
    assert "onnxruntime-directml" in windows.backends


def test_one_card_from_two_tools_is_one_device(shared_data: Path) -> None:
    name = "rocminfo_clinfo_amd_rx5600xt_navi10_gfx1010_rocm3.10.txt"
    profile = profile_from_dump((shared_data / "gpu_dumps" / name).read_text(encoding="utf-8"))
    (gpu,) = profile.gpus
    assert gpu.sources == ("clinfo", "rocminfo") and gpu.compute_units == 36
    assert any("truncated" in n for n in profile.notes)


def test_zero_devices_and_zero_platforms_are_noted(shared_data: Path) -> None:
    dumps = shared_data / "gpu_dumps"
    lspci = profile_from_dump((dumps / "lspci_clinfo_amd_rx480_zero_devices_amdgpupro20.20.txt")
                              .read_text(encoding="utf-8"))  # fmt: skip
    assert any("no device" in n for n in lspci.notes)
    assert "opencv-opencl" not in lspci.gpus[0].backends  # OpenCL does not reach the card
    nvidia = (dumps / "clinfo_nvidia_gtx560m_cuda9.1_linuxmint.txt").read_text(encoding="utf-8")
    first_part = nvidia.split("# ---- clinfo, kernel 5.4.0-128 ----")[0]
    profile = profile_from_dump(first_part)
    assert profile.gpus == () and any("no OpenCL platform" in n for n in profile.notes)


def test_loader_error_is_a_note(shared_data: Path) -> None:
    text = shared_data / "gpu_dumps" / "clinfo_amd_vega64_gfx900_rocm1.8_linux.txt"
    profile = profile_from_dump(text.read_text(encoding="utf-8"))
    assert any("LoadLib" in n for n in profile.notes)


MESSY = {
    "empty": "",
    "source line only": "# source: somewhere\n",
    "loader error": "LoadLib(libamdocl64.so) failed: cannot open shared object file\n",
    "segfault": "Segmentation fault (core dumped)\n",
    "garbage": "\x00\x01 ### ???\n" * 5,
    "blank names": "Number of platforms 1\n  Platform Name  \nNumber of devices  1\n"
    "  Device Name    \n  Device Type    GPU\n",
    "rocminfo blank": "HSA Agents\n*******\nAgent 1\n*******\n  Name:\n",
    "enum blank": "Number of OpenCL platforms: 1\nPlatform #1/1\n    Platform name: \n",
}


@pytest.mark.parametrize("label", sorted(MESSY))
def test_messy_input_gives_a_clear_result(label: str) -> None:
    profile = profile_from_dump(MESSY[label])
    assert profile.cpu_device is not None
    assert profile.notes  # always says something about what it found or did not
    for parse in (parse_clinfo, parse_rocminfo, parse_lspci, parse_any_windows):
        parse(MESSY[label])  # never raises


def test_blank_device_name_is_noted() -> None:
    result = parse_clinfo(MESSY["blank names"])
    assert len(result.devices) == 1 and "blank name" in result.devices[0].notes[0]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_truncated_half_never_raises(shared_data: Path, name: str) -> None:
    text = (shared_data / "gpu_dumps" / name).read_text(encoding="utf-8")
    for cut in (len(text) // 2, len(text) // 3, 200):
        profile = profile_from_dump(text[:cut])
        assert profile.cpu_device is not None

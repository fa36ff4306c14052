"""Forms of device listings not in the shared dumps (constructed here, one per form): a card
lspci cannot name, memory in other units and phrasings, CPU OpenCL runtimes, Raphael."""

import pytest

from engine.hardware.families import identify
from engine.hardware.parse_clinfo import parse_clinfo
from engine.hardware.pci_table import TABLE, pci_name
from engine.hardware.profile import profile_from_dump
from engine.hardware.records import device_type_from, parse_bytes

MIB, GIB = 1024**2, 1024**3
AMD_VGA = "03:00.0 VGA compatible controller{code}: Advanced Micro Devices, Inc. [AMD/ATI] "


@pytest.mark.parametrize(
    ("line", "pci_id", "family", "gfx", "name_part"),
    [
        (AMD_VGA.format(code="") + "Device 687f (rev c1)", "1002:687f", "Vega", "gfx900",
         "Vega 10"),
        (AMD_VGA.format(code=" [0300]") + "Device [1002:687f] (rev c3)", "1002:687f", "Vega",
         "gfx900", "Vega 10"),
        (AMD_VGA.format(code="") + "Device 6863", "1002:6863", "Vega", "gfx900", "Frontier"),
        (AMD_VGA.format(code="") + "Device 67c4 (rev 00)", "1002:67c4", "Polaris", "gfx803",
         "WX 7100"),
        (AMD_VGA.format(code="") + "Device 164e (rev c1)", "1002:164e",
         "AMD APU (Raphael/Mendocino)", "gfx1036", "Raphael"),
        ("01:00.0 VGA compatible controller: NVIDIA Corporation Device 1f82 (rev a1)",
         "10de:1f82", "Turing", None, "GTX 1650"),
    ],
)  # fmt: skip
def test_lspci_device_without_a_name_is_found_by_its_id(
    line: str, pci_id: str, family: str, gfx: str | None, name_part: str
) -> None:
    (gpu,) = profile_from_dump(line).gpus
    assert (gpu.pci_id, gpu.family, gpu.gfx) == (pci_id, family, gfx)
    assert name_part in gpu.name and "Device" not in gpu.name
    assert any("id list" in n for n in gpu.notes)


# pci.ids codename (first word(s) of the name) -> (family, gfx): every listed id of these chips
CHIPS = {
    "Ellesmere": ("Polaris", "gfx803"), "Baffin": ("Polaris", "gfx803"),
    "Lexa": ("Polaris", "gfx803"), "Vega 10": ("Vega", "gfx900"), "Vega 20": ("Vega", "gfx906"),
    "Navi 10": ("Navi 1x (RDNA1)", "gfx1010"), "Navi 14": ("Navi 1x (RDNA1)", "gfx1012"),
    "Navi 21": ("RDNA2", "gfx1030"), "Navi 23": ("RDNA2", "gfx1032"),
    "Navi 31": ("RDNA3", "gfx1100"), "Rembrandt": ("AMD APU (Rembrandt)", "gfx1035"),
    "Raphael": ("AMD APU (Raphael/Mendocino)", "gfx1036"),
    "Renoir": ("AMD APU (Renoir/Cezanne)", "gfx90c"), "Tahiti": ("GCN older", None),
    "Hawaii": ("GCN older", None),
}  # fmt: skip


def test_every_listed_device_of_a_known_chip_gets_its_family() -> None:
    rows = [r.split("\t") for r in TABLE.read_text(encoding="utf-8").splitlines()]
    checked = 0
    for vendor, device, name in (r for r in rows if len(r) == 3 and r[0] == "amd"):
        chip = next((c for c in CHIPS if name.startswith(c + " ") or name == c), None)
        if chip is None or "Audio" in name or "USB" in name:
            continue
        ident = identify("amd", pci_name(vendor, int(device, 16)), int(device, 16))
        family, gfx = CHIPS[chip]
        assert ident.family == family, name
        if gfx:
            assert ident.gfx == gfx, name
        checked += 1
    assert checked > 60  # the table holds the whole AMD list, not a hand-picked few


def test_pci_table_carries_its_licence_and_source() -> None:
    head = TABLE.read_text(encoding="utf-8")[:2000]
    assert "pci-ids.ucw.cz" in head and "BSD" in head and "Version:" in head
    assert pci_name("amd", 0x687F).startswith("Vega 10") and pci_name("amd", None) == ""


@pytest.mark.parametrize(
    ("gfx", "family"),
    [("gfx1035", "AMD APU (Rembrandt)"), ("gfx1036", "AMD APU (Raphael/Mendocino)")],
)
def test_rocminfo_style_gfx_names_rembrandt_and_raphael_apart(gfx: str, family: str) -> None:
    dump = (
        "Number of platforms  1\n  Platform Name  AMD Accelerated Parallel Processing\n"
        f"Number of devices  1\n  Device Name  {gfx}\n  Device Type  GPU\n"
    )
    (gpu,) = profile_from_dump(dump).gpus
    assert (gpu.family, gpu.gfx, gpu.integrated) == (family, gfx, True)


@pytest.mark.parametrize(
    ("text", "bare", "expected"),
    [
        ("8589934592 (8GiB)", "", 8 * GIB), ("12281 MB", "", 12281 * MIB),
        ("12.0 GiB", "", 12 * GIB), ("(12 GiB)", "", 12 * GIB), ("12,281 MB", "", 12281 * MIB),
        ("12,0 GiB", "", 12 * GIB), ("6275072(0x5fc000) KB", "", 6275072 * 1024),
        ("11 GB 1017 MB", "", 11 * GIB + 1017 * MIB), ("0x300000000", "", 12 * GIB),
        ("12884901888 bytes", "", 12 * GIB), ("12281 MiB (12.0 GiB)", "", 12281 * MIB),
        ("8321000 (7.936GiB)", "k", 8321000 * 1024), ("6143", "m", 6143 * MIB),
        ("12 G", "", 12 * GIB), ("n/a", "", None), ("", "", None),
    ],
)  # fmt: skip
def test_memory_in_any_unit(text: str, bare: str, expected: int | None) -> None:
    assert parse_bytes(text, bare) == expected


NV_12GB = (
    "Number of platforms  1\n  Platform Name  NVIDIA CUDA\nNumber of devices  1\n"
    "  Device Name  NVIDIA GeForce RTX 3060\n  Device Type  GPU\n  {line}\n"
    "NULL platform behavior\n"
)


@pytest.mark.parametrize(
    "line",
    [
        "global memory size: 12281 MB",
        "Global memory size:   12281 MB",
        "Global Memory Size    12281 MB",
        "Global memory size    12877561856 (11.99GiB)",
        "Global mem size: 12281MB",
        "CL_DEVICE_GLOBAL_MEM_SIZE: 12877561856",
    ],
)
def test_clinfo_memory_in_any_phrasing(line: str) -> None:
    (gpu,) = profile_from_dump(NV_12GB.format(line=line)).gpus
    assert gpu.vram_bytes == 12281 * MIB or gpu.vram_bytes == 12877561856
    assert gpu.family == "Ampere"


@pytest.mark.parametrize(
    "line",
    ["global memory size: 12281 MB", "Global memory size: 12 GB", "Global mem size: 12.0 GiB"],
)
def test_device_list_memory_in_any_phrasing(line: str) -> None:
    dump = (
        "Number of OpenCL platforms: 1\nPlatform #1/1\n    Platform name: AMD APP\n"
        f"    Device #1/1:\n        Name: gfx1031\n        Device type: GPU\n        {line}\n"
    )
    (gpu,) = profile_from_dump(dump).gpus
    assert gpu.vram_bytes in (12281 * MIB, 12 * GIB) and gpu.family == "RDNA2"


INTEL_CPU_RUNTIME = {
    "clinfo raw, type only": (
        "[INTEL/*]  CL_PLATFORM_NAME  Intel(R) OpenCL\n"
        "[INTEL/0]  CL_DEVICE_NAME  \n"
        "[INTEL/0]  CL_DEVICE_VENDOR  Intel(R) Corporation\n"
        "[INTEL/0]  CL_DEVICE_TYPE  CL_DEVICE_TYPE_CPU\n"
        "[INTEL/0]  CL_DEVICE_GLOBAL_MEM_SIZE  16856227840\n"
    ),
    "clinfo -l, name only": (
        "Platform #0: Intel(R) CPU Runtime for OpenCL(TM) Applications\n"
        " `-- Device #0: Intel(R) Core(TM) i5-8250U CPU @ 1.60GHz\n"
    ),
    "classic, type missing, name blank": (
        "Number of platforms  1\n  Platform Name  Intel(R) OpenCL\nNumber of devices  1\n"
        "  Device Name  \n  Device Vendor  Intel(R) Corporation\n"
    ),
    "device list, pyopencl type bits": (
        "Number of OpenCL platforms: 1\nPlatform #1/1\n    Platform name: Intel(R) OpenCL\n"
        "    Device #1/1:\n        Name: \n        Device type: 2\n"
        "        Global memory size: 16075MB\n"
    ),
    "classic, colon layout": (
        "Number of platforms: 1\n  Platform Name: Intel(R) OpenCL\nNumber of devices: 1\n"
        "  Device Name: Intel(R) Xeon(R) CPU E5-2680 v4 @ 2.40GHz\n  Device Type: CPU\n"
    ),
}  # fmt: skip


@pytest.mark.parametrize("label", sorted(INTEL_CPU_RUNTIME))
def test_intel_cpu_opencl_runtime_is_the_cpu_not_a_gpu(label: str) -> None:
    profile = profile_from_dump(INTEL_CPU_RUNTIME[label])
    assert profile.gpus == ()
    assert profile.cpu_device is not None and "opencv-opencl" in profile.cpu_device.backends


def test_device_type_spellings() -> None:
    assert device_type_from("CL_DEVICE_TYPE_DEFAULT | CL_DEVICE_TYPE_GPU") == "gpu"
    assert device_type_from("4") == device_type_from("0x4") == "gpu"
    assert device_type_from("8") == "accelerator" and device_type_from("Custom") == "other"
    assert device_type_from("", "Ellesmere", "AMD Accelerated Parallel Processing") == "gpu"
    assert device_type_from("", "", "Intel(R) OpenCL HD Graphics") == "gpu"


def test_clinfo_colon_layout_reads_name_and_type() -> None:
    (dev,) = parse_clinfo(INTEL_CPU_RUNTIME["classic, colon layout"]).devices
    assert dev.name.startswith("Intel(R) Xeon") and dev.device_type == "cpu"


# Listings no dedicated parser knows (hashcat -I, OpenCV's OpenCL dump, darktable's log).
HASHCAT = """hashcat (v6.2.6) starting in backend information mode

OpenCL Info:
============

OpenCL Platform ID #1
  Vendor..: Advanced Micro Devices, Inc.
  Name....: AMD Accelerated Parallel Processing
  Version.: OpenCL 2.1 AMD-APP (3224.4)

  Backend Device ID #1
    Type...........: GPU
    Vendor.ID......: 1
    Vendor.........: Advanced Micro Devices, Inc.
    Name...........: gfx1031
    Version........: OpenCL 2.0
    Processor(s)...: 20
    Clock..........: 2725
    Memory.Total...: 12272 MB (limited to 9824 MB allocatable in one block)
    Memory.Free....: 12208 MB
    OpenCL.Version.: OpenCL C 2.0
    Driver.Version.: 3224.4 (PAL,LC)

OpenCL Platform ID #2
  Vendor..: Intel(R) Corporation
  Name....: Intel(R) OpenCL
  Version.: OpenCL 3.0 WINDOWS

  Backend Device ID #2
    Type...........: CPU
    Vendor.ID......: 8
    Vendor.........: Intel(R) Corporation
    Name...........: Intel(R) Core(TM) i5-10400F CPU @ 2.90GHz
    Processor(s)...: 12
    Memory.Total...: 16285 MB (limited to 4071 MB allocatable in one block)
"""
OPENCV = """OpenCL Platforms:
    NVIDIA CUDA
        dGPU: NVIDIA GeForce RTX 3060 (OpenCL 3.0 CUDA)
    Intel(R) OpenCL
        CPU: Intel(R) Core(TM) i7-10700 CPU @ 2.90GHz (OpenCL 3.0 (Build 0))
Current OpenCL device:
    Type = dGPU
    Name = NVIDIA GeForce RTX 3060
    Version = OpenCL 3.0 CUDA
    Driver version = 535.54.03
    Compute units = 28
    Max work group size = 1024
    Local memory size = 48 KB
    Max memory allocation size = 2 GB 1022 MB 816 KB
    Global memory size = 11 GB 1017 MB
    Host unified memory = No
"""
DARKTABLE = """[opencl_init] device 0: 'gfx1031'
   GLOBAL MEM SIZE:          12272 MB
   MAX WORK GROUP SIZE:      256
   DEVICE:                   0: 'gfx1031'
   PLATFORM NAME & VENDOR:   AMD Accelerated Parallel Processing, Advanced Micro Devices, Inc.
   DRIVER VERSION:           3513.0 (HSA1.1,LC)
"""


@pytest.mark.parametrize(
    ("dump", "name_part", "family", "vram_mib", "cpu_part"),
    [
        (HASHCAT, "gfx1031", "RDNA2", 12272, "i5-10400F"),
        (OPENCV, "RTX 3060", "Ampere", 11 * 1024 + 1017, "i7-10700"),
        (DARKTABLE, "gfx1031", "RDNA2", 12272, None),
    ],
    ids=["hashcat", "opencv", "darktable"],
)  # fmt: skip
def test_other_device_listings(
    dump: str, name_part: str, family: str, vram_mib: int, cpu_part: str | None
) -> None:
    profile = profile_from_dump(dump)
    (gpu,) = profile.gpus
    assert name_part in gpu.name or name_part == gpu.gfx
    assert (gpu.family, gpu.vram_bytes) == (family, vram_mib * MIB)
    assert "opencv-opencl" in gpu.backends  # these listings come from OpenCL
    if cpu_part:
        assert profile.cpu_device is not None and cpu_part in profile.cpu_device.name

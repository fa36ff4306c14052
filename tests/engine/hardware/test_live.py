"""The live sources on this machine: pocl is a real OpenCL platform here; sysfs is faked."""

import sys
from pathlib import Path

from engine.hardware.cpu import read_cpu
from engine.hardware.opencl_probe import probe_opencl
from engine.hardware.profile import detect
from engine.hardware.sysfs import read_sysfs
from engine.hardware.windows import read_dxgi


def test_detect_finds_the_cpu_and_pocl(tmp_path: Path) -> None:
    profile = detect(sysfs_root=tmp_path)
    cpu = profile.cpu_device
    assert cpu is not None and cpu.name and "onnxruntime-cpu" in cpu.backends
    assert "Portable Computing Language" in cpu.opencl_platforms
    assert "opencl" in cpu.sources and "opencv-opencl" in cpu.backends
    assert profile.cpu.logical_cores and profile.cpu.logical_cores >= 1


def test_pocl_is_enumerated_in_the_child() -> None:
    devices, notes = probe_opencl()
    assert any(d.platform == "Portable Computing Language" and d.device_type == "cpu"
               for d in devices), notes  # fmt: skip


def test_a_hanging_probe_is_cut_off_and_reported(tmp_path: Path) -> None:
    hang = [sys.executable, "-c", "import time; time.sleep(60)"]
    devices, notes = probe_opencl(timeout_s=0.5, command=hang)
    assert devices == [] and "did not finish within 0.5 s" in notes[0]
    profile = detect(opencl_timeout_s=0.5, sysfs_root=tmp_path, probe_command=hang)
    assert profile.cpu_device is not None
    assert any("did not finish" in n for n in profile.notes)


def test_a_crashing_probe_is_reported() -> None:
    crash = [sys.executable, "-c", "import os; os.abort()"]
    devices, notes = probe_opencl(timeout_s=10, command=crash)
    assert devices == [] and "crashed" in notes[0]
    garbage = [sys.executable, "-c", "print('not json')"]
    assert "unreadable" in probe_opencl(10, garbage)[1][0]


def _card(root: Path, index: int, **files: str) -> None:
    device = root / f"card{index}" / "device"
    device.mkdir(parents=True)
    for name, value in files.items():
        (device / name).write_text(value + "\n")


def test_fake_sysfs_rx570_merges_with_nothing_and_is_named(tmp_path: Path) -> None:
    # Values from the RX 570 dump: 1002:67df, 8 GiB, 8321000 KiB free, bus 04:00.0.
    _card(tmp_path, 0, vendor="0x1002", device="0x67df", **{"class": "0x030000"},
          mem_info_vram_total=str(8 * 1024**3),
          mem_info_vram_used=str(8 * 1024**3 - 8321000 * 1024),
          uevent="DRIVER=amdgpu\nPCI_SLOT_NAME=0000:04:00.0")  # fmt: skip
    _card(tmp_path, 1, vendor="0x8086", device="0x3e92", **{"class": "0x030000"})
    (tmp_path / "card0-DP-1").mkdir()  # connectors are not cards
    _card(tmp_path, 2, vendor="0x1af4", device="0x1000", **{"class": "0x020000"})  # a NIC
    records = read_sysfs(tmp_path)
    assert [(r.vendor_id, r.device_id) for r in records] == [(0x1002, 0x67DF), (0x8086, 0x3E92)]
    assert records[0].global_mem_bytes == 8 * 1024**3
    assert records[0].free_mem_bytes == 8321000 * 1024
    assert records[0].bus == "04:00.0" and records[0].driver == "amdgpu (kernel)"
    profile = detect(sysfs_root=tmp_path)
    amd = next(d for d in profile.gpus if d.vendor == "amd")
    assert amd.family == "Polaris" and amd.vram_bytes == 8 * 1024**3 and amd.sources == ("sysfs",)
    intel = next(d for d in profile.gpus if d.vendor == "intel")
    assert intel.family == "Intel Gen9" and intel.name == "Intel UHD Graphics 630"


def test_missing_sysfs_and_no_windows() -> None:
    assert read_sysfs(Path("/nonexistent/drm")) == []
    if sys.platform != "win32":
        assert read_dxgi() == []


def test_cpu_info_reads_flags(tmp_path: Path) -> None:
    fake = tmp_path / "cpuinfo"
    fake.write_text("model name\t: Test CPU\nflags\t\t: fpu sse avx avx2 avx512f avx512_vnni\n")
    cpu = read_cpu(fake)
    assert cpu.model == "Test CPU" and cpu.flags == ("avx", "avx2", "avx512f", "avx512_vnni")
    assert read_cpu(tmp_path / "missing").model  # falls back to the platform module

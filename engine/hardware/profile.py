"""The PC's `DeviceProfile`: live (`detect`) or rebuilt from a pasted dump (`profile_from_dump`).

Both paths go through the same merge, so a support person's `--from dump.txt` shows what the
user's PC would show. Nothing here raises on bad input: problems become notes.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Sequence
from dataclasses import asdict
from pathlib import Path

from engine.hardware.build import build_cpu, build_gpu, group_records
from engine.hardware.cpu import CpuInfo, read_cpu
from engine.hardware.device import DeviceProfile, GpuDevice
from engine.hardware.opencl_probe import DEFAULT_TIMEOUT_S, probe_opencl
from engine.hardware.parse_clinfo import looks_like_clinfo, parse_clinfo
from engine.hardware.parse_listing import looks_like_listing, parse_listing
from engine.hardware.parse_lspci import looks_like_lspci, parse_lspci
from engine.hardware.parse_rocminfo import looks_like_rocminfo, parse_rocminfo
from engine.hardware.parse_windows import (
    looks_like_enumdevices,
    looks_like_pnp,
    parse_enumdevices,
    parse_pnp,
)
from engine.hardware.records import ParseResult, RawDevice, split_parts, strip_added_lines
from engine.hardware.sysfs import DEFAULT_ROOT, read_sysfs
from engine.hardware.windows import read_dxgi

_PARSERS: tuple[tuple[str, Callable[[str], bool], Callable[[str], ParseResult]], ...] = (
    ("rocminfo", looks_like_rocminfo, parse_rocminfo),
    ("clinfo", looks_like_clinfo, parse_clinfo),
    ("lspci", looks_like_lspci, parse_lspci),
    ("enumDevices", looks_like_enumdevices, parse_enumdevices),
    ("PnP ids", looks_like_pnp, parse_pnp),
)


def _os_name() -> str:
    if sys.platform.startswith("linux"):
        return "linux"
    if sys.platform == "win32":
        return "windows"
    return "darwin" if sys.platform == "darwin" else "unknown"


def guess_os(text: str) -> str:
    """Windows for `.exe`/`C:\\`/PnP ids; Linux for the Linux tools' fingerprints."""
    if re.search(r"\.exe\b|[A-Z]:\\|PCI\\VEN_|Windows", text):
        return "windows"
    if re.search(r"ICD loader|OCL Icd|rocminfo|ROCk module|/dev/|/sys/|/usr/lib|lspci|\bDRM\b|"
                 r"HSA Agents|VGA compatible controller", text):  # fmt: skip
        return "linux"
    return "unknown"


def _sort_key(dev: GpuDevice) -> tuple[int, int]:
    return (2 if dev.is_cpu else (1 if dev.integrated else 0), -(dev.vram_bytes or 0))


def assemble(
    records: Sequence[RawDevice],
    os_name: str,
    cpu: CpuInfo,
    notes: Sequence[str],
    ram: tuple[int | None, int | None] = (None, None),
    origin: str = "live",
) -> DeviceProfile:
    """Merge records into devices, always with one CPU device, GPUs first (largest VRAM)."""
    cpu_records, groups = group_records(records)
    devices = [build_gpu(group, os_name) for group in groups]
    devices.append(build_cpu(cpu_records, cpu, ram, os_name))
    devices.sort(key=_sort_key)
    if not any(not d.is_cpu for d in devices):
        notes = [*notes, "no GPU found: Ocelote will run on the CPU"]
    return DeviceProfile(os_name, cpu, tuple(devices), tuple(dict.fromkeys(notes)), origin)


def parse_dump(text: str) -> ParseResult:
    """Every part of a dump through every parser that recognises it; notes name the part."""
    parts = split_parts(text)
    records: list[RawDevice] = []
    notes: list[str] = []
    for index, part in enumerate(parts, 1):
        label = f"part {index}: " if len(parts) > 1 else ""
        matched = False
        for tool, looks, parse in _PARSERS:
            if not looks(part):
                continue
            matched = True
            result = parse(part)
            records.extend(result.devices)
            notes.extend(f"{label}{tool}: {n}" for n in result.notes)
        if not matched and looks_like_listing(part):  # a print no dedicated parser knows
            matched = True
            result = parse_listing(part)
            records.extend(result.devices)
            notes.extend(f"{label}device listing: {n}" for n in result.notes)
        if not matched:
            notes.append(f"{label}not recognised as clinfo, rocminfo, lspci or a device list")
    if not parts:
        notes.append("the dump is empty")
    if len(parts) > 1:
        notes.append(f"the dump has {len(parts)} parts; devices from all parts are listed")
    return ParseResult(tuple(records), tuple(notes))


def profile_from_dump(text: str, os_name: str | None = None) -> DeviceProfile:
    """The profile a PC with this clinfo/rocminfo/lspci/device-list output would get."""
    text = text if isinstance(text, str) else ""
    result = parse_dump(text)
    os_name = os_name or guess_os("\n".join(strip_added_lines(text)))
    cpu = CpuInfo()
    return assemble(result.devices, os_name, cpu, result.notes, origin="dump")


def _ram() -> tuple[int | None, int | None]:
    try:
        import psutil

        memory = psutil.virtual_memory()
        return int(memory.total), int(memory.available)
    except Exception:
        return None, None


def detect(
    opencl_timeout_s: float = DEFAULT_TIMEOUT_S,
    sysfs_root: Path = DEFAULT_ROOT,
    probe_command: Sequence[str] | None = None,
) -> DeviceProfile:
    """This PC: OpenCL (time-boxed child), sysfs on Linux, DXGI on Windows, the CPU."""
    os_name = _os_name()
    records, notes = probe_opencl(opencl_timeout_s, probe_command)
    if os_name == "linux":
        records += read_sysfs(sysfs_root)
    adapters = read_dxgi()
    records += [r for r in adapters if r.name]
    notes += [n for r in adapters if not r.name for n in r.notes]
    return assemble(records, os_name, read_cpu(), notes, _ram())


def _jsonable(value: object) -> object:
    if isinstance(value, tuple | list):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    return value


def to_json_dict(profile: DeviceProfile) -> dict[str, object]:
    """Plain JSON types; every device has vendor, name, family, gfx, vram_bytes, backends."""
    return {
        "os": profile.os,
        "origin": profile.origin,
        "cpu": _jsonable(asdict(profile.cpu)),
        "devices": [_jsonable(asdict(d)) for d in profile.devices],
        "notes": list(profile.notes),
    }

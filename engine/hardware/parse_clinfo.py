"""`clinfo` text (classic, `clinfo -l` and `clinfo --raw`) -> device records plus notes.

Users paste what they have: dumps that hang half-way, loader errors before the first line,
zero platforms, platforms without devices, mangled whitespace. All of it gives a result.
"""

from __future__ import annotations

import re

from engine.hardware.families import find_gfx
from engine.hardware.records import (
    ParseResult,
    RawDevice,
    bus_from_text,
    device_type_from,
    parse_bytes,
    parse_int,
    strip_added_lines,
)

_KV = re.compile(r"^(\S.*?)(?:\s{2,}|\t+)(\S.*?)\s*$")
_COLON = re.compile(r"^([A-Za-z][^:]{0,60}?)\s*:\s*(\S.*?)\s*$")
_MANGLED = re.compile(r"^(\s*Number of (?:platforms|devices)\s+\d+)\s{2,}(\S.*)$")
_MESSAGE = re.compile(r"fail|error|cannot|unable|segmentation|abort", re.IGNORECASE)
_RAW = re.compile(r"^\s*\[([^/\]]+)/(\*|\d+)\]\s+(CL_\w+)\s*(.*?)\s*$")
_RAW_KEYS = {
    "CL_PLATFORM_NAME": "Platform Name",
    "CL_DEVICE_NAME": "Device Name",
    "CL_DEVICE_VENDOR": "Device Vendor",
    "CL_DEVICE_VENDOR_ID": "Device Vendor ID",
    "CL_DEVICE_VERSION": "Device Version",
    "CL_DRIVER_VERSION": "Driver Version",
    "CL_DEVICE_TYPE": "Device Type",
    "CL_DEVICE_BOARD_NAME_AMD": "Device Board Name (AMD)",
    "CL_DEVICE_PCIE_ID_AMD": "Device PCI-e ID (AMD)",
    "CL_DEVICE_TOPOLOGY_AMD": "Device Topology (AMD)",
    "CL_DEVICE_MAX_COMPUTE_UNITS": "Max compute units",
    "CL_DEVICE_MAX_CLOCK_FREQUENCY": "Max clock frequency",
    "CL_DEVICE_GLOBAL_MEM_SIZE": "Global memory size",
    "CL_DEVICE_GLOBAL_FREE_MEMORY_AMD": "Global free memory (AMD)",
}


# Other spellings of the keys we read: lower case, colons, OpenCV/pyopencl-style names.
_ALIASES = {k.lower(): k for k in _RAW_KEYS.values()} | {
    "global mem size": "Global memory size",
    "global memory": "Global memory size",
    "cl_device_global_mem_size": "Global memory size",
    "type": "Device Type",
    "compute units": "Max compute units",
}


def canonical_key(key: str) -> str:
    """'global memory size:' / 'Global Memory Size' -> 'Global memory size'."""
    key = " ".join(key.strip().rstrip(":").split())
    return _ALIASES.get(key.lower(), key)


def split_line(stripped: str) -> tuple[str, str]:
    """(key, value) of a clinfo line: column layout, or 'key: value' when the key is known."""
    colon = _COLON.match(stripped)
    if colon and canonical_key(colon.group(1)) in _ALIASES.values():
        return canonical_key(colon.group(1)), colon.group(2)
    m = _KV.match(stripped)
    return (canonical_key(m.group(1)), m.group(2)) if m else (stripped, "")


def looks_like_clinfo(text: str) -> bool:
    return bool(re.search(r"Number of platforms|CL_PLATFORM_NAME|^Platform #\d+:", text, re.M))


def to_raw(dev: dict[str, str], platform: str, source: str) -> RawDevice:
    """A clinfo-keyed dict (also built by the raw and -l parsers) -> RawDevice."""
    name = " ".join(dev.get("Device Name", "").split())
    board = " ".join(dev.get("Device Board Name (AMD)", "").split())
    free = parse_bytes(dev.get("Global free memory (AMD)"), bare_unit="k")  # AMD counts KiB
    topology = dev.get("Device Topology (AMD)") or dev.get("Device Topology (NV)")
    half = dev.get("Half-precision Floating-point support", "")
    notes = () if name else ("a device with a blank name",)
    if dev.get("Device Available", "Yes").lower().startswith("no"):
        notes += ("the driver lists this device as not available",)
    return RawDevice(
        source=source,
        name=name,
        device_type=device_type_from(dev.get("Device Type"), name, platform),
        vendor_id=parse_int(dev.get("Device Vendor ID")),
        vendor_text=dev.get("Device Vendor", "") or platform,
        device_id=parse_int(dev.get("Device PCI-e ID (AMD)")),
        board_name=board,
        gfx=find_gfx(name) or find_gfx(board),
        compute_units=parse_int(dev.get("Max compute units")),
        clock_mhz=parse_int(dev.get("Max clock frequency")),
        global_mem_bytes=parse_bytes(dev.get("Global memory size")),
        free_mem_bytes=free or None,
        driver=dev.get("Driver Version", "").strip(),
        opencl_version=dev.get("Device Version", "").strip(),
        platform=platform,
        bus=bus_from_text(topology),
        nv_compute_capability=dev.get("Compute Capability (NV)"),
        fp16=("cl_khr_fp16" in half) if half else None,
        notes=notes,
    )


def _parse_list_or_raw(lines: list[str]) -> ParseResult:
    """`clinfo -l` tree and `clinfo --raw` lines (keys like `[AMD/0] CL_DEVICE_NAME`)."""
    devices: dict[tuple[str, str], dict[str, str]] = {}
    platforms: dict[str, str] = {}
    platform = ""
    for line in lines:
        if m := re.match(r"\s*Platform #(\d+):\s*(.*)$", line):
            platform = m.group(2).strip()
            platforms[m.group(1)] = platform
        elif m := re.match(r"\s*[`+|]-- Device #(\d+):\s*(.*)$", line):
            devices[(platform, m.group(1))] = {"Device Name": m.group(2)}
        elif (m := _RAW.match(line)) and m.group(3) in _RAW_KEYS:
            key = _RAW_KEYS[m.group(3)]
            if m.group(2) == "*":
                platforms[m.group(1)] = m.group(4) if key == "Platform Name" else ""
            else:
                devices.setdefault((m.group(1), m.group(2)), {})[key] = m.group(4)
    found = tuple(to_raw(d, platforms.get(p, p), "clinfo") for (p, _i), d in devices.items())
    notes = () if found else ("clinfo listed no OpenCL device",)
    return ParseResult(found, notes)


def parse_clinfo(text: str) -> ParseResult:
    """Classic `clinfo` output (also handles -l / --raw); never raises."""
    lines = strip_added_lines(text)
    if not any("Number of platforms" in x for x in lines):
        if any(_RAW.match(x) or re.match(r"\s*Platform #\d+:", x) for x in lines):
            return _parse_list_or_raw(lines)
        return ParseResult((), ("no clinfo output found",))
    fixed: list[str] = []
    for line in lines:
        if m := _MANGLED.match(line):
            fixed += [m.group(1), m.group(2)]
        else:
            fixed.append(line)
    notes: list[str] = []
    devices: list[RawDevice] = []
    mode, platform, n_platforms, device_counts = "", "", None, []
    current: dict[str, str] | None = None

    def close() -> None:
        nonlocal current
        if current is not None:
            devices.append(to_raw(current, platform, "clinfo"))
        current = None

    for line in fixed:
        stripped = line.strip()
        if not stripped or stripped.startswith("$ "):
            continue
        if stripped.startswith("NULL platform behavior") or stripped.startswith("ICD loader"):
            close()
            mode = "tail"
            continue
        key, value = split_line(stripped)
        if key.startswith("Number of platforms"):
            n_platforms = parse_int(value or key)
            mode = "platforms"
        elif mode == "tail":
            continue
        elif key == "Platform Name":
            close()
            platform = value
        elif key.startswith("Number of devices"):
            close()
            mode = "devices"
            device_counts.append(parse_int(value or key) or 0)
        elif mode == "devices" and key == "Device Name":
            close()
            current = {"Device Name": value}
        elif current is not None:
            current.setdefault(key, value)
        elif _MESSAGE.search(stripped):
            notes.append(f"message in the output: {stripped[:160]}")
    close()
    if n_platforms == 0:
        notes.append("clinfo found no OpenCL platform (no driver registered, or it failed to load)")
    elif device_counts and not any(device_counts):
        notes.append(
            f"clinfo found {n_platforms} OpenCL platform(s) but no device: the driver is "
            "installed but does not serve the card (kernel driver, permissions or a mismatch)"
        )
    if devices and mode != "tail":
        notes.append("clinfo output ends early (truncated, or clinfo hung): some fields missing")
    return ParseResult(tuple(devices), tuple(notes))

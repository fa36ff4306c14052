"""Device listings no dedicated parser knows: `key: value`, `key = value`, `Key....: value`.

hashcat's `-I`, OpenCV's OpenCL dump, darktable's and many home-made prints list the same
facts (name, type, memory, compute units) under their own spellings. Used only for a dump
part that no other parser recognised, so a known format is never read twice.
"""

from __future__ import annotations

import re

from engine.hardware.families import find_gfx
from engine.hardware.records import (
    ParseResult,
    RawDevice,
    device_type_from,
    parse_bytes,
    parse_int,
    strip_added_lines,
)

_LINE = re.compile(r"^\s*([A-Za-z][\w ()/#&.\-]*?)\s*(?:\.{2,}\s*:|:|=)\s*(.*?)\s*$")
_START = re.compile(r"Device ID #\d+|Device #\d+|^\s*Device \d+\s*:?\s*$", re.IGNORECASE)
_PLATFORM_START = re.compile(r"Platform ID #\d+|Platform #\d+", re.IGNORECASE)
# OpenCV's platform list: "dGPU: NVIDIA GeForce RTX 3060 (OpenCL 3.0 CUDA)"
_KIND_KEYS = {
    "dgpu": "gpu",
    "igpu": "gpu",
    "gpu": "gpu",
    "cpu": "cpu",
    "accelerator": "accelerator",
}
_FIELDS = {
    "name": ("name", "device name", "device", "board name", "gpu name"),
    "type": ("type", "device type"),
    "vendor": ("vendor", "device vendor", "vendor name"),
    "memory": ("global memory size", "global mem size", "global memory", "memory total",
               "total memory", "memory size", "vram", "video memory", "dedicated memory"),
    "free": ("memory free", "free memory", "global free memory"),
    "units": ("compute units", "max compute units", "processor(s)", "processors",
              "multiprocessors"),
    "clock": ("clock", "max clock frequency", "max clock", "clock (mhz)"),
    "driver": ("driver version", "driver"),
    "platform": ("platform", "platform name", "platform name & vendor"),
    "version": ("version", "device version", "opencl version"),
}  # fmt: skip
_KEY_FIELD = {key: field for field, keys in _FIELDS.items() for key in keys}


def _key(raw: str) -> str:
    """'Memory.Total' / 'GLOBAL_MEM_SIZE' / 'Global memory size (MB)' -> comparable words."""
    words = re.sub(r"[._]+", " ", raw).lower()
    words = re.sub(r"\s*\((?:[kmg]i?b|bytes)\)", "", words)
    return " ".join(words.split())


def _unit_in_key(raw: str) -> str:
    match = re.search(r"\(([KMG])i?B\)", raw, re.IGNORECASE)
    return match.group(1).lower() if match else ""


def _pairs(text: str) -> list[tuple[str, str, str]]:
    """(field, value, unit named in the key) for every line we can use; '' marks a new device."""
    out: list[tuple[str, str, str]] = []
    for line in strip_added_lines(text):
        if _START.search(line):
            out.append(("", "", ""))
            continue
        if _PLATFORM_START.search(line):  # hashcat: the next "Name" is the platform's
            out.append(("platform-start", "", ""))
            continue
        match = _LINE.match(line)
        if not match:
            continue
        key, value = _key(match.group(1)), match.group(2)
        if key in _KIND_KEYS and value:
            name = re.sub(r"\s*\(OpenCL[^)]*\)?.*$", "", value)
            out += [("", "", ""), ("name", name, ""), ("type", _KIND_KEYS[key], ""), ("", "", "")]
        elif key in _KEY_FIELD:
            out.append((_KEY_FIELD[key], value, _unit_in_key(match.group(1))))
    return out


def looks_like_listing(text: str) -> bool:
    fields = {field for field, _v, _u in _pairs(text or "")}
    return "name" in fields and bool(fields & {"memory", "type", "units"})


def _record(fields: dict[str, tuple[str, str]], platform: str) -> RawDevice:
    name = " ".join(fields.get("name", ("", ""))[0].split())
    name = re.sub(r"^\d+\s*:\s*", "", name).strip("'\" ")  # darktable: "0: 'gfx1031'"
    memory, unit = fields.get("memory", ("", ""))
    free, free_unit = fields.get("free", ("", ""))
    version = fields.get("version", ("", ""))[0].strip()
    return RawDevice(
        source="listing",
        name=name,
        device_type=device_type_from(fields.get("type", ("", ""))[0], name, platform),
        vendor_text=fields.get("vendor", (platform, ""))[0],
        gfx=find_gfx(name),
        compute_units=parse_int(fields.get("units", ("", ""))[0]),
        clock_mhz=parse_int(fields.get("clock", ("", ""))[0]),
        global_mem_bytes=parse_bytes(memory, bare_unit=unit or "m"),  # bare: MB in such prints
        free_mem_bytes=parse_bytes(free, bare_unit=free_unit or "m"),
        driver=fields.get("driver", ("", ""))[0].strip(),
        opencl_version=version if "opencl" in version.lower() else "",
        platform=platform,
    )


def parse_listing(text: str) -> ParseResult:
    """One record per block that names a device; a repeated name key starts a new block."""
    devices: list[RawDevice] = []
    current: dict[str, tuple[str, str]] = {}
    platform = ""
    in_platform = False

    def close() -> None:
        if current.get("name", ("", ""))[0].strip():
            devices.append(_record(current, current.get("platform", (platform, ""))[0]))
        current.clear()

    for field, value, unit in _pairs(text or ""):
        if field == "platform-start":
            close()
            in_platform = True
        elif field == "":
            close()
            in_platform = False
        elif field == "platform" and "name" in current:  # darktable: after the device's name
            current.setdefault("platform", (value, unit))
        elif field == "platform" or (in_platform and field == "name"):
            close()
            platform = value
        elif in_platform:
            continue
        elif field == "name" and "name" in current:
            close()
            current["name"] = (value, unit)
        else:
            current.setdefault(field, (value, unit))
    close()
    return ParseResult(tuple(devices), () if devices else ("no device named in the listing",))

"""What one source says about one device, before merging: the parsers' and probes' output."""

from __future__ import annotations

import re
from dataclasses import dataclass, field


@dataclass(frozen=True)
class RawDevice:
    """One device as one source saw it; any field may be missing (truncated dumps)."""

    source: str  # "clinfo", "rocminfo", "lspci", "enumdevices", "windows-pnp", "opencl", ...
    name: str = ""
    device_type: str = "gpu"  # "gpu" | "cpu" | "accelerator" | "other"
    vendor_id: int | None = None
    vendor_text: str = ""
    device_id: int | None = None
    board_name: str = ""  # AMD board/marketing name, lspci bracket text
    gfx: str | None = None
    compute_units: int | None = None
    clock_mhz: int | None = None
    global_mem_bytes: int | None = None
    free_mem_bytes: int | None = None
    driver: str = ""
    opencl_version: str = ""
    platform: str = ""
    bus: str | None = None  # "04:00.0": merges one card seen by several sources
    nv_compute_capability: str | None = None
    fp16: bool | None = None
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class ParseResult:
    """Devices found plus notes on what was odd or missing; never raised, always returned."""

    devices: tuple[RawDevice, ...] = ()
    notes: tuple[str, ...] = field(default_factory=tuple)


def strip_added_lines(text: str) -> list[str]:
    """Lines of a pasted dump without the `# source:` / `# ----` lines the dumps carry."""
    return [
        line.rstrip("\r\n")
        for line in (text or "").splitlines()
        if not line.startswith("# source:") and not line.startswith("# ----")
    ]


def split_parts(text: str) -> list[str]:
    """A dump cut at its `# ---- ... ----` separators (one part when there are none)."""
    parts: list[list[str]] = [[]]
    for line in (text or "").splitlines():
        if line.startswith("# ----"):
            parts.append([])
        elif not line.startswith("# source:"):
            parts[-1].append(line)
    return ["\n".join(p) for p in parts if any(x.strip() for x in p)]


def parse_int(text: str | None) -> int | None:
    """The first integer (decimal or 0x hex) in a value such as '8589934592 (8GiB)'."""
    if not text:
        return None
    match = re.search(r"0x[0-9a-fA-F]+|\d+", text)
    if not match:
        return None
    token = match.group(0)
    return int(token, 16) if token.lower().startswith("0x") else int(token)


def parse_mib(text: str | None) -> int | None:
    """'6143MB' / '4095 MB' / '2 GB' -> bytes (the enumDevices prints use binary MB)."""
    match = re.search(r"(\d+(?:\.\d+)?)\s*([KMGT]i?B)", text or "", re.IGNORECASE)
    if not match:
        return None
    scale = {"k": 1, "m": 2, "g": 3, "t": 4}[match.group(2)[0].lower()]
    return int(float(match.group(1)) * 1024**scale)


def bus_from_text(text: str | None) -> str | None:
    """'PCI-E, 0000:04:00.0' or '04:00.0' -> '04:00.0' (domain dropped)."""
    match = re.search(r"(?:[0-9a-fA-F]{4}:)?([0-9a-fA-F]{2}:[0-9a-fA-F]{2}\.[0-7])", text or "")
    return match.group(1).lower() if match else None


def device_type_from(text: str) -> str:
    low = (text or "").lower()
    for kind in ("gpu", "cpu", "accelerator"):
        if kind in low:
            return kind
    return "other"

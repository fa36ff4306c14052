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


_UNIT_POWER = {"": 0, "k": 1, "m": 2, "g": 3, "t": 4}
_AMOUNT = re.compile(
    r"(0x[0-9a-fA-F]+|\d{1,3}(?:,\d{3})+(?![\d.,])|\d+(?:[.,]\d+)?)"  # 12281 / 12,281 / 12.0
    r"\s*(?:\(0x[0-9a-fA-F]+\)\s*)?"  # rocminfo's "6275072(0x5fc000) KB"
    r"(?:([KMGT])(?:i?B|bytes?)?|(bytes?|B))?\b",
    re.IGNORECASE,
)


def _amount(match: re.Match[str]) -> tuple[float, str | None]:
    token = match.group(1)
    if token.lower().startswith("0x"):
        number = float(int(token, 16))
    elif re.fullmatch(r"\d{1,3}(?:,\d{3})+", token):
        number = float(token.replace(",", ""))
    else:
        number = float(token.replace(",", "."))
    unit = (match.group(2) or "").lower() if (match.group(2) or match.group(3)) else None
    return number, unit


def parse_bytes(text: str | None, bare_unit: str = "") -> int | None:
    """Memory in any unit and phrasing -> bytes: '8589934592 (8GiB)', '12281 MB', '12.0 GiB',
    '(12 GiB)', '12,281 MB', '6275072(0x5fc000) KB', OpenCV's '11 GB 1017 MB'.

    K/M/G/T count in 1024s whether or not an 'i' is printed: drivers print binary sizes as
    "MB". A bare number is in `bare_unit` ("" bytes, "k" KiB, "m" MiB): what its source uses.
    """
    matches = list(_AMOUNT.finditer(text or ""))
    if not matches:
        return None
    number, unit = _amount(matches[0])
    if unit is None:
        return int(number * 1024 ** _UNIT_POWER[bare_unit.lower()])
    total = number * 1024 ** _UNIT_POWER[unit]
    for match in matches[1:]:  # "3 GB 2 MB 256 KB": consecutive parts add up
        between = text[matches[0].end() : match.start()] if text else ""
        part, part_unit = _amount(match)
        if part_unit is None or between.strip(" +,") or "(" in between:
            break
        total += part * 1024 ** _UNIT_POWER[part_unit]
        matches[0] = match
    return int(total)


def parse_mib(text: str | None) -> int | None:
    """Windows device prints give sizes in (binary) MB; a bare number counts as MiB there."""
    return parse_bytes(text, bare_unit="m")


def bus_from_text(text: str | None) -> str | None:
    """'PCI-E, 0000:04:00.0' or '04:00.0' -> '04:00.0' (domain dropped)."""
    match = re.search(r"(?:[0-9a-fA-F]{4}:)?([0-9a-fA-F]{2}:[0-9a-fA-F]{2}\.[0-7])", text or "")
    return match.group(1).lower() if match else None


_CL_TYPE_BITS = ((2, "cpu"), (4, "gpu"), (8, "accelerator"))
_CPU_NAME = re.compile(
    r"\bCPU\b|Processor|Core\(TM\)|\bXeon|\bEPYC|\bRyzen|Threadripper|\bCeleron|\bPentium|"
    r"\bAtom\b|\bAthlon|\bOpteron|^pthread-|\bcpu-",
    re.IGNORECASE,
)
_CPU_PLATFORM = re.compile(
    r"CPU Runtime|^Intel\(R\) OpenCL$|Intel\(R\) OpenCL CPU|Portable Computing Language|^pocl$",
    re.IGNORECASE,
)


def device_type_from(text: str | None, name: str = "", platform: str = "") -> str:
    """ "gpu" / "cpu" / "accelerator" / "other" from what a tool printed as the type
    ('GPU', 'CL_DEVICE_TYPE_CPU', pyopencl's bare bit value '2'); without a usable type, a
    CPU model name or a CPU-only runtime (Intel's CPU runtime, PoCL) means "cpu", else "gpu"."""
    low = (text or "").strip().lower()
    for kind in ("gpu", "cpu", "accelerator"):
        if kind in low:
            return kind
    if re.fullmatch(r"\d+|0x[0-9a-f]+", low):
        bits = int(low, 16) if low.startswith("0x") else int(low)
        return next((kind for bit, kind in _CL_TYPE_BITS if bits & bit), "other")
    if low and "default" not in low:
        return "other"
    if _CPU_NAME.search(name or "") or (
        not (name or "").strip() and _CPU_PLATFORM.search((platform or "").strip())
    ):
        return "cpu"
    return "gpu"

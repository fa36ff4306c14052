"""`rocminfo` text -> device records (GPU and CPU agents) plus notes."""

from __future__ import annotations

import re

from engine.hardware.families import find_gfx
from engine.hardware.records import (
    ParseResult,
    RawDevice,
    device_type_from,
    parse_bytes,
    parse_int,
)

_AGENT = re.compile(r"^\s*Agent\s+(\d+)\s*$")
_KV = re.compile(r"^(\s*)([^:]+?):\s*(.*?)\s*$")


def looks_like_rocminfo(text: str) -> bool:
    return bool(re.search(r"HSA Agents|HSA System Attributes|^\s*Agent \d+\s*$", text, re.M))


def _is_vram_pool(segment: str) -> bool:
    return segment.startswith("GLOBAL") and "COARSE" in segment


def _bus_from_bdfid(value: str | None) -> str | None:
    """rocminfo's BDFID is bus<<8 | device<<3 | function."""
    bdf = parse_int(value)
    if not bdf:
        return None
    return f"{(bdf >> 8) & 0xFF:02x}:{(bdf >> 3) & 0x1F:02x}.{bdf & 0x7}"


def _agent_record(keys: dict[str, str], vram: int | None) -> RawDevice:
    kind = device_type_from(keys.get("Device Type", ""))
    name = " ".join(keys.get("Name", "").split())
    marketing = " ".join(keys.get("Marketing Name", "").split())
    chip = keys.get("Chip ID", "")
    hex_chip = re.search(r"\((0x[0-9a-fA-F]+)\)", chip)
    notes: tuple[str, ...] = () if (name or marketing) else ("an agent with a blank name",)
    if kind == "gpu" and keys.get("Fast F16 Operation", "").upper() == "FALSE":
        notes += ("rocminfo reports 'Fast F16 Operation: FALSE' at agent level",)
    return RawDevice(
        source="rocminfo",
        name=marketing if kind == "cpu" else name,
        device_type=kind,
        vendor_text=keys.get("Vendor Name", ""),
        vendor_id=0x1002 if keys.get("Vendor Name", "").strip() == "AMD" else None,
        device_id=parse_int(hex_chip.group(1)) if hex_chip else (parse_int(chip) or None),
        board_name=marketing if kind != "cpu" else "",
        gfx=find_gfx(name),
        compute_units=parse_int(keys.get("Compute Unit")),
        clock_mhz=parse_int(keys.get("Max Clock Freq. (MHz)")),
        global_mem_bytes=vram if (vram and kind == "gpu") else None,
        driver="ROCm (HSA runtime " + keys["Runtime Version"] + ")"
        if "Runtime Version" in keys
        else "ROCm",
        bus=_bus_from_bdfid(keys.get("BDFID")) if kind == "gpu" else None,
        notes=notes,
    )


def parse_rocminfo(text: str) -> ParseResult:
    """Agents with their top-level keys; VRAM = the first GLOBAL coarse-grained pool."""
    notes: list[str] = []
    lines = (text or "").splitlines()
    for line in lines:
        low = line.lower()
        if "rock module is not loaded" in low or "unable to open /dev/kfd" in low:
            notes.append(f"rocminfo: {line.strip()}")
        elif "hsa_status_error" in low or "failed" in low:
            notes.append(f"message in the output: {line.strip()[:160]}")
    runtime = next((m.group(1) for x in lines if (m := re.search(r"Runtime Version:\s*(\S+)", x))),
                   None)  # fmt: skip
    agents: list[tuple[dict[str, str], int | None]] = []
    keys: dict[str, str] | None = None
    pool_segment, vram = "", None
    for line in lines:
        if _AGENT.match(line):
            if keys is not None:
                agents.append((keys, vram))
            keys, pool_segment, vram = {}, "", None
            if runtime:
                keys["Runtime Version"] = runtime
            continue
        if keys is None or not (m := _KV.match(line)):
            continue
        indent, key, value = len(m.group(1)), m.group(2).strip(), m.group(3)
        if indent <= 2:
            keys.setdefault(key, value)
        elif key == "Segment":
            pool_segment = value
        elif key == "Size" and vram is None and _is_vram_pool(pool_segment):
            vram = parse_bytes(value, bare_unit="k")  # rocminfo prints "6275072(0x5fc000) KB"
    if keys is not None:
        agents.append((keys, vram))
    devices = tuple(_agent_record(k, v) for k, v in agents if k)
    if not devices:
        notes.append("rocminfo listed no agent")
    elif "*** Done ***" not in (text or ""):
        notes.append("rocminfo output ends early (truncated): some fields may be missing")
    return ParseResult(devices, tuple(notes))

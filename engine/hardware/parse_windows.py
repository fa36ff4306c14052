"""Windows device lists users paste: OpenCL `enumDevices`-style prints and PnP device ids.

The enumDevices prints (GPGPU course programs, similar to a pyopencl dump) come in two
layouts; `PCI\\VEN_1002&DEV_67DF` ids come from Device Manager, `pnputil` or WMI listings
(WMI's AdapterRAM wraps at 4 GB, so memory from those lines is ignored).
"""

from __future__ import annotations

import re

from engine.hardware.families import find_gfx
from engine.hardware.records import ParseResult, RawDevice, device_type_from, parse_mib

_KV = re.compile(r"^\s*([A-Za-z][A-Za-z #/0-9-]*?)\s*:\s*(.*?)\s*$")
_PNP = re.compile(r"PCI\\VEN_([0-9A-Fa-f]{4})&DEV_([0-9A-Fa-f]{4})")
_NAME_KEYS = ("device name", "name")
_MEM_KEY = re.compile(
    r"global\s*mem(?:ory)?(?:\s*size)?\b(?!.*(?:free|cache|alloc))", re.IGNORECASE
)


def looks_like_enumdevices(text: str) -> bool:
    return bool(re.search(r"Number of OpenCL platforms|^\s*Platform #\d+/\d+", text or "", re.M))


def looks_like_pnp(text: str) -> bool:
    return bool(_PNP.search(text or ""))


def _record(fields: dict[str, str], platform: str, vendor: str) -> RawDevice:
    name = " ".join(fields.get("name", "").split())
    version = fields.get("supported opencl version", "").strip()
    return RawDevice(
        source="enumdevices",
        name=name,
        device_type=device_type_from(fields.get("type"), name, platform),
        vendor_text=vendor or platform,
        gfx=find_gfx(name),
        global_mem_bytes=parse_mib(fields.get("mem")),
        driver=fields.get("device driver version", "").strip(),
        opencl_version=version,
        platform=platform,
        notes=() if name else ("a device with a blank name",),
    )


def parse_enumdevices(text: str) -> ParseResult:
    """`Platform #i/n` blocks with `Device name:`/`Name:` devices; blank platforms noted."""
    devices: list[RawDevice] = []
    notes: list[str] = []
    platform, vendor = "", ""
    current: dict[str, str] | None = None
    platforms_seen, platforms_with_devices = 0, 0

    def close() -> None:
        nonlocal current
        if current is not None:
            devices.append(_record(current, platform, vendor))
        current = None

    for line in (text or "").splitlines():
        if line.startswith("#") or line.strip().startswith("$"):
            continue
        if re.match(r"\s*Platform #\d+/\d+", line):
            close()
            platform, vendor = "", ""
            platforms_seen += 1
            continue
        if re.match(r"\s*Device #\d+/\d+:?\s*$", line):
            close()
            current = {}
            platforms_with_devices += 1
            continue
        m = _KV.match(line)
        if not m:
            if "exited" in line or "error" in line.lower():
                notes.append(f"message in the output: {line.strip()[:160]}")
            continue
        key, value = m.group(1).lower(), m.group(2)
        if key == "platform name":
            platform = value
            if not value:
                notes.append("an OpenCL platform with a blank name and no device")
        elif key == "vendor name":
            vendor = value
        elif key == "device name":
            close()
            current = {"name": value}
            platforms_with_devices += 1
        elif current is None and key in _NAME_KEYS:
            current = {"name": value}
        elif current is not None:
            if key in _NAME_KEYS:
                current["name"] = value
            elif _MEM_KEY.match(key):
                current["mem"] = value
            elif key in ("device type", "type") or key.startswith("device: "):
                current["type"] = value
            elif re.match(r"device\s*$", key) and "type:" in value:
                current["type"] = value.split("type:", 1)[1]
            else:
                current[key] = value
    close()
    if platforms_seen and not devices:
        notes.append(f"{platforms_seen} OpenCL platform(s) listed but no device")
    return ParseResult(tuple(devices), tuple(notes))


def parse_pnp(text: str) -> ParseResult:
    """Lines carrying `PCI\\VEN_xxxx&DEV_yyyy` (name = the rest of the line, ids cut out)."""
    devices = []
    for line in (text or "").splitlines():
        m = _PNP.search(line)
        if not m:
            continue
        name = " ".join(_PNP.sub("", line).split("&")[0].split())
        name = re.sub(r"\s+\d{6,}\s*", " ", name).strip()  # AdapterRAM column: wraps at 4 GB
        devices.append(
            RawDevice(
                source="windows-pnp",
                name=name,
                vendor_id=int(m.group(1), 16),
                device_id=int(m.group(2), 16),
            )
        )
    return ParseResult(tuple(devices), () if devices else ("no PCI\\VEN_ ids found",))


def parse_any_windows(text: str) -> ParseResult:
    """enumDevices blocks and PnP ids together (what a Windows user is likely to paste)."""
    enum, pnp = parse_enumdevices(text), parse_pnp(text)
    return ParseResult(enum.devices + pnp.devices, enum.notes + (pnp.notes if pnp.devices else ()))

"""Linux `/sys/class/drm/card*/device`: PCI ids, driver and (amdgpu) VRAM total/used.

The root is a parameter so tests can build a fake tree; a missing or odd file is skipped.
"""

from __future__ import annotations

import re
from pathlib import Path

from engine.hardware.records import RawDevice, bus_from_text, parse_int

DEFAULT_ROOT = Path("/sys/class/drm")


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="ascii", errors="replace").strip()
    except OSError:
        return None


def _uevent(device: Path) -> dict[str, str]:
    text = _read(device / "uevent") or ""
    return dict(line.split("=", 1) for line in text.splitlines() if "=" in line)


def read_sysfs(root: Path = DEFAULT_ROOT) -> list[RawDevice]:
    """One record per `cardN` whose PCI class is display (0x03xxxx); [] without sysfs."""
    try:
        cards = sorted(p for p in root.iterdir() if re.fullmatch(r"card\d+", p.name))
    except OSError:
        return []
    found: list[RawDevice] = []
    for card in cards:
        device = card / "device"
        pci_class = parse_int(_read(device / "class"))
        if pci_class is not None and pci_class >> 16 != 0x03:
            continue
        vendor_id = parse_int(_read(device / "vendor"))
        if vendor_id is None:
            continue
        uevent = _uevent(device)
        driver = uevent.get("DRIVER", "")
        if not driver and (device / "driver").is_symlink():
            driver = (device / "driver").resolve().name
        total = parse_int(_read(device / "mem_info_vram_total"))
        used = parse_int(_read(device / "mem_info_vram_used"))
        found.append(
            RawDevice(
                source="sysfs",
                name="",
                vendor_id=vendor_id,
                device_id=parse_int(_read(device / "device")),
                global_mem_bytes=total or None,
                free_mem_bytes=(total - used) if (total and used is not None) else None,
                driver=f"{driver} (kernel)" if driver else "",
                bus=bus_from_text(uevent.get("PCI_SLOT_NAME")),
            )
        )
    return found

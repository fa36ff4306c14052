"""Write `engine/hardware/data/pci_gpus.tsv`: GPU device names from the PCI ID database.

Why: `lspci` on an old distribution prints "Device 687f" for a card its own database does not
know, and drivers report bare PCI ids; the hand-made board table only covers boards we hold
figures for. The PCI ID Project's `pci.ids` (https://pci-ids.ucw.cz/) names every device, with
the chip codename AMD uses ("Vega 10 XL/XT [Radeon RX Vega 56/64]"), from which the family
follows. We keep the device lines of AMD/ATI and NVIDIA and Intel's graphics lines.

Licence: pci.ids may be distributed under GPL-2.0-or-later or BSD-3-Clause; we take it under
BSD-3-Clause and keep its header (version, maintainers, licence) at the top of the TSV.

Usage: python packaging/hardware/make_pci_gpus.py [/usr/share/misc/pci.ids]
(Debian/Ubuntu: `apt-get install pci.ids` or `hwdata`.)
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parents[2] / "engine" / "hardware" / "data" / "pci_gpus.tsv"
VENDORS = {"1002": "amd", "10de": "nvidia", "8086": "intel"}
# Intel's section is mostly chipsets and NICs: keep the lines that name a graphics device.
INTEL_GPU = re.compile(r"Graphics|\bGT[1-4]\b|\bArc\b|Iris|\bGPU\b|\bDG[12]\b|Xe\b")


def header(text: str) -> list[str]:
    """The database's own header: version, date, maintainers and licence lines."""
    lines = []
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        body = line.lstrip("#").strip()
        if body:
            lines.append(f"# {body}")
    return lines


def rows(text: str) -> list[tuple[str, str, str]]:
    """(vendor, device id, name) for the kept vendors' device lines (subsystems dropped)."""
    out: list[tuple[str, str, str]] = []
    vendor = None
    for line in text.splitlines():
        if m := re.match(r"^([0-9a-f]{4})\s+", line):
            vendor = VENDORS.get(m.group(1))
        elif line.startswith("C "):
            break  # the device-class section follows the vendors
        elif vendor and (m := re.match(r"^\t([0-9a-f]{4})\s+(.+)$", line)):
            name = m.group(2).strip()
            if vendor != "intel" or INTEL_GPU.search(name):
                out.append((vendor, m.group(1), name))
    return out


def main(argv: list[str]) -> int:
    source = Path(argv[1] if len(argv) > 1 else "/usr/share/misc/pci.ids")
    text = source.read_text(encoding="utf-8", errors="replace")
    found = rows(text)
    lines = [
        "# GPU device names from the PCI ID database (pci.ids), kept under BSD-3-Clause.",
        "# Written by packaging/hardware/make_pci_gpus.py; do not edit by hand.",
        *header(text),
        "# vendor\tdevice\tname",
        *("\t".join(r) for r in found),
    ]
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(found)} devices -> {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

"""Device names from the PCI ID database, for cards known only by their PCI id.

An old `lspci` prints "Device 687f" and drivers report bare ids; the board table only holds
boards we have figures for. `data/pci_gpus.tsv` (written from pci.ids by
`packaging/hardware/make_pci_gpus.py`) names every AMD and NVIDIA device and Intel's graphics,
with the chip codename from which `families` finds the family ("Vega 10 XL/XT [...]" -> Vega).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

TABLE = Path(__file__).with_name("data") / "pci_gpus.tsv"


@cache
def _names() -> dict[tuple[str, int], str]:
    names: dict[tuple[str, int], str] = {}
    for line in TABLE.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            vendor, device, name = line.split("\t", 2)
            names[(vendor, int(device, 16))] = name
    return names


def pci_name(vendor: str, device_id: int | None) -> str:
    """pci.ids' name for a vendor ("amd"/"nvidia"/"intel") and device id; "" when unlisted."""
    if device_id is None:
        return ""
    return _names().get((vendor, device_id), "")

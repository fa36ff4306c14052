"""`lspci -nn` (or plain `lspci`) display-controller lines -> device records."""

from __future__ import annotations

import re

from engine.hardware.records import ParseResult, RawDevice

_LINE = re.compile(
    r"^\s*(?:[0-9a-fA-F]{4}:)?(?P<bus>[0-9a-fA-F]{2}:[0-9a-fA-F]{2}\.[0-7])\s+"
    r"(?P<cls>VGA compatible controller|3D controller|Display controller)"
    r"(?:\s*\[(?P<code>03[0-9a-fA-F]{2})\])?:\s*(?P<rest>.*?)\s*$"
)
_IDS = re.compile(r"\[([0-9a-fA-F]{4}):([0-9a-fA-F]{4})\]")
_VENDORS = (
    ("Advanced Micro Devices, Inc. [AMD/ATI]", 0x1002),
    ("Advanced Micro Devices, Inc.", 0x1002),
    ("ATI Technologies Inc", 0x1002),
    ("NVIDIA Corporation", 0x10DE),
    ("Intel Corporation", 0x8086),
)


def looks_like_lspci(text: str) -> bool:
    return any(_LINE.match(line) for line in (text or "").splitlines())


def _record(match: re.Match[str]) -> RawDevice:
    rest = re.sub(r"\s*\(rev [0-9a-fA-F]+\)\s*$", "", match.group("rest"))
    ids = _IDS.search(rest)
    vendor_id = int(ids.group(1), 16) if ids else None
    device_id = int(ids.group(2), 16) if ids else None
    if ids:
        rest = rest[: ids.start()].strip()
    vendor_text = ""
    for text, vid in _VENDORS:
        if rest.startswith(text):
            vendor_text, rest = text, rest[len(text) :].strip()
            vendor_id = vendor_id or vid
            break
    notes: tuple[str, ...] = ()
    if bare := re.fullmatch(r"Device(?:\s+([0-9a-fA-F]{4}))?", rest):
        # "Device 687f" (or "Device [1002:687f]" with -nn): lspci's own id list is too old
        device_id = device_id or (int(bare.group(1), 16) if bare.group(1) else None)
        rest = ""
        notes = ("lspci's PCI id list does not name this card (pciutils/hwdata too old)",)
    marketing = re.search(r"\[([^\]]+)\]\s*$", rest)
    codename = rest[: marketing.start()].strip() if marketing else rest
    board = marketing.group(1) if marketing else ""
    name = f"{board} ({codename})" if board and codename else (board or codename)
    return RawDevice(
        source="lspci",
        name=name,
        vendor_id=vendor_id,
        vendor_text=vendor_text,
        device_id=device_id,
        board_name=f"{codename} [{board}]" if board else codename,
        bus=match.group("bus").lower(),
        notes=notes or (() if name else ("lspci printed a display controller without a name",)),
    )


def parse_lspci(text: str) -> ParseResult:
    """Every VGA/3D/Display controller line; vendor and device ids when `-nn` was used."""
    devices = tuple(_record(m) for line in (text or "").splitlines() if (m := _LINE.match(line)))
    notes: tuple[str, ...] = () if devices else ("lspci listed no display controller",)
    if devices and not any(d.device_id for d in devices):
        notes += ("lspci was run without -nn: no PCI ids",)
    return ParseResult(devices, notes)

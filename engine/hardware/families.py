"""Which card is this? PCI ids, gfx targets, codenames and marketing names -> board and family.

Drivers name the same card differently ("Ellesmere", "gfx803", "AMD Radeon RX 570 Series",
"[1002:67df]"), and one PCI id covers several boards (0x67DF is RX 470/480/570/580/590), so
`identify()` narrows candidates step by step and only names a board when one is left.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from engine.hardware import boards as b
from engine.hardware.boards_amd import AMD_BOARDS
from engine.hardware.boards_other import INTEL_BOARDS, NVIDIA_BOARDS

ALL_BOARDS: tuple[b.BoardSpec, ...] = AMD_BOARDS + NVIDIA_BOARDS + INTEL_BOARDS
VENDOR_IDS = {0x1002: "amd", 0x1022: "amd", 0x10DE: "nvidia", 0x8086: "intel"}

_GFX_RULES: tuple[tuple[str, str], ...] = (
    (r"gfx6\d\d|gfx7\d\d|gfx80[12]|gfx810", b.GCN_OLD),
    (r"gfx803", b.POLARIS),  # also Fiji (R9 Fury), which the PCI id tells apart
    (r"gfx90[0146]", b.VEGA),
    (r"gfx90[29]", b.APU_RAVEN),
    (r"gfx90c", b.APU_RENOIR),
    (r"gfx101\d", b.NAVI1),
    (r"gfx103[0-4]", b.RDNA2),
    (r"gfx1035", b.APU_REMBRANDT),
    (r"gfx103[67]", b.APU_RAPHAEL),  # Raphael (Ryzen 7000) and Mendocino (7020): 2-CU RDNA2
    (r"gfx110[0-2]", b.RDNA3),
    (r"gfx110[3-9]|gfx115\d", b.APU_PHOENIX),  # Strix (RDNA3.5) shares Phoenix's facts
    (r"gfx120\d", b.RDNA4),
)
_CODENAME_RULES: tuple[tuple[str, str], ...] = (
    (r"ELLESMERE|BAFFIN|LEXA|POLARIS\s*\d*", b.POLARIS),
    (
        r"TAHITI|PITCAIRN|OLAND|HAINAN|BONAIRE|HAWAII|TONGA|FIJI|CAPE VERDE|ICELAND|TOPAZ|"
        r"KAVERI|KABINI|MULLINS|TEMASH|CARRIZO|STONEY|GODAVARI|AMETHYST|CURACAO|"
        r"\b(?:SUN|MARS|VENUS|JET|OPAL|SATURN|TOBAGO|NEPTUNE|STRATO|EXO|GRANVILLE|MESO)\b",
        b.GCN_OLD,
    ),  # GCN 1-3 chips, mobile names included (pci.ids codenames)
    (r"VEGA\s*(?:10|12|20)\b|VEGA(?:10|12|20)", b.VEGA),
    (r"RAVEN|PICASSO|DALI|POLLOCK", b.APU_RAVEN),
    (r"RENOIR|CEZANNE|LUCIENNE|BARCELO", b.APU_RENOIR),
    (r"REMBRANDT", b.APU_REMBRANDT),
    (r"RAPHAEL|MENDOCINO", b.APU_RAPHAEL),
    (r"PHOENIX|STRIX|HAWK POINT", b.APU_PHOENIX),
    (r"NAVI\s*1[024]\b|NAVI1[024]", b.NAVI1),
    (r"NAVI\s*2[1-4]\b|NAVI2[1-4]|SIENNA|NAVY FLOUNDER|DIMGREY|BEIGE GOBY", b.RDNA2),
    (r"NAVI\s*3[1-3]\b|NAVI3[1-3]", b.RDNA3),
    (r"NAVI\s*4[48]\b|NAVI4[48]|RX\s*90[67]0", b.RDNA4),
)
# Chip codename (as pci.ids and drivers print it) -> LLVM gfx target, for cards seen by id only.
_CODENAME_GFX: tuple[tuple[str, str], ...] = (
    (r"ELLESMERE|BAFFIN|LEXA|POLARIS|FIJI", "gfx803"),
    (r"TONGA|ICELAND|TOPAZ|AMETHYST", "gfx802"),
    (r"VEGA\s*10", "gfx900"), (r"VEGA\s*12", "gfx904"), (r"VEGA\s*20", "gfx906"),
    (r"RAVEN\s*2|DALI|POLLOCK", "gfx909"), (r"RAVEN|PICASSO", "gfx902"),
    (r"RENOIR|CEZANNE|LUCIENNE|BARCELO", "gfx90c"),
    (r"NAVI\s*10", "gfx1010"), (r"NAVI\s*12", "gfx1011"), (r"NAVI\s*14", "gfx1012"),
    (r"NAVI\s*21", "gfx1030"), (r"NAVI\s*22", "gfx1031"), (r"NAVI\s*23", "gfx1032"),
    (r"NAVI\s*24", "gfx1034"), (r"REMBRANDT", "gfx1035"), (r"RAPHAEL", "gfx1036"),
    (r"MENDOCINO", "gfx1037"), (r"NAVI\s*31", "gfx1100"), (r"NAVI\s*32", "gfx1101"),
    (r"NAVI\s*33", "gfx1102"), (r"PHOENIX", "gfx1103"), (r"NAVI\s*44", "gfx1200"),
    (r"NAVI\s*48", "gfx1201"),
)  # fmt: skip
_NVIDIA_NAME_RULES: tuple[tuple[str, str], ...] = (
    (r"\bG?H[12]00\b", "Hopper"),
    (r"RTX\s*50\d\d|\bG?B[12]00\b", "Blackwell"),
    (r"RTX\s*40\d\d|\bL4\b|\bL40|RTX\s*\d+\s*Ada", "Ada"),
    (r"RTX\s*30\d\d|\bA100\b|\bA10G?\b|\bA[2-6]000\b|\bA30\b|\bA40\b", "Ampere"),
    (r"GTX\s*16\d\d|RTX\s*20\d\d|TITAN RTX|Quadro RTX|\bT4\b", "Turing"),
    (r"V100|TITAN V\b", "Volta"),
    (r"GTX\s*10\d\d|TITAN Xp|\bP100\b|\bP40\b|\bMX[1-3]\d0\b", "Pascal"),
    (r"GTX\s*(?:9\d\dM?|750)|TITAN X\b|\bM[1-6]0\b", "Maxwell"),
    (r"GTX\s*(?:6\d\d|7\d\d)|GT\s*[67]\d\d|\bK\d0\b", "Kepler"),
    (r"GTX?\s*[45]\d\dM?\b", "Fermi"),
)
_INTEL_NAME_RULES: tuple[tuple[str, str], ...] = (
    (r"\bArc\b", "Intel Arc"),
    (r"Iris\S*\s*Xe|UHD\s*(?:Graphics\s*)?7\d\d|\bXe\b", b.INTEL_XE),
    (r"Iris\S*\s*Plus\s*(?:Graphics\s*)?(?:G[47]|$)", b.INTEL_GEN11),
    (
        r"U?HD\s*(?:Graphics\s*)?[56]\d\d|Iris\S*\s*(?:Plus|Pro)?\s*(?:Graphics\s*)?[56]\d\d",
        b.INTEL_GEN9,
    ),  # fmt: skip
)
_INTEL_ID_RULES: tuple[tuple[int, str], ...] = (
    (0x19, b.INTEL_GEN9), (0x59, b.INTEL_GEN9), (0x3E, b.INTEL_GEN9), (0x9B, b.INTEL_GEN9),
    (0x8A, b.INTEL_GEN11), (0x9A, b.INTEL_XE), (0x46, b.INTEL_XE), (0x4C, b.INTEL_XE),
    (0xA7, b.INTEL_XE), (0x56, "Intel Arc"),
)  # fmt: skip
_NV_CC = {2: "Fermi", 3: "Kepler", 5: "Maxwell", 6: "Pascal", 9: "Hopper", 10: "Blackwell",
          12: "Blackwell"}  # fmt: skip


@dataclass(frozen=True)
class Identity:
    """What the table says about one device; `board` only when a single board is left."""

    vendor: str
    family: str | None
    board: b.BoardSpec | None
    candidates: tuple[str, ...]
    gfx: str | None


def vendor_from(vendor_id: int | None, text: str = "") -> str:
    """ "amd" / "nvidia" / "intel" / "other" from a PCI vendor id or a vendor/device string."""
    if vendor_id in VENDOR_IDS:
        return VENDOR_IDS[vendor_id]  # type: ignore[index]
    low = text.lower()
    if any(k in low for k in ("advanced micro", "amd", "radeon", "ati ", "gfx")):
        return "amd"
    if any(k in low for k in ("nvidia", "geforce", "quadro", "tesla")):
        return "nvidia"
    if "intel" in low:
        return "intel"
    return "other"


def id_in_name(text: str) -> int | None:
    """Intel's NEO names unknown iGPUs "Intel(R) Graphics [0x3e92]": the PCI device id."""
    match = re.search(r"\[0x([0-9a-fA-F]{4})\]", text or "")
    return int(match.group(1), 16) if match else None


def find_gfx(text: str) -> str | None:
    match = re.search(r"\bgfx(\d{3,4}|\d{2}[a-f])\b", text or "", re.IGNORECASE)
    return f"gfx{match.group(1).lower()}" if match else None


def _first(rules: tuple[tuple[str, str], ...], text: str, flags: int = re.IGNORECASE) -> str | None:
    return next((fam for pat, fam in rules if re.search(pat, text, flags)), None)


def family_from_rules(
    vendor: str, name: str, gfx: str | None, device_id: int | None, nv_cc: str | None
) -> str | None:
    """Family without a board: gfx target, codename, name pattern, compute capability, id."""
    if gfx and (fam := _first(_GFX_RULES, gfx)):
        return fam
    if vendor == "amd":
        return _first(_CODENAME_RULES, name)
    if vendor == "nvidia":
        if nv_cc and re.match(r"\d+(\.\d+)?$", nv_cc):
            major, _dot, minor = nv_cc.partition(".")
            if major == "7":
                return "Turing" if minor == "5" else "Volta"
            if major == "8":
                return "Ada" if minor == "9" else "Ampere"
            if int(major) in _NV_CC:
                return _NV_CC[int(major)]
        return _first(_NVIDIA_NAME_RULES, name)
    if vendor == "intel":
        if fam := _first(_INTEL_NAME_RULES, name):
            return fam
        if device_id is not None:
            return next((f for hi, f in _INTEL_ID_RULES if device_id >> 8 == hi), None)
    return None


def _vram_fits(board: b.BoardSpec, vram_bytes: int) -> bool:
    """Drivers report a little less than the label (8 GiB card -> 7.98 GiB)."""
    return any(0.85 * v <= vram_bytes <= 1.03 * v for v in board.vram_bytes_variants)


def _narrow(cands: list[b.BoardSpec], keep: Callable[[b.BoardSpec], bool]) -> list[b.BoardSpec]:
    kept = [c for c in cands if keep(c)]
    return kept or cands


def identify(
    vendor: str,
    name: str = "",
    device_id: int | None = None,
    gfx: str | None = None,
    compute_units: int | None = None,
    vram_bytes: int | None = None,
    nv_cc: str | None = None,
) -> Identity:
    """Narrow the board table by PCI id, name, gfx, CU count and VRAM; fall back to rules."""
    name = " ".join((name or "").split())
    gfx = gfx or find_gfx(name)
    pool = [x for x in ALL_BOARDS if x.vendor == vendor]
    by_name = [x for x in pool if re.search(x.match, name, re.IGNORECASE)] if name else []
    by_id = [x for x in pool if device_id is not None and device_id in x.pci_ids]
    if by_id:
        cands = [x for x in by_id if x in by_name] or by_id
    elif by_name:
        cands = by_name
    else:
        cands = [x for x in pool if gfx and x.gfx == gfx]
    if gfx:
        cands = _narrow(cands, lambda x: x.gfx == gfx)
    if compute_units:
        cands = _narrow(
            cands,
            lambda x: (
                x.compute_units == compute_units
                or (
                    bool(x.gfx and x.gfx.startswith("gfx1"))
                    and x.compute_units == 2 * compute_units
                )
            ),
        )
    if vram_bytes:
        cands = _narrow(cands, lambda x: not x.vram_gb or _vram_fits(x, vram_bytes))
    families = {x.family for x in cands}
    board = cands[0] if len(cands) == 1 else None
    family = families.pop() if len(families) == 1 else None
    family = family or family_from_rules(vendor, name, gfx, device_id, nv_cc)
    if gfx is None and len({x.gfx for x in cands}) == 1:
        gfx = cands[0].gfx  # 0x67DF is gfx803 whichever Polaris board it is
    if gfx is None and vendor == "amd":
        gfx = _first(_CODENAME_GFX, name)
    names = tuple(x.name for x in cands) if len(cands) > 1 else ()
    return Identity(vendor, family, board, names, gfx)


def estimate_fp32_tflops(family: str | None, compute_units: int | None, mhz: int | None) -> float:
    """Paper FP32 from CUs and clock for AMD GCN/RDNA when no single board is known; else 0."""
    info = b.family_info(family)
    if not (info and info.vendor == "amd" and compute_units and mhz):
        return 0.0
    dual_issue = 2 if family in (b.RDNA3, b.RDNA4, b.APU_PHOENIX) else 1
    return compute_units * 64 * 2 * dual_issue * mhz / 1e6

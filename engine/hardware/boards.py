"""Board records and the family facts a model selector needs (FP16 rate, INT8 dot, Vulkan).

The numbers are the vendors' paper figures at boost clock: they are for ratios and rules
("no fast FP16 on Polaris"), never for promises. Rows live in `boards_amd.py` and
`boards_other.py`; this module holds the types and the per-family facts.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FamilyInfo:
    """Facts shared by every board of one GPU family (what the variant selector reads)."""

    name: str
    vendor: str  # "amd" | "nvidia" | "intel"
    fp16_ratio: float  # paper FP16 rate / FP32 rate without matrix units (Polaris 1, Vega 2)
    fast_fp16: bool  # FP16 pays off (packed math or tensor/matrix cores)
    int8_dot: bool  # a 4-way INT8 dot-product instruction exists (dp4a, v_dot4)
    vulkan: bool  # a Vulkan 1.1+ compute driver exists for it on Windows or Linux
    directml: bool  # a DirectX 12 driver exists (DirectML on Windows)
    integrated: bool = False  # shares system memory (APU / iGPU)


@dataclass(frozen=True)
class BoardSpec:
    """One marketing board; `match` is a regex over the names drivers and lspci print."""

    name: str
    family: str
    vendor: str
    pci_ids: tuple[int, ...]
    gfx: str | None
    compute_units: int  # AMD CUs, NVIDIA SMs, Intel EUs
    boost_mhz: int
    fp32_tflops: float
    fp16_tflops: float
    bandwidth_gbs: float
    vram_gb: tuple[float, ...]  # variants sold; () for shared memory
    match: str
    int8_dot: bool | None = None  # None: the family's value

    @property
    def vram_bytes_variants(self) -> tuple[int, ...]:
        return tuple(int(gb * 1024**3) for gb in self.vram_gb)


def _fam(name: str, vendor: str, ratio: float, fast: bool, dot: bool, vk: bool, dx: bool,
         igpu: bool = False) -> FamilyInfo:  # fmt: skip
    return FamilyInfo(name, vendor, ratio, fast, dot, vk, dx, igpu)


POLARIS = "Polaris"
VEGA = "Vega"
NAVI1 = "Navi 1x (RDNA1)"
RDNA2 = "RDNA2"
RDNA3 = "RDNA3"
RDNA4 = "RDNA4"
GCN_OLD = "GCN older"
APU_RAVEN = "AMD APU (Raven/Picasso)"
APU_RENOIR = "AMD APU (Renoir/Cezanne)"
APU_REMBRANDT = "AMD APU (Rembrandt)"
APU_RAPHAEL = "AMD APU (Raphael/Mendocino)"
APU_PHOENIX = "AMD APU (Phoenix)"
INTEL_GEN9 = "Intel Gen9"
INTEL_GEN11 = "Intel Gen11"
INTEL_XE = "Intel Xe"

FAMILIES: dict[str, FamilyInfo] = {
    f.name: f
    for f in (
        _fam(GCN_OLD, "amd", 1.0, False, False, True, True),
        _fam(POLARIS, "amd", 1.0, False, False, True, True),
        _fam(VEGA, "amd", 2.0, True, False, True, True),  # Vega 20 (gfx906) has dot: per board
        _fam(NAVI1, "amd", 2.0, True, False, True, True),  # gfx1011/1012 have dot: per board
        _fam(RDNA2, "amd", 2.0, True, True, True, True),
        _fam(RDNA3, "amd", 2.0, True, True, True, True),
        _fam(RDNA4, "amd", 2.0, True, True, True, True),
        _fam(APU_RAVEN, "amd", 2.0, True, False, True, True, True),
        _fam(APU_RENOIR, "amd", 2.0, True, False, True, True, True),
        _fam(APU_REMBRANDT, "amd", 2.0, True, True, True, True, True),
        _fam(APU_RAPHAEL, "amd", 2.0, True, True, True, True, True),  # 2-CU RDNA2 iGPUs
        _fam(APU_PHOENIX, "amd", 2.0, True, True, True, True, True),
        _fam(INTEL_GEN9, "intel", 2.0, True, False, True, True, True),
        _fam(INTEL_GEN11, "intel", 2.0, True, False, True, True, True),
        _fam(INTEL_XE, "intel", 2.0, True, True, True, True, True),
        _fam("Intel Arc", "intel", 2.0, True, True, True, True),
        # NVIDIA: consumer Pascal runs FP16 at 1/64; Volta+ have tensor cores.
        _fam("Fermi", "nvidia", 0.0, False, False, False, False),
        _fam("Kepler", "nvidia", 0.0, False, False, True, True),
        _fam("Maxwell", "nvidia", 0.0, False, False, True, True),
        _fam("Pascal", "nvidia", 1 / 64, False, True, True, True),
        _fam("Volta", "nvidia", 2.0, True, True, True, True),
        _fam("Turing", "nvidia", 2.0, True, True, True, True),
        _fam("Ampere", "nvidia", 1.0, True, True, True, True),
        _fam("Ada", "nvidia", 1.0, True, True, True, True),
        _fam("Hopper", "nvidia", 2.0, True, True, True, False),
        _fam("Blackwell", "nvidia", 1.0, True, True, True, True),
    )
}


def family_info(name: str | None) -> FamilyInfo | None:
    return FAMILIES.get(name) if name else None


def board_int8_dot(board: BoardSpec) -> bool:
    if board.int8_dot is not None:
        return board.int8_dot
    info = FAMILIES.get(board.family)
    return bool(info and info.int8_dot)

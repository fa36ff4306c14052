"""NVIDIA and Intel boards, broadly: enough to name the card and give its paper peaks.

NVIDIA `compute_units` are SMs, Intel's are EUs. NVIDIA FP16 figures are without tensor cores
(Pascal consumer cards run FP16 at 1/64); Intel iGPU bandwidth is the platform's shared RAM.
"""

from __future__ import annotations

from engine.hardware.boards import INTEL_GEN9, INTEL_GEN11, INTEL_XE, BoardSpec


def _nv(
    name: str, family: str, ids: tuple[int, ...], sm: int, mhz: int, fp32: float, fp16: float,
    bw: float, vram: tuple[float, ...], match: str,
) -> BoardSpec:  # fmt: skip
    return BoardSpec(name, family, "nvidia", ids, None, sm, mhz, fp32, fp16, bw, vram, match)


def _in(
    name: str, family: str, ids: tuple[int, ...], eu: int, mhz: int, fp32: float, bw: float,
    vram: tuple[float, ...], match: str,
) -> BoardSpec:  # fmt: skip
    return BoardSpec(name, family, "intel", ids, None, eu, mhz, fp32, 2 * fp32, bw, vram, match)


# fmt: off
NVIDIA_BOARDS: tuple[BoardSpec, ...] = (
    _nv("GeForce GTX 560M", "Fermi", (0x1251,), 4, 1550, 0.595, 0, 60, (1.5, 3), r"GTX\s*560M"),
    _nv("GeForce GTX 780", "Kepler", (0x1004,), 12, 900, 4.15, 0, 288.4, (3,),
          r"GTX\s*780(?!\s*Ti)"),
    _nv("GeForce GTX 750 Ti", "Maxwell", (0x1380,), 5, 1085, 1.39, 0, 86.4, (2, 4),
          r"GTX\s*750\s*Ti"),
    _nv("GeForce GTX 970", "Maxwell", (0x13C2,), 13, 1178, 3.92, 0, 224, (4,), r"GTX\s*970(?!M)"),
    _nv("GeForce GTX 1050 Ti", "Pascal", (0x1C82,), 6, 1392, 2.14, 0.033, 112, (4,),
          r"GTX\s*1050\s*Ti"),
    _nv("GeForce GTX 1060 3GB", "Pascal", (0x1C02,), 9, 1708, 3.94, 0.062, 192, (3,),
          r"GTX\s*1060(?!\s*6)"),
    _nv("GeForce GTX 1060 6GB", "Pascal", (0x1C03,), 10, 1708, 4.37, 0.068, 192, (6,),
          r"GTX\s*1060(?!\s*3)"),
    _nv("GeForce GTX 1080", "Pascal", (0x1B80,), 20, 1733, 8.87, 0.139, 320, (8,),
          r"GTX\s*1080(?!\s*Ti)"),
    _nv("GeForce GTX 1650", "Turing", (0x1F82,), 14, 1665, 2.98, 5.97, 128, (4,),
          r"GTX\s*1650(?!.*(?:Max-?Q|Ti|SUPER|Mobile|Laptop))"),
    _nv("GeForce GTX 1650 Mobile / Max-Q", "Turing", (0x1F91, 0x1F99, 0x1F9D), 16, 1245, 2.55, 5.1,
          128, (4,), r"GTX\s*1650.*(?:Max-?Q|Mobile|Laptop)"),
    _nv("GeForce RTX 2060", "Turing", (0x1F08, 0x1F03), 30, 1680, 6.45, 12.9, 336, (6, 12),
          r"RTX\s*2060(?!\s*(?:SUPER|Laptop|Mobile))"),
    _nv("GeForce RTX 3060", "Ampere", (0x2503, 0x2504, 0x2487), 28, 1777, 12.74, 12.74, 360,
          (8, 12), r"RTX\s*3060(?!\s*(?:Ti|Laptop|Mobile))"),
    _nv("GeForce RTX 3060 Laptop", "Ampere", (0x2520, 0x2560), 30, 1425, 10.94, 10.94, 336, (6,),
          r"RTX\s*3060\s*(?:Laptop|Mobile)"),
    _nv("GeForce RTX 4060", "Ada", (0x2882,), 24, 2460, 15.11, 15.11, 272, (8,),
          r"RTX\s*4060(?!\s*(?:Ti|Laptop|Mobile))"),
    _nv("GeForce RTX 4090", "Ada", (0x2684,), 128, 2520, 82.58, 82.58, 1008, (24,),
          r"RTX\s*4090(?!\s*(?:D|Laptop|Mobile))"),
    _nv("GeForce RTX 5090", "Blackwell", (0x2B85,), 170, 2407, 104.8, 104.8, 1792, (32,),
          r"RTX\s*5090(?!\s*(?:D|Laptop|Mobile))"),
    _nv("H100 SXM5 80GB", "Hopper", (0x2330,), 132, 1980, 66.9, 133.8, 3352, (80,),
          r"H100.*(?:SXM|HBM3)"),
    _nv("H100 PCIe 80GB", "Hopper", (0x2331,), 114, 1755, 51.2, 102.4, 2039, (80,), r"H100\s*PCIe"),
    _nv("H200 141GB", "Hopper", (0x2335,), 132, 1980, 66.9, 133.8, 4800, (141,), r"H200"),
)
# fmt: on

# fmt: off
INTEL_BOARDS: tuple[BoardSpec, ...] = (
    _in("Intel HD Graphics 530", INTEL_GEN9, (0x1912, 0x191B), 24, 1150, 0.44, 34.1, (),
          r"HD\s*(?:Graphics\s*)?530"),
    _in("Intel HD Graphics 620", INTEL_GEN9, (0x5916,), 24, 1050, 0.4, 34.1, (),
          r"(?<!U)HD\s*(?:Graphics\s*)?620"),
    _in("Intel UHD Graphics 620", INTEL_GEN9, (0x5917, 0x3EA0), 24, 1150, 0.44, 34.1, (),
          r"UHD\s*(?:Graphics\s*)?620"),
    _in("Intel UHD Graphics 630", INTEL_GEN9, (0x3E92, 0x3E91, 0x3E98, 0x3E9B), 24, 1200, 0.46,
          41.6, (), r"UHD\s*(?:Graphics\s*)?630"),
    _in("Intel Iris Plus (Ice Lake G7)", INTEL_GEN11, (0x8A52, 0x8A5A), 64, 1100, 1.13, 58.3, (),
          r"Iris\S*\s*Plus"),
    _in("Intel Iris Xe Graphics (Tiger Lake, 80-96 EU)", INTEL_XE, (0x9A49, 0x9A40), 96, 1350, 2.07,
          68.3, (), r"Iris\S*\s*Xe(?!\s*MAX)"),
    _in("Intel UHD Graphics 770", INTEL_XE, (0x4680, 0x4690), 32, 1450, 0.74, 76.8, (),
          r"UHD\s*(?:Graphics\s*)?770"),
    _in("Intel Arc A380", "Intel Arc", (0x56A5,), 128, 2000, 4.1, 186, (6,), r"Arc\S*\s*A380"),
    _in("Intel Arc A750", "Intel Arc", (0x56A1,), 448, 2050, 14.69, 512, (8,), r"Arc\S*\s*A750"),
    _in("Intel Arc A770", "Intel Arc", (0x56A0,), 512, 2100, 17.2, 560, (8, 16), r"Arc\S*\s*A770"),
)
# fmt: on

"""AMD boards: discrete Radeon cards from GCN to RDNA4 and the APUs the stations may have.

FP32 = CUs x 64 lanes x 2 (FMA) x boost clock; RDNA3/RDNA4 rows use AMD's figures, which count
dual issue (twice the lane rate). FP16: 1:1 before Vega, 2:1 packed from Vega on. Bandwidth is
the reference board's; APU bandwidth is the typical memory of the platform (shared RAM).
"""

from __future__ import annotations

from engine.hardware.boards import (
    APU_PHOENIX,
    APU_RAPHAEL,
    APU_RAVEN,
    APU_REMBRANDT,
    APU_RENOIR,
    GCN_OLD,
    NAVI1,
    POLARIS,
    RDNA2,
    RDNA3,
    RDNA4,
    VEGA,
    BoardSpec,
)

_SUFFIXES = r"(?!\s*(?:XTX|XT|GRE|2048))"


def rx(model: str, suffix: str = "") -> str:
    """Regex for "RX <model>[ suffix]" that also finds it inside "RX 470/480/570" lists."""
    tail = rf"\s*{suffix}(?!X)" if suffix else rf"(?![\dXD]){_SUFFIXES}"
    return rf"\bRX\b[ \w/]*?(?<!\d){model}{tail}"


def _b(
    name: str, family: str, ids: tuple[int, ...], gfx: str | None, cu: int, mhz: int,
    fp32: float, fp16: float, bw: float, vram: tuple[float, ...], match: str,
    dot: bool | None = None,
) -> BoardSpec:  # fmt: skip
    return BoardSpec(name, family, "amd", ids, gfx, cu, mhz, fp32, fp16, bw, vram, match, dot)


# fmt: off
AMD_BOARDS: tuple[BoardSpec, ...] = (
    # GCN 1-3 (Tahiti, Hawaii, Tonga, Fiji): FP16 not faster than FP32.
    _b("Radeon HD 7970 / R9 280X", GCN_OLD, (0x6798,), "gfx600", 32, 925, 3.79, 3.79, 264, (3,),
         r"HD\s*7970|R9\s*280X"),
    _b("Radeon R9 290X", GCN_OLD, (0x67B0,), "gfx701", 44, 1000, 5.63, 5.63, 320, (4, 8),
         r"R9\s*290X"),
    _b("Radeon R9 390", GCN_OLD, (0x67B1,), "gfx701", 40, 1000, 5.12, 5.12, 384, (8,),
         r"R9\s*390(?!X)"),
    _b("Radeon R9 390X", GCN_OLD, (0x67B0,), "gfx701", 44, 1050, 5.91, 5.91, 384, (8,),
         r"R9\s*390X"),
    _b("Radeon R9 285/380", GCN_OLD, (0x6938, 0x6939), "gfx802", 28, 970, 3.48, 3.48, 182, (2, 4),
         r"R9\s*(?:285|380)(?!X)"),
    _b("Radeon R9 Fury X", GCN_OLD, (0x7300,), "gfx803", 64, 1050, 8.6, 8.6, 512, (4,),
         r"Fury\s*X"),
    _b("Radeon R9 Fury", GCN_OLD, (0x7300,), "gfx803", 56, 1000, 7.17, 7.17, 512, (4,),
         r"Fury(?!\s*X)"),
    # Polaris (gfx803): FP16 1:1, no INT8 dot.
    _b("Radeon RX 550", POLARIS, (0x699F,), "gfx803", 8, 1183, 1.21, 1.21, 112, (2, 4), rx("550")),
    _b("Radeon RX 460", POLARIS, (0x67EF,), "gfx803", 14, 1200, 2.15, 2.15, 112, (2, 4), rx("460")),
    _b("Radeon RX 560", POLARIS, (0x67FF, 0x67EF), "gfx803", 16, 1275, 2.61, 2.61, 112, (2, 4),
         rx("560")),
    _b("Radeon RX 470", POLARIS, (0x67DF,), "gfx803", 32, 1206, 4.94, 4.94, 211, (4, 8), rx("470")),
    _b("Radeon RX 480", POLARIS, (0x67DF,), "gfx803", 36, 1266, 5.83, 5.83, 256, (4, 8), rx("480")),
    _b("Radeon RX 570", POLARIS, (0x67DF,), "gfx803", 32, 1244, 5.1, 5.1, 224, (4, 8), rx("570")),
    _b("Radeon RX 580", POLARIS, (0x67DF,), "gfx803", 36, 1340, 6.17, 6.17, 256, (4, 8), rx("580")),
    _b("Radeon RX 580 2048SP", POLARIS, (0x6FDF,), "gfx803", 32, 1284, 5.26, 5.26, 224, (4, 8),
         r"580\s*2048"),
    _b("Radeon RX 590", POLARIS, (0x67DF,), "gfx803", 36, 1545, 7.12, 7.12, 256, (8,), rx("590")),
    # Vega (gfx900): 2:1 packed FP16; Vega 20 (gfx906) adds INT8 dot.
    _b("Radeon RX Vega 56", VEGA, (0x687F,), "gfx900", 56, 1471, 10.54, 21.09, 410, (8,),
         r"Vega[ \d/]*?(?<!\d)56(?!\d)"),
    _b("Radeon RX Vega 64", VEGA, (0x687F,), "gfx900", 64, 1546, 12.66, 25.33, 484, (8,),
         r"Vega[ \d/]*?(?<!\d)64(?!\d)"),
    _b("Radeon VII", VEGA, (0x66AF,), "gfx906", 60, 1750, 13.44, 26.88, 1024, (16,),
         r"Radeon\s*(?:Pro\s*)?VII", True),
    # Navi 1x (RDNA1): gfx1010 lacks dot4; gfx1011/gfx1012 have it.
    _b("Radeon RX 5500 XT", NAVI1, (0x7340,), "gfx1012", 22, 1845, 5.2, 10.39, 224, (4, 8),
         rx("5500", "XT"), True),
    _b("Radeon RX 5600 XT", NAVI1, (0x731F,), "gfx1010", 36, 1560, 7.19, 14.38, 288, (6,),
         rx("5600", "XT")),
    _b("Radeon RX 5700", NAVI1, (0x731F,), "gfx1010", 36, 1725, 7.95, 15.9, 448, (8,), rx("5700")),
    _b("Radeon RX 5700 XT", NAVI1, (0x731F,), "gfx1010", 40, 1905, 9.75, 19.51, 448, (8,),
         rx("5700", "XT")),
    # RDNA2
    _b("Radeon RX 6500 XT", RDNA2, (0x743F,), "gfx1034", 16, 2815, 5.77, 11.53, 144, (4, 8),
         rx("6500", "XT")),
    _b("Radeon RX 6600", RDNA2, (0x73FF,), "gfx1032", 28, 2491, 8.93, 17.86, 224, (8,), rx("6600")),
    _b("Radeon RX 6600 XT", RDNA2, (0x73FF,), "gfx1032", 32, 2589, 10.6, 21.21, 256, (8,),
         rx("6600", "XT")),
    _b("Radeon RX 6650 XT", RDNA2, (0x73EF,), "gfx1032", 32, 2635, 10.79, 21.59, 280, (8,),
         rx("6650", "XT")),
    _b("Radeon RX 6700", RDNA2, (0x73DF,), "gfx1031", 36, 2450, 11.29, 22.58, 320, (10,),
         rx("6700")),
    _b("Radeon RX 6700 XT", RDNA2, (0x73DF,), "gfx1031", 40, 2581, 13.21, 26.43, 384, (12,),
         rx("6700", "XT")),
    _b("Radeon RX 6750 XT", RDNA2, (0x73DF,), "gfx1031", 40, 2600, 13.31, 26.62, 432, (12,),
         rx("6750", "XT")),
    _b("Radeon RX 6800", RDNA2, (0x73BF,), "gfx1030", 60, 2105, 16.17, 32.33, 512, (16,),
         rx("6800")),
    _b("Radeon RX 6800 XT", RDNA2, (0x73BF,), "gfx1030", 72, 2250, 20.74, 41.47, 512, (16,),
         rx("6800", "XT")),
    _b("Radeon RX 6900 XT", RDNA2, (0x73BF,), "gfx1030", 80, 2250, 23.04, 46.08, 512, (16,),
         rx("6900", "XT")),
    _b("Radeon RX 6950 XT", RDNA2, (0x73A5,), "gfx1030", 80, 2310, 23.65, 47.3, 576, (16,),
         rx("6950", "XT")),
    # RDNA3 (AMD's dual-issue figures)
    _b("Radeon RX 7600", RDNA3, (0x7480,), "gfx1102", 32, 2655, 21.75, 43.5, 288, (8,), rx("7600")),
    _b("Radeon RX 7600 XT", RDNA3, (0x7480,), "gfx1102", 32, 2755, 22.57, 45.14, 288, (16,),
         rx("7600", "XT")),
    _b("Radeon RX 7700 XT", RDNA3, (0x747E,), "gfx1101", 54, 2544, 35.17, 70.34, 432, (12,),
         rx("7700", "XT")),
    _b("Radeon RX 7800 XT", RDNA3, (0x747E,), "gfx1101", 60, 2430, 37.32, 74.65, 624, (16,),
         rx("7800", "XT")),
    _b("Radeon RX 7900 GRE", RDNA3, (0x744C,), "gfx1100", 80, 2245, 45.98, 91.96, 576, (16,),
         rx("7900", "GRE")),
    _b("Radeon RX 7900 XT", RDNA3, (0x744C,), "gfx1100", 84, 2400, 51.61, 103.2, 800, (20,),
         rx("7900", "XT")),
    _b("Radeon RX 7900 XTX", RDNA3, (0x744C,), "gfx1100", 96, 2500, 61.44, 122.9, 960, (24,),
         rx("7900", "XTX")),
    # RDNA4
    _b("Radeon RX 9060 XT", RDNA4, (0x7590,), "gfx1200", 32, 3130, 25.64, 51.28, 320, (8, 16),
         rx("9060", "XT")),
    _b("Radeon RX 9070", RDNA4, (0x7550,), "gfx1201", 56, 2520, 36.13, 72.25, 640, (16,),
         rx("9070")),
    _b("Radeon RX 9070 XT", RDNA4, (0x7550,), "gfx1201", 64, 2970, 48.66, 97.32, 640, (16,),
         rx("9070", "XT")),
    # APUs: Vega-based iGPUs (gfx902/909/90c) have no dot4; RDNA2/3 iGPUs do.
    _b("Radeon Vega 11 (Raven Ridge)", APU_RAVEN, (0x15DD,), "gfx902", 11, 1250, 1.76, 3.52, 46.9,
         (), r"Raven\s*Ridge"),
    _b("Radeon Vega 11 (Picasso)", APU_RAVEN, (0x15D8,), "gfx902", 11, 1400, 1.97, 3.94, 46.9, (),
         r"Picasso"),
    _b("Radeon Vega 3 (Raven2/Dali)", APU_RAVEN, (0x15D8,), "gfx909", 3, 1100, 0.42, 0.84, 38.4, (),
         r"Raven\s*2|Dali"),
    _b("Radeon Vega 8 (Renoir)", APU_RENOIR, (0x1636,), "gfx90c", 8, 2100, 2.15, 4.3, 68.3, (),
         r"Renoir"),
    _b("Radeon Vega 8 (Cezanne/Lucienne/Barcelo)", APU_RENOIR, (0x1638, 0x164C, 0x15E7), "gfx90c",
         8, 2000, 2.05, 4.1, 51.2, (), r"Cezanne|Lucienne|Barcelo"),
    _b("Radeon 680M (Rembrandt)", APU_REMBRANDT, (0x1681,), "gfx1035", 12, 2400, 3.69, 7.37, 102.4,
         (), r"Rembrandt|\b6[68]0M\b"),
    _b("Radeon Graphics (Raphael)", APU_RAPHAEL, (0x164E,), "gfx1036", 2, 2200, 0.56, 1.13, 83.2,
         (), r"Raphael"),
    _b("Radeon 610M (Mendocino)", APU_RAPHAEL, (0x1506,), "gfx1037", 2, 1900, 0.49, 0.97, 44,
         (), r"Mendocino|\b610M\b"),
    _b("Radeon 780M (Phoenix)", APU_PHOENIX, (0x15BF, 0x15C8), "gfx1103", 12, 2700, 8.29, 16.59,
         120, (), r"Phoenix|\b7[468]0M\b"),
)
# fmt: on

"""The family table: ids, names and gfx targets lead to the right board and facts."""

import pytest

from engine.hardware.boards import FAMILIES
from engine.hardware.families import ALL_BOARDS, find_gfx, identify

GIB = 1024**3


@pytest.mark.parametrize(
    ("vendor", "name", "device_id", "gfx", "cus", "vram", "board", "family"),
    [
        ("amd", "AMD Radeon RX 570 Series", 0x67DF, None, 32, 4 * GIB, "Radeon RX 570", "Polaris"),
        ("amd", "Ellesmere", 0x67DF, None, None, None, None, "Polaris"),
        ("amd", "", 0x699F, None, None, None, "Radeon RX 550", "Polaris"),
        ("amd", "Vega 10 XT [Radeon RX Vega 64]", None, "gfx900", 64, None, "Radeon RX Vega 64",
         "Vega"),
        ("amd", "Navi 10 [Radeon RX 5600 OEM/5600 XT / 5700/5700 XT]", 0x731F, None, 40, 8 * GIB,
         "Radeon RX 5700 XT", "Navi 1x (RDNA1)"),
        ("amd", "", 0x7340, None, None, None, "Radeon RX 5500 XT", "Navi 1x (RDNA1)"),
        ("amd", "AMD Radeon RX 6600", 0x73FF, None, None, None, "Radeon RX 6600", "RDNA2"),
        ("amd", "AMD Radeon RX 7900 XTX", 0x744C, None, None, None, "Radeon RX 7900 XTX",
         "RDNA3"),
        ("amd", "AMD Radeon RX 9070 XT", 0x7550, None, None, None, "Radeon RX 9070 XT", "RDNA4"),
        ("amd", "gfx1103", None, None, None, None, "Radeon 780M (Phoenix)",
         "AMD APU (Phoenix)"),
        ("amd", "gfx1035", None, None, None, None, "Radeon 680M (Rembrandt)",
         "AMD APU (Rembrandt)"),
        ("amd", "gfx902", None, None, None, None, None, "AMD APU (Raven/Picasso)"),
        ("amd", "gfx1036", None, None, None, None, "Radeon Graphics (Raphael)",
         "AMD APU (Raphael/Mendocino)"),
        ("amd", "AMD Radeon(TM) Graphics", 0x164E, None, None, None, "Radeon Graphics (Raphael)",
         "AMD APU (Raphael/Mendocino)"),
        ("amd", "gfx1037", None, None, None, None, "Radeon 610M (Mendocino)",
         "AMD APU (Raphael/Mendocino)"),
        ("nvidia", "NVIDIA H100 80GB HBM3", None, None, 132, None, "H100 SXM5 80GB", "Hopper"),
        ("nvidia", "NVIDIA GeForce RTX 2080", None, None, None, None, None, "Turing"),
        ("nvidia", "Tesla K80", None, None, None, None, None, "Kepler"),
        ("intel", "Intel(R) UHD Graphics 620", None, None, None, None, "Intel UHD Graphics 620",
         "Intel Gen9"),
        ("intel", "", 0x9A49, None, None, None, "Intel Iris Xe Graphics (Tiger Lake, 80-96 EU)",
         "Intel Xe"),
        ("intel", "", 0x9A78, None, None, None, None, "Intel Xe"),
    ],
)  # fmt: skip
def test_identify(
    vendor: str, name: str, device_id: int | None, gfx: str | None, cus: int | None,
    vram: int | None, board: str | None, family: str,
) -> None:  # fmt: skip
    ident = identify(vendor, name, device_id, gfx, cus, vram)
    assert (ident.board.name if ident.board else None) == board
    assert ident.family == family


def test_rx_lists_are_ambiguous_not_the_first_model() -> None:
    ident = identify("amd", "Ellesmere [Radeon RX 470/480/570/570X/580/580X/590]", 0x67DF)
    assert ident.board is None and len(ident.candidates) == 5 and ident.gfx == "gfx803"


def test_table_is_consistent() -> None:
    for board in ALL_BOARDS:
        info = FAMILIES[board.family]
        assert info.vendor == board.vendor, board.name
        if board.vendor == "amd" and board.fp16_tflops:
            assert board.fp16_tflops == pytest.approx(board.fp32_tflops * info.fp16_ratio, 0.02)
        if board.vendor == "amd" and board.family not in ("RDNA3", "RDNA4", "AMD APU (Phoenix)"):
            lane_rate = board.compute_units * 128 * board.boost_mhz / 1e6
            assert board.fp32_tflops == pytest.approx(lane_rate, rel=0.02), board.name
        if board.vendor == "amd" and board.gfx and "Fury" not in board.name:  # Fiji: gfx803 too
            fam = identify("amd", board.gfx).family  # the gfx rules agree with the board rows
            assert fam == board.family, board.name
    polaris = [b for b in ALL_BOARDS if b.family == "Polaris"]
    assert all(b.gfx == "gfx803" and b.fp16_tflops == b.fp32_tflops for b in polaris)
    assert FAMILIES["Polaris"].int8_dot is False and FAMILIES["RDNA2"].int8_dot is True


def test_find_gfx() -> None:
    assert find_gfx("gfx90c") == "gfx90c"
    assert find_gfx("amdgcn-amd-amdhsa--gfx1010") == "gfx1010"
    assert find_gfx("Ellesmere") is None

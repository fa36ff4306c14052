"""Variant choice on the CPU: facts about the processor, and the user's word above all."""

from engine.hardware.cpu import CpuInfo
from engine.models.select import choose_variant
from engine.models.store import find_card

AVX2 = CpuInfo(model="old", flags=("avx", "avx2", "fma"))
VNNI = CpuInfo(model="new", flags=("avx", "avx2", "avx512f", "avx512_vnni"))


def test_cpu_without_vnni_runs_fp32():
    variant, reason = choose_variant(find_card(), cpu=AVX2)
    assert variant.id == "fp32" and "FP32" in reason


def test_cpu_with_vnni_runs_int8():
    variant, _reason = choose_variant(find_card(), cpu=VNNI)
    assert variant.id == "int8"


def test_user_choice_wins():
    variant, reason = choose_variant(find_card(), "int8", cpu=AVX2)
    assert variant.id == "int8" and "INT8" in reason

"""Which variant of a model to run on this PC, with the reason in words."""

from engine.hardware.cpu import CpuInfo, read_cpu
from engine.i18n import _
from engine.models.card import ModelCard, Variant

AUTO = "auto"
INT8_DOT_FLAGS = frozenset({"avx512_vnni", "avx_vnni", "amx_int8"})


def cpu_has_int8_dot(cpu: CpuInfo) -> bool:
    """VNNI/AMX: INT8 dot products in one instruction, where INT8 beats FP32 without saturating.

    Without them onnxruntime either saturates 16-bit sums (INT8 agreed with FP32 on 52% of trap
    photos) or takes an exact kernel no faster than FP32 (measured here on AVX2).
    """
    return bool(INT8_DOT_FLAGS & set(cpu.flags))


def choose_variant(
    card: ModelCard, requested: str = AUTO, cpu: CpuInfo | None = None
) -> tuple[Variant, str]:
    """A user's choice always wins; on the CPU, INT8 only where the CPU has INT8 dot products."""
    if requested != AUTO:
        return card.variant(requested), _("{variant} as requested").format(
            variant=requested.upper()
        )
    known = {variant.id: variant for variant in card.variants}
    if "int8" in known and cpu_has_int8_dot(cpu or read_cpu()):
        return known["int8"], _("CPU with INT8 dot products (VNNI): INT8 is fastest")
    if "fp32" in known:
        return known["fp32"], _("CPU without INT8 dot products: FP32 is as fast and exact")
    return card.variants[0], _("the model's first variant")

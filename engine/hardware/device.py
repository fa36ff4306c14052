"""The immutable records a variant selector reads: `GpuDevice` and `DeviceProfile`."""

from __future__ import annotations

from dataclasses import dataclass

from engine.hardware.cpu import CpuInfo


@dataclass(frozen=True)
class GpuDevice:
    """One physical device (a GPU, or the host CPU with vendor "cpu"), merged from all sources.

    For the CPU device `vram_bytes` / `vram_free_bytes` hold system RAM, so memory-fit rules
    read one field. Peak figures come from the family table (None when the card is unknown).
    """

    vendor: str  # "amd" | "nvidia" | "intel" | "other" | "cpu"
    name: str
    family: str | None
    gfx: str | None
    pci_id: str | None  # "1002:67df"
    vram_bytes: int | None
    vram_free_bytes: int | None
    driver: str
    opencl_version: str
    backends: tuple[str, ...]
    sources: tuple[str, ...]
    notes: tuple[str, ...] = ()
    board: str | None = None  # set only when the table narrowed it to one board
    compute_units: int | None = None
    clock_mhz: int | None = None
    integrated: bool = False
    fast_fp16: bool | None = None
    int8_dot: bool | None = None
    peak_fp32_tflops: float | None = None
    peak_fp16_tflops: float | None = None
    bandwidth_gbs: float | None = None
    opencl_platforms: tuple[str, ...] = ()
    bus: str | None = None

    @property
    def is_cpu(self) -> bool:
        return self.vendor == "cpu"


@dataclass(frozen=True)
class DeviceProfile:
    """Everything known about one PC (live, or rebuilt from a pasted dump)."""

    os: str  # "linux" | "windows" | "darwin" | "unknown"
    cpu: CpuInfo
    devices: tuple[GpuDevice, ...]
    notes: tuple[str, ...] = ()
    origin: str = "live"  # "live" or "dump"

    @property
    def gpus(self) -> tuple[GpuDevice, ...]:
        return tuple(d for d in self.devices if not d.is_cpu)

    @property
    def cpu_device(self) -> GpuDevice | None:
        return next((d for d in self.devices if d.is_cpu), None)

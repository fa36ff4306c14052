"""The host CPU: model, cores and the vector extensions that decide INT8 speed on the CPU."""

from __future__ import annotations

import os
import platform
from dataclasses import dataclass
from pathlib import Path

_FLAGS = ("avx", "avx2", "fma", "avx512f", "avx512_vnni", "avx_vnni", "amx_int8", "neon", "asimd")


@dataclass(frozen=True)
class CpuInfo:
    """`flags` lists only the extensions the selector cares about, and only where readable."""

    model: str = ""
    logical_cores: int | None = None
    physical_cores: int | None = None
    flags: tuple[str, ...] = ()
    arch: str = ""


def _physical_cores() -> int | None:
    try:
        import psutil

        return psutil.cpu_count(logical=False)
    except Exception:  # psutil missing or unsupported platform: not worth failing for
        return None


def read_cpu(cpuinfo: Path = Path("/proc/cpuinfo")) -> CpuInfo:
    """From /proc/cpuinfo on Linux, else `platform`; flags stay empty where unreadable."""
    model, flags = "", ()
    try:
        text = cpuinfo.read_text(encoding="utf-8", errors="replace")
    except OSError:
        text = ""
    for line in text.splitlines():
        key, _sep, value = line.partition(":")
        key = key.strip().lower()
        if key in ("model name", "hardware") and not model:
            model = value.strip()
        elif key in ("flags", "features") and not flags:
            present = set(value.split())
            flags = tuple(f for f in _FLAGS if f in present)
    model = model or platform.processor() or platform.machine()
    return CpuInfo(model, os.cpu_count(), _physical_cores(), flags, platform.machine())

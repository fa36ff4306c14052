"""Merge raw records from all sources into one `GpuDevice` per physical device.

One card seen by OpenCL, sysfs and rocminfo is one device: records join on PCI bus address,
then PCI id, then name or gfx target. All CPU records become the one host CPU device.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from engine.hardware import backends as rules
from engine.hardware.boards import board_int8_dot, family_info
from engine.hardware.cpu import CpuInfo
from engine.hardware.device import GpuDevice
from engine.hardware.families import estimate_fp32_tflops, id_in_name, identify, vendor_from
from engine.hardware.pci_table import pci_name
from engine.hardware.records import RawDevice

# Where VRAM is most trustworthy: the kernel and DXGI count the card's own memory.
_VRAM_ORDER = ("sysfs", "dxgi", "rocminfo", "opencl", "clinfo", "enumdevices", "listing")
_PREFIX = {"amd": "AMD Radeon", "nvidia": "NVIDIA GPU", "intel": "Intel GPU"}
_DOT_GFX = frozenset({"gfx906", "gfx1011", "gfx1012"})


def _norm(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", name.lower()).strip()


def _same(a: RawDevice, b: RawDevice) -> bool | None:
    """True / False when a rule decides, None when the pair says nothing."""
    if a.bus and b.bus:
        return a.bus == b.bus
    if a.device_id and b.device_id:
        return a.device_id == b.device_id
    if a.name and b.name and _norm(a.name) == _norm(b.name):
        return True
    if a.gfx and b.gfx:
        return a.gfx == b.gfx
    return None


def group_records(records: Iterable[RawDevice]) -> tuple[list[RawDevice], list[list[RawDevice]]]:
    """(cpu records, GPU groups); a record joins the first group any member agrees with."""
    cpus: list[RawDevice] = []
    groups: list[list[RawDevice]] = []
    for rec in records:
        if rec.device_type == "cpu":
            cpus.append(rec)
            continue
        for group in groups:
            votes = [_same(member, rec) for member in group]
            if True in votes and False not in votes:
                group.append(rec)
                break
        else:
            groups.append([rec])
    return cpus, _absorb_nameless(groups)


def _raw_vendor(rec: RawDevice) -> str:
    return vendor_from(rec.vendor_id, f"{rec.vendor_text} {rec.name} {rec.board_name}")


def _absorb_nameless(groups: list[list[RawDevice]]) -> list[list[RawDevice]]:
    """Join a name-only group (OpenCL without bus/id) to the one id-only group (sysfs, DXGI)
    of its vendor: an Intel iGPU seen by OpenCL and by sysfs is one device."""
    named = [g for g in groups if not any(r.bus or r.device_id for r in g)]
    for group in named:
        vendor = _raw_vendor(group[0])
        hosts = [
            g for g in groups
            if g is not group and not any(r.name for r in g) and _raw_vendor(g[0]) == vendor
        ]  # fmt: skip
        if len(hosts) == 1:
            hosts[0].extend(group)
            groups = [g for g in groups if g is not group]
    return groups


def _first(values: Iterable[object]) -> object:
    return next((v for v in values if v not in (None, "", 0)), None)


def _unique(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(v for v in values if v))


def _display_name(group: list[RawDevice], board: str | None, family: str | None,
                  gfx: str | None, vendor: str, listed: str) -> str:  # fmt: skip
    if board:
        return board
    names = [r.board_name for r in group] + [r.name for r in group] + [listed]
    good = [n for n in names if n and not re.fullmatch(r"gfx[0-9a-f]+", n, re.I)]
    if good:
        return good[0]
    label = ", ".join(x for x in (family, gfx) if x)
    prefix = _PREFIX.get(vendor, "GPU")
    return f"{prefix} ({label})" if label else f"{prefix} (unnamed)"


def build_gpu(group: list[RawDevice], os_name: str) -> GpuDevice:
    """One GpuDevice from the records of one card, with table facts and backend rules."""
    text = " ".join(_unique([r.board_name for r in group] + [r.name for r in group]))
    vendor_id = _first(r.vendor_id for r in group)
    vendor = vendor_from(vendor_id, " ".join(r.vendor_text for r in group) + " " + text)  # type: ignore[arg-type]
    device_id = _first(r.device_id for r in group) or id_in_name(text)
    gfx = _first(r.gfx for r in group)
    cus = max((r.compute_units or 0 for r in group), default=0) or None
    clock = max((r.clock_mhz or 0 for r in group), default=0) or None
    by_source = sorted(group, key=lambda r: _VRAM_ORDER.index(r.source)
                       if r.source in _VRAM_ORDER else 99)  # fmt: skip
    vram = _first(r.global_mem_bytes for r in by_source)
    free = _first(r.free_mem_bytes for r in by_source)
    nv_cc = _first(r.nv_compute_capability for r in group)
    ident = identify(vendor, text, device_id, gfx, cus, vram, nv_cc)  # type: ignore[arg-type]
    listed = pci_name(vendor, device_id)  # type: ignore[arg-type]
    if listed and ident.family is None:  # the drivers' names said nothing: ask pci.ids
        ident = identify(vendor, f"{text} {listed}", device_id, gfx, cus, vram, nv_cc)  # type: ignore[arg-type]
    gfx = gfx or ident.gfx
    info = family_info(ident.family)
    board = ident.board
    notes = [n for r in group for n in r.notes]
    if ident.candidates:
        notes.append("could be: " + ", ".join(ident.candidates))
    if board:
        fp32, fp16, bandwidth = board.fp32_tflops, board.fp16_tflops, board.bandwidth_gbs
    else:
        fp32 = estimate_fp32_tflops(ident.family, cus, clock) or None
        fp16 = fp32 * info.fp16_ratio if (fp32 and info) else None
        bandwidth = None
    if info and info.integrated:
        notes.append("integrated GPU: its memory is shared with the system")
    has_opencl = any(
        r.source in ("opencl", "clinfo", "enumdevices")
        or r.opencl_version.startswith("OpenCL")
        or (r.source == "listing" and bool(r.platform))  # platforms are OpenCL's
        for r in group
    )
    backends, rule_notes = rules.gpu_backends(vendor, ident.family, gfx, os_name, has_opencl)  # type: ignore[arg-type]
    drivers = _unique(r.driver for r in group)
    return GpuDevice(
        vendor=vendor,
        name=_display_name(
            group,
            board.name if board else None,
            ident.family,
            gfx,
            vendor,
            listed,  # type: ignore[arg-type]
        ),
        family=ident.family,
        gfx=gfx,  # type: ignore[arg-type]
        pci_id=f"{vendor_id:04x}:{device_id:04x}" if vendor_id and device_id else None,
        vram_bytes=vram,  # type: ignore[arg-type]
        vram_free_bytes=free,  # type: ignore[arg-type]
        driver="; ".join(drivers),
        opencl_version=str(_first(r.opencl_version for r in group) or ""),
        backends=backends,
        sources=_unique(r.source for r in group),
        notes=_unique(notes + list(rule_notes)),
        board=board.name if board else None,
        compute_units=cus,
        clock_mhz=clock,
        integrated=bool(info and info.integrated),
        fast_fp16=info.fast_fp16 if info else None,
        int8_dot=(board_int8_dot(board) if board else (gfx in _DOT_GFX or info.int8_dot))
        if info
        else None,
        peak_fp32_tflops=fp32,
        peak_fp16_tflops=fp16,
        bandwidth_gbs=bandwidth,
        opencl_platforms=_unique(r.platform for r in group),
        bus=_first(r.bus for r in group),  # type: ignore[arg-type]
    )


def build_cpu(records: list[RawDevice], cpu: CpuInfo, ram: tuple[int | None, int | None],
              os_name: str) -> GpuDevice:  # fmt: skip
    """The host CPU as a device (vendor "cpu"); memory fields hold system RAM."""
    names = [" ".join(r.name.split()) for r in records if r.name]
    platforms = _unique(r.platform for r in records)
    return GpuDevice(
        vendor="cpu",
        name=cpu.model or (names[0] if names else "CPU (not named in the dump)"),
        family="CPU",
        gfx=None,
        pci_id=None,
        vram_bytes=ram[0] or _first(r.global_mem_bytes for r in records),  # type: ignore[arg-type]
        vram_free_bytes=ram[1],
        driver="; ".join(_unique(r.driver for r in records)),
        opencl_version=str(_first(r.opencl_version for r in records) or ""),
        backends=rules.cpu_backends(bool(platforms)),
        sources=_unique(["cpuinfo" if cpu.model else ""] + [r.source for r in records]),
        notes=tuple(
            f"also listed as {n!r}" for n in _unique(names[1:] if not cpu.model else names)
        ),
        compute_units=cpu.logical_cores,
        opencl_platforms=platforms,
    )

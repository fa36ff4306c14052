"""OpenCL platforms and devices, enumerated in a child process with a time limit.

A broken ICD can hang or crash the process that loads it (ROCm 3.10 clinfo hung on an
RX 5600 XT), so the parent only reads JSON from `python -m engine.hardware.opencl_probe`;
a timeout, crash or garbage becomes a note and the app carries on with the CPU.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import asdict, fields
from pathlib import Path

from engine.hardware.families import find_gfx
from engine.hardware.records import RawDevice, device_type_from

DEFAULT_TIMEOUT_S = 10.0
_REPO = Path(__file__).resolve().parents[2]


def _get(device: object, attr: str) -> object:
    try:
        return getattr(device, attr)
    except Exception:  # attribute not supported by this driver
        return None


def _bus(device: object) -> str | None:
    topo = _get(device, "topology_amd")
    if topo is not None and getattr(topo, "bus", None) is not None:
        return f"{topo.bus:02x}:{topo.device:02x}.{topo.function:x}"
    bus, slot = _get(device, "pci_bus_id_nv"), _get(device, "pci_slot_id_nv")
    if isinstance(bus, int) and isinstance(slot, int):
        return f"{bus:02x}:{slot >> 3:02x}.{slot & 7:x}"
    return None


def _device_record(cl: object, platform: object, device: object) -> dict[str, object]:
    name = " ".join(str(_get(device, "name") or "").split())
    board = str(_get(device, "board_name_amd") or "")
    free = _get(device, "global_free_memory_amd")
    major, minor = _get(device, "compute_capability_major_nv"), None
    if major is not None:
        minor = _get(device, "compute_capability_minor_nv")
    dtype = _get(device, "type") or 0
    platform_name = str(_get(platform, "name") or "")
    type_text = cl.device_type.to_string(dtype) if dtype else ""  # type: ignore[attr-defined]
    kind = device_type_from(type_text, name, platform_name)
    record = RawDevice(
        source="opencl",
        name=name,
        device_type=kind,
        vendor_id=_get(device, "vendor_id"),  # type: ignore[arg-type]
        vendor_text=str(_get(device, "vendor") or ""),
        board_name=board,
        gfx=find_gfx(name) or find_gfx(board),
        compute_units=_get(device, "max_compute_units"),  # type: ignore[arg-type]
        clock_mhz=_get(device, "max_clock_frequency"),  # type: ignore[arg-type]
        global_mem_bytes=_get(device, "global_mem_size"),  # type: ignore[arg-type]
        free_mem_bytes=int(free[0]) * 1024 if isinstance(free, list | tuple) and free else None,
        driver=str(_get(device, "driver_version") or ""),
        opencl_version=str(_get(device, "version") or ""),
        platform=platform_name,
        bus=_bus(device),
        nv_compute_capability=f"{major}.{minor}" if major is not None else None,
        fp16="cl_khr_fp16" in str(_get(device, "extensions") or ""),
    )
    return asdict(record)


def enumerate_here() -> dict[str, list]:
    """Runs in the child: every platform and device pyopencl can see, errors as notes."""
    notes: list[str] = []
    devices: list[dict[str, object]] = []
    try:
        import pyopencl as cl
    except Exception as exc:
        return {"devices": [], "notes": [f"pyopencl cannot be imported: {exc}"]}
    try:
        platforms = cl.get_platforms()
    except Exception as exc:  # no ICD at all raises PLATFORM_NOT_FOUND_KHR
        return {"devices": [], "notes": [f"no OpenCL platform: {exc}"]}
    for platform in platforms:
        try:
            found = platform.get_devices()
        except Exception as exc:
            notes.append(f"OpenCL platform {platform.name!r}: no devices ({exc})")
            continue
        for device in found:
            devices.append(_device_record(cl, platform, device))
    if not platforms:
        notes.append("no OpenCL platform")
    return {"devices": devices, "notes": notes}


def _from_json(item: dict[str, object]) -> RawDevice:
    known = {f.name for f in fields(RawDevice)}
    data = {k: v for k, v in item.items() if k in known}
    data["notes"] = tuple(data.get("notes") or ())  # type: ignore[arg-type]
    return RawDevice(**data)  # type: ignore[arg-type]


def probe_opencl(
    timeout_s: float = DEFAULT_TIMEOUT_S, command: Sequence[str] | None = None
) -> tuple[list[RawDevice], list[str]]:
    """(devices, notes) from the child; `command` is injectable so tests can make it hang."""
    argv = list(command or [sys.executable, "-m", "engine.hardware.opencl_probe"])
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(_REPO), env.get("PYTHONPATH")]))
    try:
        done = subprocess.run(
            argv, capture_output=True, text=True, timeout=timeout_s, env=env, check=False
        )
    except subprocess.TimeoutExpired:
        return [], [
            f"OpenCL enumeration did not finish within {timeout_s:g} s and was stopped "
            "(an OpenCL driver may hang); OpenCL devices are left out"
        ]
    except OSError as exc:
        return [], [f"OpenCL enumeration could not start: {exc}"]
    if done.returncode != 0:
        tail = (done.stderr or "").strip().splitlines()[-1:] or [""]
        return [], [f"OpenCL enumeration crashed (exit code {done.returncode}) {tail[0][:200]}"]
    try:
        payload = json.loads(done.stdout.strip().splitlines()[-1])
        devices = [_from_json(item) for item in payload.get("devices", [])]
        return devices, [str(n) for n in payload.get("notes", [])]
    except (ValueError, IndexError, TypeError, AttributeError) as exc:
        return [], [f"OpenCL enumeration printed something unreadable ({exc})"]


if __name__ == "__main__":
    print(json.dumps(enumerate_here()))

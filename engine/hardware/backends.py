"""Which inference backends *may* reach a device, by rule (the backends issue measures them).

Rules only say what could work on this card and OS; `--probe` and the selector decide what
is used. Polaris is the reason for most of them: no ROCm (gfx803 dropped), no fast FP16,
Vulkan through ncnn works, DirectML on Windows.
"""

from __future__ import annotations

from engine.hardware.boards import family_info

ROCM_GFX = frozenset(
    {"gfx906", "gfx908", "gfx90a", "gfx942", "gfx1030", "gfx1100", "gfx1101", "gfx1102",
     "gfx1200", "gfx1201"}
)  # fmt: skip
_NO_CUDA = frozenset({"Fermi", "Kepler"})  # current CUDA 12 builds start at Maxwell


def cpu_backends(has_opencl: bool) -> tuple[str, ...]:
    found = ("onnxruntime-cpu", "ncnn-cpu", "opencv-cpu")
    return found + (("opencv-opencl",) if has_opencl else ())


def gpu_backends(
    vendor: str, family: str | None, gfx: str | None, os_name: str, has_opencl: bool
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(backends, notes) for one GPU; an unknown family gets the vendor-wide guesses."""
    info = family_info(family)
    known_vendor = vendor in ("amd", "nvidia", "intel")
    found: list[str] = []
    notes: list[str] = []
    if info.vulkan if info else known_vendor:
        found.append("ncnn-vulkan")
    elif info:
        notes.append(f"{family}: no Vulkan driver, so no ncnn-vulkan")
    if os_name == "windows" and (info.directml if info else known_vendor):
        found.append("onnxruntime-directml")
    if vendor == "nvidia" and family not in _NO_CUDA:
        found.append("onnxruntime-cuda")
    if vendor == "amd" and os_name == "linux" and gfx in ROCM_GFX:
        found.append("onnxruntime-migraphx")
    elif vendor == "amd" and gfx == "gfx803":
        notes.append("ROCm dropped gfx803 (Polaris): no ROCm/MIGraphX path")
    if vendor == "intel":
        found.append("onnxruntime-openvino")
    if has_opencl:
        found.append("opencv-opencl")
    if os_name not in ("windows", "linux"):
        notes.append("operating system unknown: OS-specific backends (DirectML, ROCm) not listed")
    return tuple(found), tuple(notes)

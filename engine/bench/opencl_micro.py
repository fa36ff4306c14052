"""OpenCL micro-benchmarks: copy bandwidth (GB/s) and SGEMM GFLOP/s per device, vs paper peak.

They run in a child process with a time limit (a driver that hangs must not hang the app),
size themselves to the device and stay small on CPU devices (pocl) where they only prove the
path works. SGEMM results are checked against numpy before a figure is reported.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path
from typing import Any

from engine.hardware.families import estimate_fp32_tflops, find_gfx, identify, vendor_from
from engine.i18n import _

DEFAULT_TIMEOUT_S = 120.0
_REPO = Path(__file__).resolve().parents[2]
_TS, _WPT = 32, 8  # SGEMM tile and work per thread (Nugteren's "myGEMM" kernel 3 layout)

KERNELS = f"""
__kernel void copy4(__global const float4 *src, __global float4 *dst) {{
    size_t i = get_global_id(0);
    dst[i] = src[i];
}}
#define TS {_TS}
#define WPT {_WPT}
#define RTS (TS / WPT)
// C = A * B for row-major N x N matrices; a work-group computes a TS x TS tile,
// each work-item WPT values of one column strip, with A and B tiles in local memory.
__kernel void sgemm(const int N, __global const float *A, __global const float *B,
                    __global float *C) {{
    const int row = get_local_id(1), col = get_local_id(0);
    const int grow = TS * get_group_id(1) + row, gcol = TS * get_group_id(0) + col;
    __local float As[TS][TS];
    __local float Bs[TS][TS];
    float acc[WPT];
    for (int w = 0; w < WPT; w++) acc[w] = 0.0f;
    for (int t = 0; t < N / TS; t++) {{
        for (int w = 0; w < WPT; w++) {{
            As[row + w * RTS][col] = A[(grow + w * RTS) * N + t * TS + col];
            Bs[row + w * RTS][col] = B[(t * TS + row + w * RTS) * N + gcol];
        }}
        barrier(CLK_LOCAL_MEM_FENCE);
        for (int k = 0; k < TS; k++) {{
            const float b = Bs[k][col];
            for (int w = 0; w < WPT; w++) acc[w] += As[row + w * RTS][k] * b;
        }}
        barrier(CLK_LOCAL_MEM_FENCE);
    }}
    for (int w = 0; w < WPT; w++) C[(grow + w * RTS) * N + gcol] = acc[w];
}}
"""


@dataclass(frozen=True)
class BenchRecord:
    """One device's figures; ratios only where the family table knows the card's peaks."""

    platform: str
    device: str
    device_type: str
    vendor: str = ""
    board_name: str = ""
    compute_units: int | None = None
    clock_mhz: int | None = None
    global_mem_bytes: int | None = None
    bandwidth_gbs: float | None = None
    buffer_mb: int | None = None
    sgemm_gflops: float | None = None
    sgemm_n: int | None = None
    sgemm_max_rel_error: float | None = None
    sgemm_ok: bool = False
    paper_bandwidth_gbs: float | None = None
    paper_fp32_gflops: float | None = None
    bandwidth_ratio: float | None = None
    sgemm_ratio: float | None = None
    error: str = ""


def _best_seconds(run: Any, repeats: int) -> float:
    """Shortest of `repeats` runs from event profiling (ns), after one warm-up run."""
    run().wait()
    times = []
    for _i in range(repeats):
        event = run()
        event.wait()
        times.append((event.profile.end - event.profile.start) * 1e-9)
    return max(min(times), 1e-9)


def _bandwidth(cl: Any, ctx: Any, queue: Any, program: Any, device: Any, cpu: bool) -> tuple:
    """Copy kernel over a buffer of 256 MB on GPUs (less where the device allows less)."""
    cap = min(device.max_mem_alloc_size, device.global_mem_size // 8)
    size = int(min(32 if cpu else 256, max(16, cap // 2**20))) * 2**20
    src = cl.Buffer(ctx, cl.mem_flags.READ_ONLY, size)
    dst = cl.Buffer(ctx, cl.mem_flags.WRITE_ONLY, size)
    program.copy4(queue, (size // 16,), None, dst, src).wait()  # touch both buffers
    seconds = _best_seconds(lambda: program.copy4(queue, (size // 16,), None, src, dst),
                            3 if cpu else 10)  # fmt: skip
    return 2 * size / seconds / 1e9, size // 2**20


def _sgemm(cl: Any, np: Any, ctx: Any, queue: Any, program: Any, n: int) -> tuple:
    """(GFLOP/s, max relative error vs numpy float64) for one N x N product."""
    rng = np.random.default_rng(0)
    a = rng.standard_normal((n, n), dtype=np.float32)
    b = rng.standard_normal((n, n), dtype=np.float32)
    mf = cl.mem_flags
    a_buf = cl.Buffer(ctx, mf.READ_ONLY | mf.COPY_HOST_PTR, hostbuf=a)
    b_buf = cl.Buffer(ctx, mf.READ_ONLY | mf.COPY_HOST_PTR, hostbuf=b)
    c_buf = cl.Buffer(ctx, mf.WRITE_ONLY, a.nbytes)
    local = (_TS, _TS // _WPT)
    args = (np.int32(n), a_buf, b_buf, c_buf)
    seconds = _best_seconds(lambda: program.sgemm(queue, (n, n // _WPT), local, *args),
                            2 if n <= 512 else 5)  # fmt: skip
    c = np.empty_like(a)
    cl.enqueue_copy(queue, c, c_buf).wait()
    expected = a.astype(np.float64) @ b.astype(np.float64)
    error = float(np.max(np.abs(c - expected)) / np.max(np.abs(expected)))
    return 2 * n**3 / seconds / 1e9, error


def bench_device(platform: Any, device: Any, sgemm_n: int | None = None) -> BenchRecord:
    """Both benchmarks on one device (runs in the child); errors end up in `error`."""
    import numpy as np
    import pyopencl as cl

    cpu = bool(device.type & cl.device_type.CPU)
    base = BenchRecord(
        platform=platform.name.strip(), device=" ".join(device.name.split()),
        device_type="cpu" if cpu else "gpu", vendor=device.vendor.strip(),
        board_name=_attr(device, "board_name_amd"), compute_units=device.max_compute_units,
        clock_mhz=device.max_clock_frequency, global_mem_bytes=device.global_mem_size,
    )  # fmt: skip
    try:
        ctx = cl.Context([device])
        queue = cl.CommandQueue(ctx, properties=cl.command_queue_properties.PROFILING_ENABLE)
        program = cl.Program(ctx, KERNELS).build()
        bandwidth, mb = _bandwidth(cl, ctx, queue, program, device, cpu)
        n = sgemm_n or (256 if cpu else 2048)
        gflops, error = _sgemm(cl, np, ctx, queue, program, n)
    except Exception as exc:  # a driver that cannot build or run the kernels
        return replace(base, error=f"{type(exc).__name__}: {exc}"[:300])
    return replace(base, bandwidth_gbs=bandwidth, buffer_mb=mb, sgemm_gflops=gflops, sgemm_n=n,
                   sgemm_max_rel_error=error, sgemm_ok=error < 1e-4)  # fmt: skip


def _attr(device: Any, name: str) -> str:
    try:
        return str(getattr(device, name) or "")
    except Exception:
        return ""


def run_here(sgemm_n: int | None = None) -> list[BenchRecord]:
    """Every OpenCL device in this process (the child calls this)."""
    import pyopencl as cl

    return [bench_device(p, d, sgemm_n) for p in cl.get_platforms() for d in p.get_devices()]


def with_peaks(record: BenchRecord) -> BenchRecord:
    """Paper peaks and ratios from the family table, where it knows the card."""
    if record.device_type != "gpu":
        return record
    text = f"{record.board_name} {record.device}"
    vendor = vendor_from(None, f"{record.vendor} {text}")
    ident = identify(vendor, text, None, find_gfx(text), record.compute_units,
                     record.global_mem_bytes)  # fmt: skip
    if ident.board:
        fp32, bw = ident.board.fp32_tflops, ident.board.bandwidth_gbs
    else:
        fp32, bw = estimate_fp32_tflops(ident.family, record.compute_units, record.clock_mhz), 0
    peak = fp32 * 1000 or None
    return replace(
        record,
        paper_fp32_gflops=peak,
        paper_bandwidth_gbs=bw or None,
        sgemm_ratio=record.sgemm_gflops / peak if (peak and record.sgemm_gflops) else None,
        bandwidth_ratio=record.bandwidth_gbs / bw if (bw and record.bandwidth_gbs) else None,
    )


def run_device_bench(
    timeout_s: float = DEFAULT_TIMEOUT_S,
    sgemm_n: int | None = None,
    command: list[str] | None = None,
) -> list[BenchRecord]:
    """All devices, measured in a child process; a hang or crash becomes one error record."""
    argv = command or [sys.executable, "-m", "engine.bench.opencl_micro"]
    if sgemm_n and not command:
        argv += ["--sgemm-n", str(sgemm_n)]
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(_REPO), env.get("PYTHONPATH")]))
    try:
        done = subprocess.run(argv, capture_output=True, text=True, timeout=timeout_s, env=env,
                              check=False)  # fmt: skip
        if done.returncode != 0:
            tail = (done.stderr or "").strip().splitlines()[-1:] or [""]
            raise RuntimeError(f"exit code {done.returncode} {tail[0][:200]}")
        items = json.loads(done.stdout.strip().splitlines()[-1])
        known = {f.name for f in fields(BenchRecord)}
        return [with_peaks(BenchRecord(**{k: v for k, v in i.items() if k in known}))
                for i in items]  # fmt: skip
    except subprocess.TimeoutExpired:
        reason = f"did not finish within {timeout_s:g} s (an OpenCL driver may hang)"
    except (RuntimeError, ValueError, IndexError, TypeError, OSError) as exc:
        reason = str(exc)
    return [BenchRecord(platform="", device="", device_type="other", error=reason)]


def _num(value: float | None, pattern: str) -> str:
    return pattern.format(value) if value is not None else "-"


def format_device_bench(records: list[BenchRecord]) -> str:
    """One line per device: bandwidth and SGEMM with their ratio to the paper peak."""
    lines = [_("OpenCL micro-benchmarks (paper peak from the family table where known)")]
    for r in records:
        if r.error:
            lines.append(f"  {r.device or _('OpenCL')}: {_('failed')}: {r.error}")
            continue
        check = _("correct") if r.sgemm_ok else _("WRONG RESULT")
        lines.append(
            f"  {r.device} [{r.platform}]: {_num(r.bandwidth_gbs, '{:.1f}')} GB/s"
            f" ({_num(r.bandwidth_ratio, '{:.0%}')} of {_num(r.paper_bandwidth_gbs, '{:.0f}')}),"
            f" SGEMM N={r.sgemm_n} {_num(r.sgemm_gflops, '{:.1f}')} GFLOP/s"
            f" ({_num(r.sgemm_ratio, '{:.0%}')} of {_num(r.paper_fp32_gflops, '{:.0f}')}), {check}"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    n_arg = int(sys.argv[sys.argv.index("--sgemm-n") + 1]) if "--sgemm-n" in sys.argv else None
    print(json.dumps([asdict(r) for r in run_here(n_arg)]))

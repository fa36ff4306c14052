"""OpenCL micro-benchmarks on pocl: behaviour only (positive figures, correct SGEMM)."""

import sys

from engine.bench.opencl_micro import (
    BenchRecord,
    format_device_bench,
    run_device_bench,
    with_peaks,
)


def test_pocl_bandwidth_and_correct_sgemm() -> None:
    records = run_device_bench(sgemm_n=128)
    pocl = [r for r in records if r.platform == "Portable Computing Language"]
    assert pocl, records
    record = pocl[0]
    assert not record.error and record.bandwidth_gbs and record.bandwidth_gbs > 0
    assert record.sgemm_ok and record.sgemm_max_rel_error is not None
    assert record.sgemm_gflops and record.sgemm_gflops > 0
    assert "pthread" in format_device_bench(records) or record.device in format_device_bench(
        records
    )


def test_hanging_bench_is_reported() -> None:
    hang = [sys.executable, "-c", "import time; time.sleep(60)"]
    (record,) = run_device_bench(timeout_s=0.5, command=hang)
    assert "did not finish" in record.error
    assert "failed" in format_device_bench([record])


def test_ratio_to_paper_peak_for_a_known_card() -> None:
    measured = BenchRecord(platform="AMD Accelerated Parallel Processing", device="Ellesmere",
                           device_type="gpu", vendor="Advanced Micro Devices, Inc.",
                           board_name="AMD Radeon RX 570 Series", compute_units=32,
                           global_mem_bytes=8 * 1024**3, bandwidth_gbs=112.0,
                           sgemm_gflops=2550.0)  # fmt: skip
    record = with_peaks(measured)
    assert record.paper_bandwidth_gbs == 224 and record.bandwidth_ratio == 0.5
    assert record.paper_fp32_gflops == 5100 and record.sgemm_ratio == 0.5

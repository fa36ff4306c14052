"""The pipeline benchmark: every stage measured on real photos, and a verdict in words."""

from dataclasses import replace
from pathlib import Path

import pytest

from engine import i18n
from engine.bench.motion_cost import JobTiming, MotionCost
from engine.bench.pipeline import PipelineBench, format_pipeline_bench, run_pipeline_bench

SAMPLES = Path(__file__).resolve().parents[3] / "assets" / "samples"


@pytest.fixture
def spanish():
    i18n.set_language("es")
    yield
    i18n.set_language("en")


def test_every_stage_is_measured_on_the_bundled_samples():
    result = run_pipeline_bench(SAMPLES, variant="fp32", threads=2, repeat=1,
                                backend_name="onnxruntime-cpu", motion_rounds=1)  # fmt: skip
    assert result.images == 10 and result.backend == "onnxruntime-cpu" and result.threads == 2
    rates = (result.peer_style, result.decode_only, result.inference_only, result.pipeline)
    assert all(rate > 0 for rate in rates)
    assert result.bound < min(result.decode_only, result.inference_only)
    cost = result.motion_cost
    assert len(cost.without) == len(cost.with_motion) == 1
    assert all(t.rate > 0 and t.cpu_ms > 0 for t in (*cost.without, *cost.with_motion))
    text = format_pipeline_bench(result)
    assert "onnxruntime-cpu" in text and "what limits it here is" in text
    assert "job with the motion step" in text and "the goal is 0.8." in text


def _cost(rates: list[tuple[float, float]]) -> MotionCost:
    without = tuple(JobTiming(plain, 10.0) for plain, _motion in rates)
    with_motion = tuple(JobTiming(motion, 12.5) for _plain, motion in rates)
    return MotionCost(without, with_motion)


def test_the_motion_step_is_reported_as_a_ratio_with_its_range_over_rounds(spanish):
    result = replace(_result(600.0, 300.0, 190.0), motion_cost=_cost([(100, 70), (80, 72)]))
    text = format_pipeline_bench(result)
    assert "a 0,80 de su velocidad sin él (mediana de 2 rondas, rango 0,70–0,90" in text
    assert "por tiempo de CPU 0,80); la meta es 0,8." in text
    assert "80,0–100,0 img/s, 10,0 ms de CPU por foto" in text


def _result(decode: float, inference: float, pipeline: float) -> PipelineBench:
    bound = 1 / (1 / decode + 1 / inference)
    return PipelineBench(400, "fp16", "ncnn-vulkan", 16, 14.0, decode, inference, bound, pipeline)


def test_report_names_the_stage_that_limits_the_pc_and_the_inference_ratio():
    gpu = format_pipeline_bench(_result(decode=600.0, inference=3600.0, pipeline=450.0))
    assert "what limits it here is decoding the photos" in gpu
    assert "Inference alone runs 8.0× the pipeline's rate." in gpu
    cpu = format_pipeline_bench(_result(decode=600.0, inference=300.0, pipeline=190.0))
    assert "what limits it here is the model itself" in cpu
    assert "Inference alone runs 1.6× the pipeline's rate." in cpu


def test_report_reads_in_spanish(spanish):
    text = format_pipeline_bench(_result(decode=600.0, inference=3600.0, pipeline=450.0))
    assert "8,0×" in text and "Inference" not in text and "limits" not in text

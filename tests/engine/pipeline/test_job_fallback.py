"""Fault drill on the whole job: a GPU backend that breaks hands over, and nothing is lost."""

import pytest

from engine.backends.fallback import Candidate, FallbackBackend
from engine.backends.registry import make_loader, reference_factory
from engine.paths import assets_dir
from engine.pipeline.events import BackendDropped
from engine.pipeline.job import ClassifyJob, JobSettings
from engine.results.db import ResultsDB
from tests.engine.backends.test_fallback import Faulty, failing_load, shift_top1

SAMPLES = assets_dir() / "samples"
COUNT = len([p for p in SAMPLES.iterdir() if p.suffix.lower() == ".jpg"])


def broken_first(fault: str):
    """A plan's backend factory whose first route is ncnn (CPU) with one real fault."""

    def factory(plan, on_drop):
        first = make_loader("ncnn-cpu", plan.card, "fp32", 2)
        cpu = make_loader("onnxruntime-cpu", plan.card, "fp32", 2)
        loads = {
            "load": failing_load,
            "first_batch": lambda: Faulty(first(), fail_on=1),
            "later_batch": lambda: Faulty(first(), fail_on=2),
            "wrong_numbers": lambda: Faulty(first(), perturb=shift_top1),
        }
        candidates = [
            Candidate("ncnn-cpu", "fp32", loads[fault]),
            Candidate("onnxruntime-cpu", "fp32", cpu),
        ]
        return FallbackBackend(candidates, reference_factory(plan.card, 2), on_drop=on_drop)

    return factory


@pytest.mark.parametrize("fault", ["load", "first_batch", "later_batch", "wrong_numbers"])
def test_the_job_completes_on_the_fallback(tmp_path, fault):
    events: list = []
    settings = JobSettings(SAMPLES, tmp_path / "out", variant="fp32", batch_size=4, threads=2)
    summary = ClassifyJob(settings, events.append, backend_factory=broken_first(fault)).run()
    assert summary.status == "finished" and summary.classified == COUNT
    dropped = [event for event in events if isinstance(event, BackendDropped)]
    assert [event.backend for event in dropped] == ["ncnn-cpu"] and dropped[0].reason
    reference = tmp_path / "reference"
    ClassifyJob(JobSettings(SAMPLES, reference, variant="fp32", backend="onnxruntime-cpu")).run()
    with (
        ResultsDB(tmp_path / "out" / "results.sqlite") as got,
        ResultsDB(reference / "results.sqlite") as want,
    ):
        top = {row.rel_path: row.predictions[0][0] for row in got.iter_files()}
        assert top == {row.rel_path: row.predictions[0][0] for row in want.iter_files()}


def test_a_run_that_ends_in_an_error_is_marked_failed_not_running(tmp_path):
    """No fallback left (a lone backend that loses its device): the error reaches the caller,
    the files done before it stay, and the run's record says it failed."""

    def lone(plan, on_drop):
        return Faulty(make_loader("onnxruntime-cpu", plan.card, "fp32", 2)(), fail_on=2)

    settings = JobSettings(SAMPLES, tmp_path / "out", variant="fp32", batch_size=4, threads=2,
                           motion=False)  # fmt: skip
    with pytest.raises(RuntimeError, match="VK_ERROR_DEVICE_LOST"):
        ClassifyJob(settings, backend_factory=lone).run()
    with ResultsDB(tmp_path / "out" / "results.sqlite") as db:
        run = db.latest_run()
        assert run is not None and run["status"] == "failed" and run["finished_at"]
        assert len(list(db.iter_files())) == 4  # the first batch was kept

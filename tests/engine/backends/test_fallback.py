"""Fault drill: a real backend made to fail at load, on its first batch, on a later batch, to
hang, and to return wrong numbers. Each time the run ends with every image classified exactly
as onnxruntime CPU classifies it, and the user was told what was dropped and why.
"""

import time

import numpy as np
import pytest

from engine.backends.base import Backend, BackendUnavailable
from engine.backends.fallback import AllBackendsFailed, Candidate, FallbackBackend
from engine.backends.registry import make_fallback, make_loader, reference_factory

IMAGES = 8
BATCH = 4


class Faulty:
    """A real backend with one fault: raise on call `fail_on`, or perturb its logits."""

    def __init__(self, inner: Backend, fail_on: int | None = None, perturb=None) -> None:
        self._inner, self._fail_on, self._perturb, self.calls = inner, fail_on, perturb, 0
        self.info = inner.info

    def run(self, batch: np.ndarray) -> np.ndarray:
        self.calls += 1
        if self.calls == self._fail_on:
            raise RuntimeError("vkQueueSubmit failed: VK_ERROR_DEVICE_LOST")
        logits = self._inner.run(batch)
        return self._perturb(logits) if self._perturb else logits


def shift_top1(logits: np.ndarray) -> np.ndarray:
    return np.roll(logits, 1, axis=1)  # every label wrong, scores look plausible


def small_drift(logits: np.ndarray) -> np.ndarray:
    return logits + np.linspace(0, 0.5, logits.shape[1], dtype=np.float32)  # top-1 may hold


def failing_load() -> Backend:
    raise RuntimeError("vkCreateDevice failed: VK_ERROR_INITIALIZATION_FAILED")


def hanging_load() -> Backend:
    time.sleep(5)
    raise AssertionError("the fallback should have moved on long before")


def run_all(backend: FallbackBackend, batch: np.ndarray) -> np.ndarray:
    return np.concatenate([backend.run(batch[i : i + BATCH]) for i in range(0, len(batch), BATCH)])


def drill(card, trap_batch, reference_logits, faulty_load, **timeouts):
    drops: list[tuple[str, str]] = []
    candidates = [
        Candidate("ncnn-cpu", "fp32", faulty_load),
        Candidate("onnxruntime-cpu", "fp32", make_loader("onnxruntime-cpu", card, "fp32", 2)),
    ]
    backend = FallbackBackend(
        candidates, reference_factory(card, 2), lambda n, r: drops.append((n, r)), **timeouts
    )
    logits = run_all(backend, trap_batch[:IMAGES])
    reference = reference_logits[:IMAGES]
    assert logits.shape == reference.shape  # every image classified...
    assert (logits.argmax(1) == reference.argmax(1)).all()  # ...with the CPU's labels
    return backend, drops


@pytest.fixture
def ncnn_cpu(card):
    return make_loader("ncnn-cpu", card, "fp32", threads=2)


@pytest.mark.parametrize(
    ("fault", "words"),
    [("load", "VK_ERROR_INITIALIZATION_FAILED"), ("first_batch", "VK_ERROR_DEVICE_LOST"),
     ("shift_top1", "same top-1 label on 0%"), ("small_drift", "largest score difference")],
)  # fmt: skip
def test_fault_is_dropped_and_the_cpu_finishes(card, trap_batch, reference_logits, ncnn_cpu,
                                               fault, words) -> None:  # fmt: skip
    loaders = {
        "load": failing_load,
        "first_batch": lambda: Faulty(ncnn_cpu(), fail_on=1),
        "shift_top1": lambda: Faulty(ncnn_cpu(), perturb=shift_top1),
        "small_drift": lambda: Faulty(ncnn_cpu(), perturb=small_drift),
    }
    backend, drops = drill(card, trap_batch, reference_logits, loaders[fault])
    assert [name for name, _reason in drops] == ["ncnn-cpu"]
    assert words in drops[0][1]
    assert backend.info.name == "onnxruntime-cpu"


def test_failure_on_a_later_batch_reruns_that_batch(card, trap_batch, reference_logits,
                                                    ncnn_cpu) -> None:  # fmt: skip
    backend, drops = drill(card, trap_batch, reference_logits, lambda: Faulty(ncnn_cpu(), 2))
    assert len(drops) == 1 and "VK_ERROR_DEVICE_LOST" in drops[0][1]
    assert backend.info.name == "onnxruntime-cpu"


def test_a_hung_driver_is_given_up_on(card, trap_batch, reference_logits) -> None:
    backend, drops = drill(card, trap_batch, reference_logits, hanging_load, load_timeout=0.5)
    assert "did not finish within" in drops[0][1]


def test_a_healthy_backend_is_kept(card, trap_batch, reference_logits, ncnn_cpu) -> None:
    backend, drops = drill(card, trap_batch, reference_logits, ncnn_cpu)
    assert drops == [] and backend.info.name == "ncnn-cpu"


def test_dropped_backends_stay_dropped_for_the_session(card, trap_batch, reference_logits):
    drill(card, trap_batch, reference_logits, failing_load)
    calls = []
    backend, drops = drill(card, trap_batch, reference_logits, lambda: calls.append(1))
    assert calls == [] and "earlier in this session" in drops[0][1]


def test_the_plan_routes_end_on_the_cpu(card, trap_batch, reference_logits) -> None:
    drops: list[tuple[str, str]] = []
    routes = [("onnxruntime-cuda", "fp16"), ("ncnn-cpu", "int8")]  # neither can run here
    backend = make_fallback(card, routes, threads=2, on_drop=lambda n, r: drops.append((n, r)))
    logits = run_all(backend, trap_batch[:BATCH])
    assert (logits.argmax(1) == reference_logits[:BATCH].argmax(1)).all()
    assert [name for name, _reason in drops] == ["onnxruntime-cuda", "ncnn-cpu"]
    assert "INT8" in drops[1][1]
    assert backend.info.name == "onnxruntime-cpu"


def test_nothing_left_is_a_readable_error(card) -> None:
    with pytest.raises(AllBackendsFailed) as caught:
        FallbackBackend([Candidate("ncnn-cpu", "fp32", failing_load)], reference_factory(card))
    assert isinstance(caught.value, BackendUnavailable) and caught.value.reason

"""A classifier exported with a fixed batch (1, as many publishers' ONNX files are) still runs
the batches the job forms: onnxruntime is fed slices of the size the model takes."""

from pathlib import Path

import numpy as np

from engine.backends.onnxruntime_ep import OnnxRuntimeBackend
from engine.models.card import load_card

FIXED_AT_ONE = Path(__file__).resolve().parents[2] / "data" / "models" / "standin-species"


def test_a_model_with_a_fixed_batch_of_one_runs_a_batch_of_three():
    card = load_card(FIXED_AT_ONE)
    backend = OnnxRuntimeBackend("onnxruntime-cpu", card, card.variants[0], threads=1)
    size = card.input_size
    batch = np.random.default_rng(0).normal(size=(3, 3, size, size)).astype(np.float32)
    together = backend.run(batch)
    one_by_one = np.concatenate([backend.run(batch[i : i + 1]) for i in range(3)])
    assert together.shape == (3, len(card.labels))
    np.testing.assert_allclose(together, one_by_one, rtol=1e-5, atol=1e-6)

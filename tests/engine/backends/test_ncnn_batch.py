"""Several images per ncnn pass: each image gets its own logits, as if it had run alone."""

import tempfile

import numpy as np
import pytest

from engine.backends import ncnn_vulkan, tiny_models
from engine.backends.ncnn_batch import NotBatchable, batched_graph
from engine.backends.ncnn_vulkan import NcnnBackend
from tests.engine.backends.conftest import require_device
from tests.engine.backends.test_agreement import device_present


def _ncnn_files(card):
    variant = card.variants_in("ncnn")[0]
    return variant, variant.file_for("param").read_text(), variant.file_for("bin").read_bytes()


def test_bundled_model_in_passes_of_three_matches_one_image_per_pass(card, trap_batch):
    """Five trap photos in passes of 3 (the second padded): same logits as one per pass."""
    variant, _param, _weights = _ncnn_files(card)
    alone = NcnnBackend(card, variant, vulkan=False, images_per_pass=1).run(trap_batch[:5])
    together = NcnnBackend(card, variant, vulkan=False, images_per_pass=3)
    assert together.images_per_pass == 3
    logits = together.run(trap_batch[:5])
    assert logits.shape == alone.shape == (5, len(card.labels))
    assert np.array_equal(logits.argmax(1), alone.argmax(1))
    assert np.abs(logits - alone).max() < 1e-3


def test_rewritten_graph_groups_every_convolution_and_repeats_the_weights(card):
    _variant, param, weights = _ncnn_files(card)
    batched_param, batched_weights = batched_graph(param, weights, 4)
    layers = [line.split() for line in batched_param.splitlines()[2:]]
    kinds = {fields[0] for fields in layers}
    assert "Convolution" not in kinds and "InnerProduct" not in kinds
    first = next(fields for fields in layers if fields[1] == "convclip_0")
    assert {"0=128", "7=4"} <= set(first)  # 32 filters per image, one group per image
    count, blobs = map(int, batched_param.splitlines()[1].split())
    assert count == len(layers) and blobs > count
    # Every weight repeated 4 times; only the per-blob storage tags are not.
    assert 3.9 * len(weights) < len(batched_weights) < 4 * len(weights)


def test_graph_that_would_mix_images_runs_one_image_per_pass(tmp_path):
    """A softmax over the pooled vector would mix a stacked batch: that graph is not rewritten."""
    card = tiny_models.write_tiny_card(tmp_path)
    param_path = card.variants_in("ncnn")[0].file_for("param")
    param = (
        param_path.read_text()
        .replace("3 3\n", "4 4\n", 1)
        .replace("c0 out0 0=1 4=1", "c0 pooled 0=1 4=1")
        + "Softmax softmax0 1 1 pooled out0 0=0\n"
    )
    param_path.write_text(param)
    with pytest.raises(NotBatchable, match="Softmax"):
        batched_graph(param, b"", 4)
    backend = NcnnBackend(card, card.variants_in("ncnn")[0], vulkan=False, images_per_pass=4)
    assert backend.images_per_pass == 1
    batch = tiny_models.sample_batch(3)
    scores = tiny_models.expected(batch)
    softmax = np.exp(scores) / np.exp(scores).sum(axis=1, keepdims=True)
    assert np.allclose(backend.run(batch), softmax, atol=1e-5)


@pytest.mark.parametrize("vulkan", [False, True], ids=["cpu", "vulkan"])
def test_float32_weights_in_padded_passes_give_the_numpy_answer(tmp_path, vulkan):
    """The tiny model stores raw float32 weights (tag 0); 6 images in passes of 4."""
    if vulkan:
        require_device("ncnn-vulkan", *device_present("ncnn-vulkan"))
    card = tiny_models.write_tiny_card(tmp_path)
    backend = NcnnBackend(card, card.variants_in("ncnn")[0], vulkan=vulkan, images_per_pass=4,
                          extractors=2)  # fmt: skip
    batch = tiny_models.sample_batch(6)
    assert backend.images_per_pass == 4
    assert np.allclose(backend.run(batch), tiny_models.expected(batch), atol=1e-4)
    backend.close()


def test_vulkan_runs_several_images_per_pass_by_default(card):
    require_device("ncnn-vulkan", *device_present("ncnn-vulkan"))
    backend = NcnnBackend(card, card.variants_in("ncnn")[0], vulkan=True, extractors=1)
    budget = ncnn_vulkan.heap_budget_mb()
    assert backend.images_per_pass == ncnn_vulkan.images_per_pass_for(budget) > 1
    assert NcnnBackend(card, card.variants_in("ncnn")[0], vulkan=False).images_per_pass == 1


def test_pass_size_shrinks_to_the_vulkan_heap_budget():
    fits = ncnn_vulkan.images_per_pass_for
    assert fits(None) == fits(8192) == ncnn_vulkan.DEFAULT_GPU_IMAGES_PER_PASS == 16
    assert fits(1000) == 8  # a 1 GB budget: 16 x 80 MB does not fit, 8 x 80 MB does
    assert fits(300) == 2
    assert fits(50) == 1


def test_no_room_for_the_rewritten_model_means_one_image_per_pass(tmp_path, monkeypatch):
    """The rewritten files go to the temporary folder; where they cannot be written (a full
    disk; here a folder that does not exist) the model loads as it is, one image per pass."""
    card = tiny_models.write_tiny_card(tmp_path / "model")
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "no-such-folder"))
    backend = NcnnBackend(card, card.variants_in("ncnn")[0], vulkan=False, images_per_pass=4)
    assert backend.images_per_pass == 1
    batch = tiny_models.sample_batch(3)
    assert np.allclose(backend.run(batch), tiny_models.expected(batch), atol=1e-4)

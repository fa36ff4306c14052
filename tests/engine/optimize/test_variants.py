"""Variants made by the Optimize panel's code, on the bundled model and real trap photos."""

from pathlib import Path

import numpy as np
import onnx
import pytest

from engine.models.store import find_card
from engine.optimize import prune_channels as pc
from engine.optimize import quantize
from engine.optimize.make import Request, keep, make_variant
from engine.optimize.onnx_tools import agreement, parameter_count, run_logits
from engine.optimize.sample import load_sample


@pytest.fixture(scope="module")
def card():
    return find_card()


def test_int8_agrees_with_fp32_on_the_trap_photos(card, trap_images: Path, tmp_path: Path):
    """The panel's INT8 maker, calibrated on the photos it is measured on (all readable trap
    photos), as a user's run would be; make_variant's timing passes are skipped to stay fast."""
    sample = load_sample(trap_images, card.preprocessing, limit=64)
    assert len(sample) >= 45
    fp32 = card.variant("fp32").file
    path = quantize.make_int8(fp32, tmp_path / "int8.onnx", sample.tensors)
    assert agreement(run_logits(path, sample.tensors), run_logits(fp32, sample.tensors)) >= 0.90
    assert path.stat().st_size < card.variant("fp32").size_bytes / 3


def test_channel_pruning_30_percent_runs_and_is_smaller(card, trap_images: Path, tmp_path: Path):
    sample = load_sample(trap_images, card.preprocessing, limit=8)
    model = onnx.load(str(card.variant("fp32").file))
    blocks = pc.find_blocks(model)
    assert len(blocks) == 15  # every MBConv block with an expand conv
    stats = pc.hidden_stats(model, blocks, sample.tensors)
    pruned = pc.prune_channels(model, {b.expand: 0.3 for b in blocks}, stats)
    path = tmp_path / "slim.onnx"
    onnx.save(pruned, str(path))
    logits = run_logits(path, sample.tensors)
    assert logits.shape == (len(sample), len(card.labels))
    assert np.isfinite(logits).all()
    assert parameter_count(pruned) < 0.85 * parameter_count(model)
    assert path.stat().st_size < 0.85 * card.variant("fp32").size_bytes
    reference = run_logits(card.variant("fp32").file, sample.tensors)
    assert agreement(logits, reference) > 0.3  # degraded without fine-tuning, not garbage


def test_kept_fp16_variant_enters_the_store_with_its_figures(
    card, trap_images: Path, tmp_path, monkeypatch
):
    monkeypatch.setenv("OCELOTE_DATA_DIR", str(tmp_path / "data"))  # later tests see no variant
    photos = tmp_path / "photos"
    photos.mkdir()
    for image in sorted(trap_images.rglob("*.jpg"))[:4]:
        (photos / image.name).write_bytes(image.read_bytes())
    candidate = make_variant(card, Request("fp16", photos, limit=4, seconds=0.1), work=tmp_path)
    assert candidate.evaluation.accuracy_on_reviewed is None
    assert any("No reviewed photos" in note for note in candidate.evaluation.notes)
    updated = keep(card, candidate)
    variant = updated.variant("user-fp16")
    assert variant.precision == "fp16" and variant.file.is_file()
    assert variant.top1_agreement_with_fp32 == pytest.approx(
        candidate.evaluation.agreement, abs=1e-4
    )


def test_int8_of_a_graph_with_unnamed_nodes_quantizes_all_but_the_stem(tmp_path):
    """Exports often leave node names empty; excluding the stem by name must not exclude every
    unnamed node (which would make an "INT8" that is FP32 throughout)."""
    import onnx
    from onnx import TensorProto, helper, numpy_helper

    rng = np.random.default_rng(3)
    inits = [
        numpy_helper.from_array(rng.normal(size=(8, 3, 3, 3)).astype(np.float32), "w1"),
        numpy_helper.from_array(rng.normal(size=(8, 8, 3, 3)).astype(np.float32), "w2"),
    ]
    nodes = [
        helper.make_node("Conv", ["input", "w1"], ["a"], pads=[1, 1, 1, 1]),
        helper.make_node("Relu", ["a"], ["b"]),
        helper.make_node("Conv", ["b", "w2"], ["c"], pads=[1, 1, 1, 1]),
        helper.make_node("GlobalAveragePool", ["c"], ["d"]),
        helper.make_node("Flatten", ["d"], ["logits"]),
    ]
    graph = helper.make_graph(
        nodes, "unnamed",
        [helper.make_tensor_value_info("input", TensorProto.FLOAT, ["batch", 3, 16, 16])],
        [helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["batch", 8])], inits,
    )  # fmt: skip
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    source = tmp_path / "unnamed.onnx"
    onnx.save(model, str(source))
    target = quantize.make_int8(
        source, tmp_path / "int8.onnx", rng.random((4, 3, 16, 16), dtype=np.float32)
    )
    quantized = onnx.load(str(target))
    dequantized = {out for n in quantized.graph.node if n.op_type == "DequantizeLinear"
                   for out in n.output}  # fmt: skip
    convs = [n for n in quantized.graph.node if n.op_type == "Conv"]
    assert len(convs) == 2
    assert not any(i in dequantized for i in convs[0].input)  # the stem stays FP32
    assert all(i in dequantized for i in convs[1].input[:2])  # the rest is INT8

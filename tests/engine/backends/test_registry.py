"""Backend names, precisions, the usable check on the tiny model, and the ncnn model card entry."""

import base64

import numpy as np
import pytest

from engine.backends import tiny_models
from engine.backends.base import BackendUnavailable
from engine.backends.probe import _run_group
from engine.backends.registry import NAMES, PRECISIONS, make_loader, usable_backends
from engine.hardware.backends import cpu_backends, gpu_backends
from engine.models.store import sha256_of


def test_names_are_exactly_the_selectors() -> None:
    assert NAMES == (
        "onnxruntime-cpu", "onnxruntime-directml", "onnxruntime-cuda", "onnxruntime-rocm",
        "onnxruntime-migraphx", "onnxruntime-openvino", "ncnn-vulkan", "ncnn-cpu",
        "opencv-opencl", "opencv-cpu",
    )  # fmt: skip
    assert set(PRECISIONS) == set(NAMES)
    listed = set(cpu_backends(True)) | set(gpu_backends("amd", None, None, "windows", True)[0])
    assert listed <= set(NAMES)
    assert "int8" not in PRECISIONS["opencv-opencl"] + PRECISIONS["opencv-cpu"]


def test_usable_backends_really_run_the_tiny_model() -> None:
    names = ["onnxruntime-cpu", "ncnn-cpu", "onnxruntime-directml"]
    found = {item.name: item for item in usable_backends(names=names)}
    assert found["onnxruntime-cpu"].usable and found["onnxruntime-cpu"].device == "CPU"
    assert found["ncnn-cpu"].usable
    assert not found["onnxruntime-directml"].usable and found["onnxruntime-directml"].reason


def test_a_probe_that_hangs_is_reported_not_waited_for() -> None:
    (item,) = _run_group(["ncnn-vulkan"], timeout=0.01)
    assert not item.usable and "no answer within" in item.reason


def test_loader_turns_every_failure_into_a_reason(card) -> None:
    with pytest.raises(BackendUnavailable, match="INT8"):
        make_loader("ncnn-vulkan", card, "int8")()
    with pytest.raises(BackendUnavailable, match="CUDAExecutionProvider"):
        make_loader("onnxruntime-cuda", card, "fp32")()
    with pytest.raises(BackendUnavailable, match="unknown"):
        make_loader("tpu", card, "fp32")()


def test_tiny_onnx_is_what_onnx_helper_builds() -> None:
    onnx = pytest.importorskip("onnx", reason="onnx is a dev dependency")
    from onnx import TensorProto, helper, numpy_helper

    w, b = tiny_models.weights()
    nodes = [
        helper.make_node("Conv", ["input", "w", "b"], ["c"], pads=[1] * 4, kernel_shape=[3, 3]),
        helper.make_node("Relu", ["c"], ["r"]),
        helper.make_node("GlobalAveragePool", ["r"], ["g"]),
        helper.make_node("Flatten", ["g"], ["logits"]),
    ]
    graph = helper.make_graph(
        nodes, "tiny",
        [helper.make_tensor_value_info("input", TensorProto.FLOAT, ["batch", 3, 8, 8])],
        [helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["batch", 4])],
        [numpy_helper.from_array(w, "w"), numpy_helper.from_array(b, "b")],
    )  # fmt: skip
    model = helper.make_model(
        graph, opset_imports=[helper.make_opsetid("", 17)], producer_name="ocelote-probe"
    )
    model.ir_version = 8
    onnx.checker.check_model(model)
    assert model.SerializeToString() == base64.b64decode("".join(tiny_models.ONNX_B64))


def test_tiny_expected_values_are_not_trivial() -> None:
    values = tiny_models.expected(tiny_models.sample_batch())
    assert values.shape == (2, 4) and np.count_nonzero(values) >= 4


def test_card_lists_the_ncnn_files_with_their_hashes(card) -> None:
    (variant,) = card.variants_in("ncnn")
    assert variant.precision == "fp32" and variant.top1_agreement_with_fp32 >= 0.98
    roles = {item.role: item for item in variant.files}
    assert set(roles) == {"param", "bin"}
    for path, digest in variant.all_files():
        assert sha256_of(path) == digest
    assert variant.size_bytes == sum(item.size_bytes for item in variant.files)
    assert [v.id for v in card.variants_in("onnx")] == ["fp32", "fp16", "int8"]

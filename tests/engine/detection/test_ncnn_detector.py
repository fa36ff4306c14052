"""Detectors on ncnn: pnnx's real conversion (no PyTorch), ncnn on the CPU and on llvmpipe's
software Vulkan against onnxruntime on real trap photos, and the fallback to onnxruntime with a
message when the ncnn files are damaged, mismatched or hold an operation ncnn lacks."""

import importlib.util
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from engine.backends.ncnn_vulkan import gpu_count
from engine.backends.onnxruntime_cpu import OnnxRuntimeCpu
from engine.bench.standins.store import ensure_standin
from engine.detection.agreement import compare
from engine.detection.ncnn_convert import pnnx_binary
from engine.detection.ncnn_files import cached
from engine.detection.ncnn_prepare import prepare_for_ncnn
from engine.detection.ncnn_runtime import NcnnDetector
from engine.detection.onnx_session import OnnxDetector
from engine.detection.runtime import DetectorRuntime, forget_dropped
from engine.detection.stage import decode_for_detector, detection_stage
from engine.errors import MediaError
from engine.hardware.profile import profile_from_dump
from engine.models.card import load_card
from engine.models.store import find_card
from engine.store.importing import import_path
from tests.engine.detection.bright_cells import make_pack
from tests.engine.detection.standin_packs import PACKS, SPECIES_ID, make_species_classifier, scene

REPO = Path(__file__).resolve().parents[3]
RX570 = REPO.parent / "shared/data/gpu_dumps/clinfo_amd_rx570_ellesmere_amdapp3380_pal_linux.txt"


@pytest.fixture(autouse=True)
def _fresh_session():
    forget_dropped()
    yield
    forget_dropped()


@pytest.fixture
def pack(tmp_path):
    return load_card(make_pack(tmp_path / "bright-cells"))


def photos(trap_images: Path, count: int) -> list[Path]:
    """Real trap photos, a few spare: `letterboxed` skips the ones that do not decode."""
    return sorted((trap_images / "megadetector_test_images").rglob("*.jpg"))[: count + 2]


def letterboxed(runtime: DetectorRuntime, paths: list[Path]) -> tuple[list, list]:
    decoded = []
    for path in paths:
        try:
            decoded.append(decode_for_detector(path, runtime.spec, 1280))
        except MediaError:
            continue
    return [d.tensor for d in decoded], [d.placement for d in decoded]


def test_pnnx_converts_without_pytorch_and_ncnn_matches_onnxruntime_on_external_weights(tmp_path):
    """The bench's light stand-in keeps its weights in an external file (pnnx misreads those:
    the conversion writes a self-contained copy first)."""
    assert importlib.util.find_spec("torch") is None
    assert pnnx_binary() is not None
    card = load_card(ensure_standin("light", tmp_path / "standins"))
    model = cached(card, card.variants_in("onnx")[0], tmp_path / "cache")
    assert model.size == 640 and model.outputs == ("output0",)
    assert model.param.read_text(encoding="utf-8").splitlines()[2].split()[:2] == ["Input", "in0"]
    again = cached(card, card.variants_in("onnx")[0], tmp_path / "cache")
    assert again.weights.stat().st_mtime_ns == model.weights.stat().st_mtime_ns  # converted once
    images = np.random.default_rng(0).random((1, 3, 640, 640), dtype=np.float32)
    ncnn = NcnnDetector(model, vulkan=False)
    got = ncnn.outputs(images, ("output0",))[0]
    ncnn.close()
    want = OnnxDetector(card.variants_in("onnx")[0], "onnxruntime-cpu", 1).outputs(
        images, ("output0",)
    )[0]
    assert got.shape == want.shape == (1, 25200, 8)
    assert np.abs(got - want).max() < 0.01  # pixels, with FP16-stored weights


@pytest.mark.parametrize(
    "backend,count,precision",
    [("ncnn-cpu", 8, "fp32"), ("ncnn-vulkan", 3, "fp32")],
)
def test_ncnn_boxes_agree_with_onnxruntime_on_real_photos(
    pack, trap_images, backend, count, precision
):
    if backend == "ncnn-vulkan":
        assert gpu_count() > 0, "no Vulkan device: scripts/setup.sh installs mesa-vulkan-drivers"
    dropped = []
    runtime = DetectorRuntime(
        pack, pack.variant("fp32"), backend, on_drop=lambda *a: dropped.append(a),
        precision=precision,
    )  # fmt: skip
    tensors, placements = letterboxed(runtime, photos(trap_images, count))
    found = runtime.detect(tensors, placements)
    assert dropped == [] and runtime.backend == backend
    assert runtime.precision == precision
    reference = DetectorRuntime(pack, pack.variant("fp32")).detect(tensors, placements)
    agreement = compare(reference, found, 0.2)
    assert agreement.detections > 20  # bright cells on real photos: the check means something
    assert agreement.good_enough()
    runtime.close()


def test_fp16_arithmetic_that_moves_the_boxes_is_set_aside_by_the_first_batch_check(
    pack, trap_images
):
    """The bright-cells detector thresholds brightness sums, which FP16 rounds across its
    threshold: the check catches it, as it would a real detector that does not survive FP16."""
    assert gpu_count() > 0, "no Vulkan device: scripts/setup.sh installs mesa-vulkan-drivers"
    dropped = []
    runtime = DetectorRuntime(
        pack, pack.variant("fp32"), "ncnn-vulkan", on_drop=lambda *a: dropped.append(a),
        precision="fp16",
    )  # fmt: skip
    tensors, placements = letterboxed(runtime, photos(trap_images, 3))
    found = runtime.detect(tensors, placements)
    ((name, reason),) = dropped
    assert name == "ncnn-vulkan" and "differ from onnxruntime's" in reason
    assert runtime.backend == "onnxruntime-cpu"
    assert found == DetectorRuntime(pack, pack.variant("fp32")).detect(tensors, placements)


def test_damaged_ncnn_weights_disagree_and_the_boxes_are_onnxruntimes(
    pack, trap_images, tmp_path, monkeypatch
):
    monkeypatch.setenv("OCELOTE_DATA_DIR", str(tmp_path / "data"))  # a cache of its own
    variant = pack.variant("fp32")
    model = cached(pack, variant)
    data = bytearray(model.weights.read_bytes())
    data[4:3076] = bytes(3072)  # half the brightness weights; same size: only the check tells
    model.weights.write_bytes(bytes(data))
    dropped = []
    runtime = DetectorRuntime(pack, variant, "ncnn-cpu", on_drop=lambda *a: dropped.append(a))
    tensors, placements = letterboxed(runtime, photos(trap_images, 6))
    found = runtime.detect(tensors, placements)
    assert runtime.backend == "onnxruntime-cpu"
    ((name, reason),) = dropped
    assert name == "ncnn-cpu"
    assert "differ from onnxruntime's" in reason and "runs with onnxruntime instead" in reason
    assert found == DetectorRuntime(pack, variant).detect(tensors, placements)
    later = DetectorRuntime(pack, variant, "ncnn-cpu", on_drop=lambda *a: dropped.append(a))
    assert later.backend == "onnxruntime-cpu"  # not tried again in this session
    assert "differ from onnxruntime's" in dropped[-1][1]


def test_an_operation_ncnn_lacks_falls_back_with_the_right_boxes(tmp_path):
    card = load_card(PACKS / "standin-det-yolov5")  # GreaterOrEqual: no ncnn layer
    path = tmp_path / "scene.jpg"
    truth = scene(path, (800, 600), {"animal": (400, 100, 500, 300)})
    dropped = []
    runtime = DetectorRuntime(card, card.variant("fp32"), "ncnn-cpu",
                              on_drop=lambda *a: dropped.append(a))  # fmt: skip
    photo = decode_for_detector(path, runtime.spec, 1280)
    (found,) = runtime.detect([photo.tensor], [photo.placement])
    assert runtime.backend == "onnxruntime-cpu"
    assert dropped and "ncnn could not read the model graph" in dropped[0][1]
    (animal,) = [box for box in found if box.conf >= 0.2]
    assert animal.category == "animal" and animal.box == pytest.approx(truth["animal"], abs=0.006)


def _ocelote(data: Path, *args: str) -> subprocess.CompletedProcess:
    env = {"OCELOTE_DATA_DIR": str(data), "PATH": "/usr/bin:/bin", "PYTHONPATH": str(REPO)}
    return subprocess.run([sys.executable, "-m", "engine", *args], capture_output=True,
                          text=True, env=env, cwd=REPO, check=False)  # fmt: skip


def test_models_prepare_adds_the_ncnn_files_to_the_folder_card_and_manifest(tmp_path):
    data = tmp_path / "data"
    make_pack(tmp_path / "pack")
    assert _ocelote(data, "models", "import", str(tmp_path / "pack")).returncode == 0
    done = _ocelote(data, "models", "prepare", "bright-cells")
    assert done.returncode == 0, done.stderr
    assert "bright-cells.ncnn.param, bright-cells.ncnn.bin added to" in done.stdout
    manifest = (data / "models" / "bright-cells" / "manifest.sha256").read_text()
    assert "bright-cells.ncnn.bin" in manifest and "bright-cells.ncnn.param" in manifest
    assert _ocelote(data, "models", "verify", "bright-cells").returncode == 0
    again = _ocelote(data, "--lang", "es", "models", "prepare", "bright-cells")
    assert "ya está preparado para la tarjeta gráfica" in again.stdout
    refused = _ocelote(data, "--lang", "es", "models", "import", str(PACKS / "standin-det-e2e"))
    assert refused.returncode == 0
    refused = _ocelote(data, "--lang", "es", "models", "prepare", "standin-det-e2e")
    assert refused.returncode == 1
    assert "ncnn no puede ejecutar este modelo" in refused.stderr
    assert not list((data / "models" / "standin-det-e2e").glob("*.ncnn.*"))


def test_a_damaged_prepared_file_is_refused_before_it_runs(tmp_path, monkeypatch, trap_images):
    monkeypatch.setenv("OCELOTE_DATA_DIR", str(tmp_path / "data"))
    import_path(make_pack(tmp_path / "pack"))
    card = prepare_for_ncnn(find_card("bright-cells"))
    weights = card.variant("ncnn").file_for("bin")
    weights.write_bytes(weights.read_bytes()[::-1])
    dropped = []
    runtime = DetectorRuntime(card, card.variant("fp32"), "ncnn-cpu",
                              on_drop=lambda *a: dropped.append(a))  # fmt: skip
    assert runtime.backend == "onnxruntime-cpu"
    assert dropped and dropped[0][0] == "ncnn-cpu"


def test_the_job_stage_runs_a_polaris_plan_on_vulkan(tmp_path, monkeypatch, trap_images):
    """detection_stage with an RX 570's profile routes the detector to ncnn-vulkan (llvmpipe
    here) and the boxes agree; the classifier's backend is untouched."""
    assert gpu_count() > 0
    monkeypatch.setenv("OCELOTE_DATA_DIR", str(tmp_path / "data"))
    import_path(make_pack(tmp_path / "pack"))
    import_path(make_species_classifier(tmp_path / "made" / SPECIES_ID))
    profile = profile_from_dump(RX570.read_text(encoding="utf-8", errors="replace"))
    classifier = find_card(SPECIES_ID)
    backend = OnnxRuntimeCpu(classifier, classifier.variant("fp32"), 1)
    dropped = []
    stage = detection_stage(
        find_card("bright-cells"), classifier, backend, "onnxruntime-cpu", 1, None,
        lambda *a: dropped.append(a), profile,
    )  # fmt: skip
    assert stage is not None and stage.runtime.backend == "ncnn-vulkan"
    assert stage.spec.fixed_shape and stage.spec.size == 640
    tensors, placements = letterboxed(stage.runtime, photos(trap_images, 2))
    found = stage.runtime.detect(tensors, placements)
    assert dropped == []
    card = find_card("bright-cells")
    reference = DetectorRuntime(card, card.variant("fp32"))
    assert compare(reference.detect(tensors, placements), found, 0.2).good_enough()

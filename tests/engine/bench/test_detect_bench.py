"""The detector benchmark: every stage measured with a real stand-in session on real photos,
a report that says the weights are random, and clear errors without a detector."""

import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from engine import i18n
from engine.bench.detect import (
    DetectBench,
    NoDetectorError,
    decoder,
    detector_card,
    format_detect_bench,
    peer_input,
    run_detect_bench,
    run_stream,
)
from engine.detection.choose import DetectorChoiceError
from engine.detection.runtime import DetectorRuntime
from engine.store.importing import import_path

SAMPLES = Path(__file__).resolve().parents[3] / "assets" / "samples"
TEST_DETECTOR = Path(__file__).resolve().parents[2] / "data" / "models" / "standin-det-yolov5"


@pytest.fixture(scope="module")
def light_card():
    return detector_card(None, "light")


@pytest.fixture
def spanish():
    i18n.set_language("es")
    yield
    i18n.set_language("en")


def test_every_stage_is_measured_on_the_bundled_samples(light_card) -> None:
    result = run_detect_bench(SAMPLES, light_card, threads=2, batch=2, limit=4)
    assert result.images == 4 and result.threads == 2 and result.batch == 2
    assert result.random_weights and result.input_size == 640
    assert result.backend == "onnxruntime-cpu"
    rates = (result.peer_style, result.decode_only, result.inference_only, result.pipeline)
    assert all(rate > 0 for rate in rates)
    assert result.bound < min(result.decode_only, result.inference_only)
    text = format_detect_bench(result)
    assert text.startswith("Stand-in with RANDOM weights") and "of bound" in text
    assert "x peer-style" in text and "10,000 photos takes about" in text


def test_the_same_bench_runs_on_ncnn_after_its_first_batch_agrees(light_card) -> None:
    """pnnx converts the stand-in into the user's cache (not the repository); the untimed first
    pass checks ncnn's boxes against onnxruntime CPU before any figure is taken."""
    dropped = []
    result = run_detect_bench(SAMPLES, light_card, threads=2, limit=2, repeat=1,
                              backend="ncnn-cpu", on_drop=lambda *a: dropped.append(a))  # fmt: skip
    assert dropped == [] and result.backend == "ncnn-cpu"
    assert result.images == 2 and result.inference_only > 0 and result.pipeline > 0
    assert "on ncnn-cpu" in format_detect_bench(result)
    assert not list(Path(light_card.folder).glob("*.param"))


def test_the_pipeline_runs_every_readable_photo_and_skips_a_broken_one(
    light_card, tmp_path: Path
) -> None:
    photos = sorted(SAMPLES.glob("*.jpg"))[:3]
    for photo in photos:
        shutil.copy(photo, tmp_path / photo.name)
    (tmp_path / "broken.jpg").write_bytes(photos[0].read_bytes()[:300])
    runtime = DetectorRuntime(light_card, light_card.variants[0], "onnxruntime-cpu", 2)
    paths = sorted(tmp_path.iterdir())
    assert run_stream(paths, decoder(runtime), runtime, batch=2, workers=2) == 3


def test_ocelote_decodes_to_the_detector_size_and_the_peer_stretches(light_card) -> None:
    runtime = DetectorRuntime(light_card, light_card.variants[0], "onnxruntime-cpu", 1)
    photo = next(p for p in sorted(SAMPLES.glob("*.jpg")) if Image.open(p).size == (2048, 1536))
    tensor, placement = decoder(runtime)(photo)
    assert tensor.shape == (3, 512, 672) and (placement.width, placement.height) == (640, 480)
    assert np.isclose(tensor[:, 0, 0], 114 / 255).all()  # MegaDetector's grey padding on top
    peer, _placement = peer_input(photo, 640, 255.0)
    assert peer.shape == (3, 640, 640) and peer.max() <= 1.0


def _result(decode: float, inference: float, pipeline: float) -> DetectBench:
    bound = 1 / (1 / decode + 1 / inference)
    return DetectBench(40, "MDv5a", False, "onnxruntime-cuda", 16, 8, 1280, 9.0, decode,
                       inference, bound, pipeline, 1.0)  # fmt: skip


def test_report_names_what_limits_it_and_the_time_for_a_card() -> None:
    text = format_detect_bench(_result(decode=600.0, inference=40.0, pipeline=37.0))
    assert "RANDOM" not in text and "the detector itself" in text
    assert "pipeline 37.0 img/s = 0.99 of bound, 4.1 x peer-style" in text
    assert "10,000 photos takes about 5 minutes" in text
    assert "decoding the photos" in format_detect_bench(_result(30.0, 400.0, 27.0))


def test_report_reads_in_spanish(spanish) -> None:
    text = format_detect_bench(_result(decode=600.0, inference=40.0, pipeline=37.0))
    assert "el propio detector" in text and "10.000 fotos" in text and "limits" not in text


def test_no_installed_detector_is_a_clear_error() -> None:
    with pytest.raises(NoDetectorError, match="--stand-in"):
        detector_card(None, None)


def _ocelote(*args: str) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "engine", *args]
    return subprocess.run(command, capture_output=True, text=True, check=False)


def test_cli_runs_a_stand_in_and_refuses_without_one(tmp_path: Path) -> None:
    done = _ocelote("bench", "detect", str(SAMPLES), "--stand-in", "light", "--limit", "2",
                    "--batch", "2")  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "RANDOM weights" in done.stdout and "of bound" in done.stdout
    refused = _ocelote("bench", "detect", str(SAMPLES))
    assert refused.returncode == 2 and "--stand-in" in refused.stdout
    missing = _ocelote("bench", "detect", str(tmp_path / "nowhere"), "--stand-in", "light")
    assert missing.returncode == 2 and "does not exist" in missing.stdout


def test_an_installed_detector_is_measured_and_its_weights_are_not_called_random(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OCELOTE_DATA_DIR", str(tmp_path))  # a store of its own for this test
    import_path(TEST_DETECTOR)  # as a ranger would: verified, with its manifest
    card = detector_card(TEST_DETECTOR.name, None)
    result = run_detect_bench(SAMPLES, card, threads=2, batch=2, limit=2, repeat=1)
    assert result.images == 2 and not result.random_weights and result.pipeline > 0
    assert "RANDOM" not in format_detect_bench(result)
    with pytest.raises(DetectorChoiceError):
        detector_card("not-installed", None)

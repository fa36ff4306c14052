"""Every file of a model is checked when it is loaded: a changed, cut or missing card, labels,
groups, ONNX, or ncnn param/bin gives a message naming the model and what to do — never a
traceback, never wrong labels."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import engine.paths
from engine.cli import main
from engine.models.store import find_card, verify
from engine.store.errors import ModelFileError
from engine.store.importing import import_path
from engine.store.manifest import MANIFEST_NAME

REPO = Path(__file__).resolve().parents[3]
BUNDLED = REPO / "assets" / "models" / "efficientnet_lite0"
STANDIN = REPO / "tests" / "data" / "models" / "standin-species"


def _swap_lines(path: Path, first: int, second: int) -> None:
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[first], lines[second] = lines[second], lines[first]
    path.write_text("".join(lines), encoding="utf-8")


@pytest.fixture
def park_copy(store, tmp_path) -> Path:
    """The bundled model (ONNX and ncnn variants) imported into the store under its own id."""
    copy = tmp_path / "park"
    shutil.copytree(BUNDLED, copy)
    (copy / MANIFEST_NAME).unlink()
    card = (copy / "card.json").read_text(encoding="utf-8")
    card = card.replace("efficientnet-lite0-imagenet", "park-copy").replace(
        "EfficientNet-Lite0 (ImageNet-1k)", "Park copy"
    )
    (copy / "card.json").write_text(card, encoding="utf-8")
    import_path(copy)
    return store / "park-copy"


@pytest.mark.parametrize(
    ("file", "damage", "words"),
    [
        ("card.json", "edit", "card.json has changed"),
        ("labels.csv", "swap", "labels.csv has changed"),
        ("groups.csv", "swap", "groups.csv has changed"),
        ("labels.csv", "delete", "labels.csv is missing"),
        ("manifest.sha256", "delete", "manifest.sha256 is missing"),
    ],
)
def test_a_damaged_card_or_labels_file_refuses_the_model(park_copy, file, damage, words):
    path = park_copy / file
    if damage == "swap":
        _swap_lines(path, 1, 2)
    elif damage == "edit":
        path.write_text(path.read_text(encoding="utf-8").replace("Park copy", "Parque"), "utf-8")
    else:
        path.unlink()
    with pytest.raises(ModelFileError, match=words) as error:
        find_card("park-copy")
    assert "ocelote models install park-copy" in str(error.value)


@pytest.mark.parametrize(
    ("variant", "file", "damage", "words"),
    [
        ("fp32", "efficientnet_lite0_fp32.onnx", "flip", "has changed"),
        ("int8", "efficientnet_lite0_int8.onnx", "truncate", "is incomplete"),
        ("fp16", "efficientnet_lite0_fp16.onnx", "delete", "is missing"),
        ("ncnn", "efficientnet_lite0.ncnn.param", "flip", "has changed"),
        ("ncnn", "efficientnet_lite0.ncnn.bin", "truncate", "is incomplete"),
    ],
)
def test_damaged_weights_are_refused_before_use(park_copy, variant, file, damage, words):
    card = find_card("park-copy")
    path = park_copy / file
    data = path.read_bytes()
    if damage == "flip":
        path.write_bytes(data[:100] + bytes([data[100] ^ 1]) + data[101:])
    elif damage == "truncate":
        path.write_bytes(data[: len(data) // 2])
    else:
        path.unlink()
    with pytest.raises(ModelFileError, match=f"“Park copy”.*{file} {words}"):
        verify(card.variant(variant), card)
    assert main(["models", "verify", "park-copy"]) == 1


def test_a_trained_head_folder_gets_a_manifest(store, tmp_path):
    import_path(STANDIN)
    _swap_lines(store / "standin-species" / "labels.csv", 1, 2)
    with pytest.raises(ModelFileError, match="labels.csv has changed"):
        find_card("standin-species")


@pytest.fixture
def bundled_copy(tmp_path, monkeypatch) -> Path:
    """The program's own folder, copied, so its bundled model can be damaged in a test."""
    root = tmp_path / "install"
    shutil.copytree(BUNDLED, root / "assets" / "models" / "efficientnet_lite0")
    (root / "locales").symlink_to(REPO / "locales")
    monkeypatch.setattr(engine.paths, "install_root", lambda: root)
    return root / "assets" / "models" / "efficientnet_lite0"


def test_swapped_bundled_labels_stop_the_job_instead_of_naming_a_dog_leopard(
    bundled_copy, store, tmp_path, capsys
):
    photos = tmp_path / "photos"
    photos.mkdir()
    shutil.copyfile(REPO / "assets" / "samples" / "domestic_dog.jpg", photos / "dog.jpg")
    _swap_lines(bundled_copy / "labels.csv", 200, 289)
    code = main(["classify", str(photos), "--out", str(tmp_path / "out")])
    err = capsys.readouterr().err
    assert code == 1
    assert "EfficientNet-Lite0" in err and "labels.csv has changed" in err
    assert "Reinstall Ocelote" in err
    assert not (tmp_path / "out" / "results.csv").exists()
    assert main(["models", "verify"]) == 1


def test_the_bundled_model_verifies_as_shipped():
    assert main(["models", "verify", "efficientnet-lite0-imagenet"]) == 0

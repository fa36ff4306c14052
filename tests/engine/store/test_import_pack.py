"""Importing without a network: the stand-in pack (folder), a zip, a bare ONNX; and a pack
written by `ocelote models pack` imported back on a station that has nothing."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from engine.models.store import find_card
from engine.store.errors import ImportProblem, ModelFileError
from engine.store.importing import BareOnnxAnswers, import_path
from engine.store.inspect_onnx import inspect
from engine.store.listing import remove
from engine.store.pack import PACK_INDEX, write_pack
from engine.store.staging import STAGING
from engine.store.verify import verify_folder
from tests.engine.store.onnx_builders import tiny_classifier, tiny_detector

REPO = Path(__file__).resolve().parents[3]
STANDIN = REPO / "tests" / "data" / "models" / "standin-species"


def test_the_standin_species_pack_imports_with_its_taxonomy(store):
    assert import_path(STANDIN) == ["standin-species"]
    card = find_card("standin-species")
    ocelot = card.labels[0]
    assert (ocelot.en, ocelot.es, ocelot.taxonomy.scientific_name) == (
        "Ocelot", "Ocelote", "Leopardus pardalis",
    )  # fmt: skip
    assert card.group_text(card.labels[-2].group, "es") == "Personas"
    verify_folder(store / "standin-species")


def test_a_zip_of_a_model_folder_imports(store, tmp_path):
    archive = tmp_path / "standin.zip"
    with zipfile.ZipFile(archive, "w") as bundle:
        for path in STANDIN.iterdir():
            bundle.write(path, path.name)
    assert import_path(archive) == ["standin-species"]
    assert find_card("standin-species").kind == "classifier"


def test_a_bare_detector_onnx_is_inspected_and_carded(store, tmp_path):
    path = tiny_detector(tmp_path / "field-det.onnx", size=32)
    info = inspect(path)
    assert (info.kind, info.layout, info.classes, info.input_size) == ("detector", "yolov5", 3, 32)
    answers = BareOnnxAnswers("field-det", "Field detector", license_spdx="MIT")
    assert import_path(path, answers) == ["field-det"]
    card = find_card("field-det")
    assert card.kind == "detector" and card.raw["categories"] == ["animal", "person", "vehicle"]
    assert card.raw["input"]["name"] == "images" and card.raw["input"]["size"] == 32


def test_a_bare_classifier_needs_labels_that_fit(store, tmp_path):
    path = tiny_classifier(tmp_path / "cls.onnx", classes=3)
    labels = tmp_path / "labels.txt"
    labels.write_text("Jaguar\nHuman\nBlank\n", encoding="utf-8")
    with pytest.raises(ImportProblem, match="labels file"):
        import_path(path, BareOnnxAnswers("cls", "Cls"))
    labels_two = tmp_path / "two.txt"
    labels_two.write_text("Jaguar\nHuman\n", encoding="utf-8")
    with pytest.raises(ImportProblem, match="2 names but the model has 3"):
        import_path(path, BareOnnxAnswers("cls", "Cls", labels=labels_two))
    assert import_path(path, BareOnnxAnswers("cls", "Cls", labels=labels)) == ["cls"]
    card = find_card("cls")
    assert [label.group for label in card.labels] == ["other_animals", "people", "background"]
    assert not (store / STAGING).exists() or not any((store / STAGING).iterdir())


def test_pack_then_import_on_an_empty_station(store, tmp_path, monkeypatch):
    import_path(STANDIN)
    import_path(tiny_detector(tmp_path / "d.onnx"), BareOnnxAnswers("det", "Det"))
    pack = write_pack(["standin-species", "det"], tmp_path / "usb" / "models.ocelote.zip")
    with zipfile.ZipFile(pack) as bundle:
        names = bundle.namelist()
    assert PACK_INDEX in names and "det/manifest.sha256" in names
    assert "standin-species/labels.csv" in names
    monkeypatch.setenv("OCELOTE_DATA_DIR", str(tmp_path / "station"))  # another PC
    monkeypatch.setenv("http_proxy", "http://127.0.0.1:9")  # any network use would fail
    assert import_path(pack) == ["det", "standin-species"]
    assert find_card("det").kind == "detector"
    assert find_card("standin-species").labels[1].en == "Jaguar"


def test_a_damaged_pack_is_refused_and_nothing_installed(store, tmp_path):
    copy = tmp_path / "copy"
    shutil.copytree(STANDIN, copy)
    lines = (copy / "labels.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    lines[1], lines[2] = lines[2], lines[1]
    (copy / "labels.csv").write_text("".join(lines), encoding="utf-8")
    with pytest.raises(ModelFileError, match="labels.csv"):
        import_path(copy)
    assert not (store / "standin-species").exists()


def test_the_bundled_model_cannot_be_imported_over(store, tmp_path):
    with pytest.raises(ImportProblem, match="bundled"):
        import_path(REPO / "assets" / "models" / "efficientnet_lite0")


def test_remove_takes_the_model_away(store):
    import_path(STANDIN)
    assert remove("standin-species")
    with pytest.raises(KeyError):
        find_card("standin-species")
    assert not remove("efficientnet-lite0-imagenet")


def test_the_standin_pack_is_what_its_script_builds(tmp_path):
    """The committed pack is reproducible: the script rebuilds it byte for byte."""
    script = REPO / "packaging" / "models" / "make_standin_classifier.py"
    out = tmp_path / "rebuilt"
    subprocess.run([sys.executable, str(script), "--out", str(out)], check=True,
                   capture_output=True, cwd=REPO)  # fmt: skip
    for path in STANDIN.iterdir():
        assert (out / path.name).read_bytes() == path.read_bytes(), path.name

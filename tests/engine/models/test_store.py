"""The model store: bundled models, variants the user adds, hash checks that refuse swaps."""

import shutil

import pytest

from engine.models.store import (
    ModelFileError,
    add_variant,
    find_card,
    install_model,
    remove_variant,
    verify,
)


def test_bundled_variants_verify():
    for variant in find_card().variants:
        verify(variant)


def test_added_variant_joins_the_bundled_card_and_can_be_removed(tmp_path):
    card = find_card()
    source = tmp_path / "mine.onnx"
    shutil.copyfile(card.variant("fp16").file, source)
    entry = {"id": "fp16-copy", "precision": "fp16", "sparsity": 0.0}
    with_copy = add_variant(card, source, entry)
    added = with_copy.variant("fp16-copy")
    verify(added)
    assert added.sha256 == card.variant("fp16").sha256
    assert remove_variant(card, "fp16-copy").variants == card.variants


def test_a_swapped_file_is_refused(tmp_path):
    card = find_card()
    source = tmp_path / "mine.onnx"
    shutil.copyfile(card.variant("int8").file, source)
    added = add_variant(card, source, {"id": "swap", "precision": "int8"}).variant("swap")
    added.file.write_bytes(b"not the model")
    with pytest.raises(ModelFileError, match="swap.onnx is incomplete"):
        verify(added)
    size = card.variant("int8").size_bytes
    added.file.write_bytes(b"x" * size)  # same size, other bytes
    with pytest.raises(ModelFileError, match="swap.onnx has changed"):
        verify(added, card)
    remove_variant(card, "swap")


def test_installing_a_model_folder_makes_it_findable(tmp_path):
    folder = tmp_path / "park-model"
    shutil.copytree(find_card().folder, folder)
    card_json = (folder / "card.json").read_text(encoding="utf-8")
    (folder / "card.json").write_text(card_json.replace("efficientnet-lite0-imagenet", "park"))
    assert install_model(folder).id == "park"
    assert find_card("park").variants

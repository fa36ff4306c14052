"""The bad-input corpus end to end through discover and decode; nothing is ever written."""

from pathlib import Path

import pytest

from engine.errors import MediaError
from engine.media.decode import decode_for_model
from engine.media.discover import Found, discover
from engine.media.preprocess import Preprocessing
from tests.engine.media.corpus import SPANISH_NAME, make_bad_corpus
from tests.helpers import tree_hashes


def outcomes(root: Path) -> dict[str, str | None]:
    """{rel: ErrorCode value or None} for everything discover reports under root."""
    results: dict[str, str | None] = {}
    for item in discover(root):
        if not isinstance(item, Found):
            results[item.rel] = item.code.value
            continue
        assert item.kind == "image", item.rel  # the corpus holds no videos
        try:
            decode_for_model(item.path, Preprocessing())
            results[item.rel] = None
        except MediaError as exc:
            results[item.rel] = exc.code.value
    return results


@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")
def test_corpus_outcomes_and_no_writes(tmp_path: Path, trap_images: Path) -> None:
    sources_before = tree_hashes(trap_images)
    expected = make_bad_corpus(tmp_path / "corpus", trap_images)
    corpus_before = tree_hashes(tmp_path / "corpus")
    assert outcomes(tmp_path / "corpus") == expected
    assert tree_hashes(tmp_path / "corpus") == corpus_before
    assert tree_hashes(trap_images) == sources_before


def test_corpus_contents(tmp_path: Path, trap_images: Path) -> None:
    expected = make_bad_corpus(tmp_path / "corpus", trap_images)
    for rel in ["README.txt", "Thumbs.db", "__MACOSX/photo.jpg"]:
        assert (tmp_path / "corpus" / rel).exists() and rel not in expected
    assert expected[".hidden.jpg"] == "hidden"
    assert expected[SPANISH_NAME] is None
    assert expected["png_named.JPG"] is None and expected["truncated_half.jpg"] == "truncated"
    assert {"empty_file", "not_media", "truncated", "too_large", "corrupt"} <= set(
        expected.values()
    )

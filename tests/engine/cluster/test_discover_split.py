"""discover cut into subtrees for parallel walking: the same items, in the same order."""

import os
from pathlib import Path

import pytest
from PIL import Image

from engine.errors import ErrorCode
from engine.media.discover import (
    Found,
    Problem,
    Subtree,
    discover,
    discover_split,
    split_subtree,
    walk_subtree,
)
from tests.engine.media.corpus import make_bad_corpus


def jpeg(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (32, 24), (120, 90, 60)).save(path, format="JPEG")


def walked(root: Path) -> list[Found | Problem]:
    """The top folder's items, then each subtree walked on its own, in order."""
    top, subtrees = discover_split(root)
    return [*top, *(item for subtree in subtrees for item in walk_subtree(subtree))]


def split_all(root: Path) -> list[Found | Problem]:
    """Every folder split on its own, as far down as the tree goes."""

    def expand(subtree: Subtree) -> list[Found | Problem]:
        items, children = split_subtree(subtree)
        return [*items, *(item for child in children for item in expand(child))]

    top, subtrees = discover_split(root)
    return [*top, *(item for subtree in subtrees for item in expand(subtree))]


def test_a_tree_cut_anywhere_gives_discover_in_its_order(tmp_path: Path) -> None:
    for rel in [
        "b.jpg",
        "a.jpg",
        "z/2.jpg",
        "z/1.jpg",
        "a/x.jpg",
        "a/deep/y.jpg",
        "a/deep/z/w.jpg",
    ]:
        jpeg(tmp_path / rel)
    (tmp_path / "a" / "empty.jpg").write_bytes(b"")
    os.symlink("..", tmp_path / "a" / "deep" / "up", target_is_directory=True)
    whole = list(discover(tmp_path))
    assert [item.rel for item in whole][:4] == ["a.jpg", "b.jpg", "a/empty.jpg", "a/x.jpg"]
    assert walked(tmp_path) == whole
    assert split_all(tmp_path) == whole
    loop = next(item for item in whole if item.rel == "a/deep/up")
    assert isinstance(loop, Problem) and loop.code == ErrorCode.SYMLINK_LOOP


def test_the_bad_corpus_is_found_the_same_when_split(tmp_path: Path, trap_images: Path) -> None:
    source = tmp_path / "card"
    expected = make_bad_corpus(source, trap_images)
    whole = list(discover(source))
    assert sorted(item.rel for item in whole) == sorted(expected)
    assert walked(source) == whole
    assert split_all(source) == whole


def test_a_single_file_source_has_no_subtrees(tmp_path: Path) -> None:
    jpeg(tmp_path / "one.jpg")
    top, subtrees = discover_split(tmp_path / "one.jpg")
    assert [item.rel for item in top] == ["one.jpg"] and subtrees == []


def test_a_missing_source_raises_as_discover_does(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        discover_split(tmp_path / "nowhere")

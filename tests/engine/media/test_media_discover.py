"""discover: what is found, what is reported, what is ignored, in which order."""

import inspect
import os
from pathlib import Path

import pytest
from PIL import Image

from engine.errors import ErrorCode
from engine.media import discover as discover_module
from engine.media.discover import Found, Problem, discover
from tests.engine.media.corpus import NOT_ENFORCED_REASON, PERMISSIONS_ENFORCED


def jpeg(path: Path, size: tuple[int, int] = (32, 24)) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", size, (120, 90, 60)).save(path, format="JPEG")
    return path


def rels(root: Path) -> list[str]:
    return [item.rel for item in discover(root)]


def by_rel(root: Path) -> dict[str, Found | Problem]:
    return {item.rel: item for item in discover(root)}


def test_order_files_first_then_subfolders_sorted_by_name(tmp_path: Path) -> None:
    for rel in ["b.jpg", "a.jpg", "B.jpg", "z/2.jpg", "z/1.jpg", "a/x.jpg", "a/deep/y.jpg"]:
        jpeg(tmp_path / rel)
    expected = ["B.jpg", "a.jpg", "b.jpg", "a/x.jpg", "a/deep/y.jpg", "z/1.jpg", "z/2.jpg"]
    assert rels(tmp_path) == expected
    assert rels(tmp_path) == expected  # and the same again


def test_found_fields(tmp_path: Path) -> None:
    photo = jpeg(tmp_path / "cam 1" / "IMG_0001.JPG")
    (item,) = discover(tmp_path)
    assert isinstance(item, Found)
    assert item.path == photo and item.path.is_absolute()
    assert (item.rel, item.kind, item.fmt) == ("cam 1/IMG_0001.JPG", "image", "jpeg")
    assert item.size == photo.stat().st_size and item.mtime_ns == photo.stat().st_mtime_ns


def test_relative_root_gives_absolute_paths(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    jpeg(tmp_path / "card" / "a.jpg")
    monkeypatch.chdir(tmp_path)
    (item,) = discover(Path("card"))
    assert item.path == tmp_path / "card" / "a.jpg" and item.rel == "a.jpg"


def test_content_decides_not_extension(tmp_path: Path, shared_data: Path) -> None:
    Image.new("RGB", (8, 8)).save(tmp_path / "png_named.JPG", format="PNG")
    jpeg(tmp_path / "no_extension")
    jpeg(tmp_path / "odd.dat")
    (tmp_path / "clip.bin").write_bytes((shared_data / "camera_trap_videos/chimp.mp4").read_bytes())
    found = by_rel(tmp_path)
    assert {rel: (f.kind, f.fmt) for rel, f in found.items()} == {
        "clip.bin": ("video", "mp4"),
        "no_extension": ("image", "jpeg"),
        "odd.dat": ("image", "jpeg"),
        "png_named.JPG": ("image", "png"),
    }


def test_claimed_media_that_is_not(tmp_path: Path) -> None:
    (tmp_path / "empty.jpg").write_bytes(b"")
    (tmp_path / "text.JPG").write_text("hello")
    (tmp_path / "video.mp4").write_bytes(b"\x00" * 64)
    Image.new("RGB", (8, 8)).save(tmp_path / "anim.gif")
    found = by_rel(tmp_path)
    assert {rel: p.code for rel, p in found.items()} == {
        "anim.gif": ErrorCode.UNSUPPORTED,
        "empty.jpg": ErrorCode.EMPTY_FILE,
        "text.JPG": ErrorCode.NOT_MEDIA,
        "video.mp4": ErrorCode.NOT_MEDIA,
    }
    assert found["text.JPG"].size == 5 and found["text.JPG"].mtime_ns is not None


def test_ignored_entries_and_hidden_ones_named(tmp_path: Path) -> None:
    """Not media and system folders stay silent; hidden files and folders get one entry each
    (a folder is not walked), so nothing on the card is left out without a word."""
    jpeg(tmp_path / "keep.jpg")
    (tmp_path / "README.txt").write_text("notes")
    (tmp_path / "Thumbs.db").write_bytes(b"\xd0\xcf\x11\xe0" + bytes(64))
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / ".DS_Store").write_bytes(bytes(64))
    jpeg(tmp_path / ".hidden.jpg")
    for folder in [".Trash-1000", ".Trashes", "$RECYCLE.BIN", "System Volume Information"]:
        jpeg(tmp_path / folder / "deleted.jpg")
    jpeg(tmp_path / "__MACOSX" / "keep.jpg")
    (tmp_path / "__MACOSX" / "._keep.jpg").write_bytes(b"\x00\x05\x16\x07" + bytes(64))
    jpeg(tmp_path / ".thumbnails" / "t.jpg")
    found = by_rel(tmp_path)
    hidden = [".DS_Store", ".Trash-1000", ".Trashes", ".hidden.jpg", ".thumbnails"]
    assert sorted(found) == sorted([*hidden, "keep.jpg"])
    assert all(found[rel].code == ErrorCode.HIDDEN for rel in hidden)


def test_unicode_and_spaces(tmp_path: Path) -> None:
    jpeg(tmp_path / "señal ñandú" / "cámara 1 – día.jpg")
    assert rels(tmp_path) == ["señal ñandú/cámara 1 – día.jpg"]


def test_single_file_source(tmp_path: Path) -> None:
    photo = jpeg(tmp_path / "sub" / "única foto.jpg")
    (item,) = discover(photo)
    assert isinstance(item, Found) and item.rel == "única foto.jpg" and item.path == photo
    text = tmp_path / "bad.jpg"
    text.write_text("x")
    (problem,) = discover(text)
    assert isinstance(problem, Problem) and problem.code == ErrorCode.NOT_MEDIA
    assert problem.rel == "bad.jpg"


def test_missing_root_raises(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        list(discover(tmp_path / "nowhere"))


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symlinks")
def test_symlink_loop_reported_once(tmp_path: Path) -> None:
    jpeg(tmp_path / "a" / "photo.jpg")
    os.symlink("..", tmp_path / "a" / "up", target_is_directory=True)
    os.symlink(".", tmp_path / "self", target_is_directory=True)
    found = list(discover(tmp_path))
    loops = sorted(item.rel for item in found if isinstance(item, Problem))
    assert loops == ["a/up", "self"]
    assert all(item.code == ErrorCode.SYMLINK_LOOP for item in found if isinstance(item, Problem))
    assert [item.rel for item in found if isinstance(item, Found)] == ["a/photo.jpg"]


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symlinks")
def test_links_outside_followed_once(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    jpeg(outside / "far.jpg")
    root = tmp_path / "source"
    jpeg(root / "b" / "near.jpg")
    os.symlink(outside, root / "link1", target_is_directory=True)
    os.symlink(outside, root / "link2", target_is_directory=True)
    os.symlink(root / "b", root / "a_link_to_b", target_is_directory=True)
    os.symlink(outside / "far.jpg", root / "file_link.jpg")
    found = by_rel(root)
    assert found["file_link.jpg"].fmt == "jpeg"
    assert found["b/near.jpg"].kind == "image"  # walked by its real path, not through the link
    assert found["a_link_to_b"].code == ErrorCode.SYMLINK_LOOP
    assert found["link1/far.jpg"].kind == "image"
    assert found["link2"].code == ErrorCode.SYMLINK_LOOP  # same folder again: not walked twice
    assert len(found) == 5


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symlinks")
def test_broken_links(tmp_path: Path) -> None:
    os.symlink(tmp_path / "gone.jpg", tmp_path / "IMG_0001.JPG")
    os.symlink(tmp_path / "gone.txt", tmp_path / "notes.txt")
    (item,) = discover(tmp_path)
    assert (item.rel, item.code) == ("IMG_0001.JPG", ErrorCode.UNREADABLE)


def test_links_to_themselves_and_cycles_are_named_symlink_loops(tmp_path: Path) -> None:
    """`ln -s loop.jpg loop.jpg` and a.jpg -> b.jpg -> a.jpg: ELOOP on stat, one entry each."""
    os.symlink("loop.jpg", tmp_path / "loop.jpg")
    os.symlink("chain", tmp_path / "chain")
    os.symlink("b.jpg", tmp_path / "a.jpg")
    os.symlink("a.jpg", tmp_path / "b.jpg")
    jpeg(tmp_path / "good.jpg")
    found = by_rel(tmp_path)
    assert isinstance(found["good.jpg"], Found)
    loops = {rel: item.code for rel, item in found.items() if rel != "good.jpg"}
    assert loops == dict.fromkeys(["a.jpg", "b.jpg", "chain", "loop.jpg"], ErrorCode.SYMLINK_LOOP)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs")
def test_fifo_is_not_opened(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.jpg")  # opening it for reading would block forever
    os.mkfifo(tmp_path / "pipe")
    jpeg(tmp_path / "real.jpg")
    found = by_rel(tmp_path)
    assert sorted(found) == ["pipe", "pipe.jpg", "real.jpg"]
    assert found["pipe"].code == found["pipe.jpg"].code == ErrorCode.NOT_REGULAR
    assert found["pipe.jpg"].detail.startswith("p")  # named as a pipe: `prw-r--r--`


@pytest.mark.skipif(not PERMISSIONS_ENFORCED, reason=NOT_ENFORCED_REASON)
def test_unreadable_folder_and_file(tmp_path: Path) -> None:
    jpeg(tmp_path / "a_locked" / "inside.jpg")
    jpeg(tmp_path / "b_open" / "fine.jpg")
    locked_file = jpeg(tmp_path / "c.jpg")
    (tmp_path / "a_locked").chmod(0)
    locked_file.chmod(0)
    try:
        found = by_rel(tmp_path)
    finally:
        (tmp_path / "a_locked").chmod(0o755)
    assert found["a_locked"].code == ErrorCode.FOLDER_UNREADABLE
    assert found["c.jpg"].code == ErrorCode.UNREADABLE
    assert found["b_open/fine.jpg"].kind == "image"


def test_unreadable_folder_simulated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Same path as above through a refused scandir, so it is covered when running as root."""
    jpeg(tmp_path / "a_locked" / "inside.jpg")
    jpeg(tmp_path / "b_open" / "fine.jpg")
    real_scandir = os.scandir

    def refusing(path: object) -> object:
        if Path(str(path)).name == "a_locked":
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(discover_module.os, "scandir", refusing)
    found = list(discover(tmp_path))
    assert [(f.rel, f.code if isinstance(f, Problem) else f.kind) for f in found] == [
        ("a_locked", ErrorCode.FOLDER_UNREADABLE),
        ("b_open/fine.jpg", "image"),
    ]
    assert "Permission denied" in found[0].detail


def test_streams_one_folder_at_a_time(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for index in range(3):
        jpeg(tmp_path / f"f{index}" / "x.jpg")
    jpeg(tmp_path / "top.jpg")
    listed: list[str] = []
    real_scandir = os.scandir

    def counting(path: object) -> object:
        listed.append(Path(str(path)).name)
        return real_scandir(path)

    monkeypatch.setattr(discover_module.os, "scandir", counting)
    walk = discover(tmp_path)
    assert inspect.isgenerator(walk)
    assert listed == []
    assert next(walk).rel == "top.jpg"
    assert listed == [tmp_path.name]  # subfolders not listed yet
    assert [item.rel for item in walk] == ["f0/x.jpg", "f1/x.jpg", "f2/x.jpg"]


def test_real_shared_tree(trap_images: Path) -> None:
    found = list(discover(trap_images))
    assert all(isinstance(item, Found) for item in found)  # the JSON/CSV/MD files are ignored
    assert len(found) == 51  # MANIFEST: 53 files, 2 of them JSON
    assert found == list(discover(trap_images))
    assert found[0].rel == "megadetector_failure_examples/sage-grouse-raw.jpg"

"""Find the photos and videos under a source folder, streaming, and name what cannot be used.

Order is deterministic: a depth-first walk where, inside each folder, the files come first and
then the subfolders, each group sorted by name (plain code-point order, so 'B' < 'a'; the same
on every OS). Only one folder's entries are held at a time, plus the subfolders still to visit.

What is reported (a file's kind is decided by its content, never its extension):
  media by content                          -> Found (kind 'image' or 'video', sniffed fmt)
  GIF, HEIC, AVIF                           -> Problem(UNSUPPORTED)
  media extension, 0 bytes                  -> Problem(EMPTY_FILE)
  media extension, other content            -> Problem(NOT_MEDIA)
  media extension, cannot be read           -> Problem(UNREADABLE) (broken links included)
  anything else (README.txt, Thumbs.db...)  -> ignored, as are system folders ($RECYCLE.BIN...)
  hidden file or folder (.name, or hidden)  -> Problem(HIDDEN), a folder is not walked
  FIFO, socket, device                      -> Problem(NOT_REGULAR), never opened
  folder that cannot be listed              -> Problem(FOLDER_UNREADABLE), the walk goes on
  link to a folder inside the source        -> Problem(SYMLINK_LOOP): walked by its real path
  folder reached twice (loops, junctions)   -> Problem(SYMLINK_LOOP), not walked again
  link that points to itself, or a cycle    -> Problem(SYMLINK_LOOP)
Links to folders outside the source are followed; links to files are followed.
"""

import errno
import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from engine.errors import ErrorCode
from engine.media.sniff import IMAGE_FORMATS, MEDIA_EXTENSIONS, VIDEO_FORMATS, sniff

SYSTEM_FOLDERS = frozenset(
    {"$recycle.bin", "recycler", "system volume information", "__macosx", "lost+found"}
)
"""Lower-case names of folders that operating systems put on cards and drives (never photos)."""


@dataclass(frozen=True)
class Found:
    path: Path  # absolute path
    rel: str  # POSIX-style path relative to the source root; a single-file source gives its name
    kind: str  # "image" | "video"
    fmt: str  # sniffed format
    size: int
    mtime_ns: int


@dataclass(frozen=True)
class Problem:
    path: Path
    rel: str
    code: ErrorCode
    detail: str
    size: int | None = None
    mtime_ns: int | None = None


def discover(root: Path) -> Iterator[Found | Problem]:
    """Every photo and video under `root` (a folder or a single file), in a stable order.

    Raises FileNotFoundError if `root` does not exist. An unreadable root folder is reported
    as Problem(FOLDER_UNREADABLE) with rel ".".
    """
    root = Path(os.path.abspath(root))
    st = os.stat(root)  # FileNotFoundError for the caller; follows a link given as root
    if not stat.S_ISDIR(st.st_mode):
        result = _classify_file(root, root.name, st)
        if result is not None:
            yield result
        return
    yield from _walk(_Walk(os.path.realpath(root), {_dir_key(root, st)}), root)


@dataclass(frozen=True)
class Subtree:
    """A folder of a source to walk on its own, in another process or on another machine."""

    path: Path
    rel: str
    real_root: str  # the source's real path: links back into it are reported, not walked
    seen: frozenset[object]  # folders queued before it (its ancestors and their subfolders)


def discover_split(root: Path) -> tuple[list[Found | Problem], list[Subtree]]:
    """`discover(root)` cut at the top folder so that its subfolders can be walked in parallel.

    The top folder's own results come first, then one Subtree per subfolder; those results
    followed by `walk_subtree` of each Subtree, in order, are `discover(root)` (save that a
    folder outside the source reached from two subtrees is walked by both).
    """
    root = Path(os.path.abspath(root))
    st = os.stat(root)
    if not stat.S_ISDIR(st.st_mode):
        return list(discover(root)), []
    return split_subtree(Subtree(root, "", os.path.realpath(root), frozenset({_dir_key(root, st)})))


def split_subtree(subtree: Subtree) -> tuple[list[Found | Problem], list[Subtree]]:
    """One folder's own results and its subfolders, cut as `discover_split` cuts the top."""
    walk = _Walk(subtree.real_root, set(subtree.seen))
    items, folders = _folder(walk, subtree.path, subtree.rel)
    seen = frozenset(walk.visited)
    return items, [Subtree(path, rel, subtree.real_root, seen) for path, rel in folders]


def walk_subtree(subtree: Subtree) -> Iterator[Found | Problem]:
    """Every photo and video under one Subtree, as `discover` finds them there."""
    yield from _walk(_Walk(subtree.real_root, set(subtree.seen)), subtree.path, subtree.rel)


@dataclass
class _Walk:
    """What one walk remembers: where the source really is and the folders already queued."""

    real_root: str
    visited: set[object]

    def inside(self, real: str) -> bool:
        return real == self.real_root or real.startswith(self.real_root.rstrip(os.sep) + os.sep)


def _walk(walk: _Walk, root: Path, root_rel: str = "") -> Iterator[Found | Problem]:
    """Depth-first walk with an explicit stack (deep trees cannot hit the recursion limit)."""
    stack: list[tuple[Path, str]] = [(root, root_rel)]
    while stack:
        folder, rel = stack.pop()
        items, subfolders = _folder(walk, folder, rel)
        yield from items
        stack.extend(reversed(subfolders))


def _folder(
    walk: _Walk, folder: Path, rel: str
) -> tuple[list[Found | Problem], list[tuple[Path, str]]]:
    """One folder's files (found or not usable), and its subfolders to walk next."""
    try:
        entries = _sorted_entries(folder)
    except OSError as exc:
        return [Problem(folder, rel or ".", ErrorCode.FOLDER_UNREADABLE, _detail(exc))], []
    items: list[Found | Problem] = []
    subfolders: list[tuple[Path, str]] = []
    for entry in entries:
        entry_rel = f"{rel}/{entry.name}" if rel else entry.name
        result = _visit(walk, entry, entry_rel, subfolders)
        if result is not None:
            items.append(result)
    return items, subfolders


def _sorted_entries(folder: Path) -> list[os.DirEntry[str]]:
    """The entries of one folder but the system folders, sorted by name."""
    with os.scandir(folder) as scan:
        return sorted(
            (e for e in scan if e.name.lower() not in SYSTEM_FOLDERS), key=lambda e: e.name
        )


def _hidden(name: str, st: os.stat_result | None) -> bool:
    """A dot name, or Windows' hidden attribute."""
    attributes = getattr(st, "st_file_attributes", 0) if st is not None else 0
    return name.startswith(".") or bool(attributes & getattr(stat, "FILE_ATTRIBUTE_HIDDEN", 0))


def _visit(
    walk: _Walk, entry: os.DirEntry[str], rel: str, subfolders: list[tuple[Path, str]]
) -> Found | Problem | None:
    """Classify one entry; folders are queued in `subfolders` (or reported if already walked)."""
    path = Path(entry.path)
    try:
        st = entry.stat()  # follows links; free on Windows
    except OSError as exc:  # broken or looping link, or vanished since the listing
        if exc.errno == errno.ELOOP:
            return Problem(path, rel, ErrorCode.SYMLINK_LOOP, f"-> {_link_target(path)}")
        if _hidden(entry.name, None):
            return Problem(path, rel, ErrorCode.HIDDEN, "hidden")
        return _unreadable(path, rel, exc) if _claims_media(path) else None
    if _hidden(entry.name, st):
        return _problem(path, rel, ErrorCode.HIDDEN, "hidden", st)
    if not stat.S_ISDIR(st.st_mode):
        return _classify_file(path, rel, st)
    real = os.path.realpath(path) if entry.is_symlink() else None
    try:
        key = _dir_key(path, os.stat(path))  # DirEntry.stat has no inode numbers on Windows
    except OSError as exc:
        return Problem(path, rel, ErrorCode.FOLDER_UNREADABLE, _detail(exc))
    if key in walk.visited or (real is not None and walk.inside(real)):
        return Problem(path, rel, ErrorCode.SYMLINK_LOOP, f"-> {real or path}")
    walk.visited.add(key)
    subfolders.append((path, rel))
    return None


def _classify_file(path: Path, rel: str, st: os.stat_result) -> Found | Problem | None:
    """Found, Problem, or None for a file that is not media and does not claim to be."""
    if not stat.S_ISREG(st.st_mode):  # FIFOs, sockets, devices: reading could block forever
        return Problem(path, rel, ErrorCode.NOT_REGULAR, stat.filemode(st.st_mode))
    claims = _claims_media(path)
    if st.st_size == 0:
        return _problem(path, rel, ErrorCode.EMPTY_FILE, "0 bytes", st) if claims else None
    try:
        fmt = sniff(path)
    except OSError as exc:
        return _unreadable(path, rel, exc, st) if claims else None
    if fmt in IMAGE_FORMATS or fmt in VIDEO_FORMATS:
        kind = "image" if fmt in IMAGE_FORMATS else "video"
        return Found(path, rel, kind, fmt, st.st_size, st.st_mtime_ns)
    if fmt is not None:
        return _problem(path, rel, ErrorCode.UNSUPPORTED, fmt, st)
    return _problem(path, rel, ErrorCode.NOT_MEDIA, "unknown content", st) if claims else None


def _link_target(path: Path) -> str:
    try:
        return os.readlink(path)
    except OSError:
        return str(path)


def _claims_media(path: Path) -> bool:
    return path.suffix.lower() in MEDIA_EXTENSIONS


def _dir_key(path: Path, st: os.stat_result) -> object:
    """Identity of a folder; the real path where a filesystem reports no inode numbers."""
    return (st.st_dev, st.st_ino) if st.st_ino else os.path.realpath(path)


def _problem(
    path: Path, rel: str, code: ErrorCode, detail: str, st: os.stat_result | None = None
) -> Problem:
    if st is None:
        return Problem(path, rel, code, detail)
    return Problem(path, rel, code, detail, st.st_size, st.st_mtime_ns)


def _unreadable(path: Path, rel: str, exc: OSError, st: os.stat_result | None = None) -> Problem:
    return _problem(path, rel, ErrorCode.UNREADABLE, _detail(exc), st)


def _detail(exc: OSError) -> str:
    return f"{type(exc).__name__}: {exc.strerror or exc}"

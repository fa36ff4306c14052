"""A model folder's manifest: the SHA-256 of every file in it, card and labels included.

Written in `sha256sum` format (`<hex>  <path>`), so a technician can also check a folder with
`sha256sum -c manifest.sha256`. The card already pins the weights; the manifest adds what the
card cannot pin about itself (card.json) and the small files that decide what a class is
called (labels.csv, groups.csv): swapping two label lines must never pass unnoticed.
"""

from dataclasses import dataclass
from pathlib import Path

from engine.hashing import sha256_of

MANIFEST_NAME = "manifest.sha256"


@dataclass(frozen=True)
class Problem:
    """One file that is not as recorded: `state` is "missing" or "changed"."""

    path: str
    state: str


def model_files(folder: Path) -> list[str]:
    """Every regular file of the folder (relative, '/'-separated), the manifest excepted."""
    return sorted(
        path.relative_to(folder).as_posix()
        for path in folder.rglob("*")
        if path.is_file() and path.name != MANIFEST_NAME
    )


def write_manifest(folder: Path) -> Path:
    """Record the folder as it is now (after an install, an import or an export)."""
    lines = [f"{sha256_of(folder / name)}  {name}\n" for name in model_files(folder)]
    target = folder / MANIFEST_NAME
    partial = folder / (MANIFEST_NAME + ".partial")
    partial.write_text("".join(lines), encoding="utf-8")
    partial.replace(target)
    return target


def read_manifest(folder: Path) -> dict[str, str] | None:
    """name -> SHA-256, or None when the folder has no manifest (or an unreadable one)."""
    path = folder / MANIFEST_NAME
    if not path.is_file():
        return None
    entries: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        digest, sep, name = line.partition("  ")
        if not sep or len(digest) != 64:
            return None
        entries[name.lstrip("*")] = digest.lower()
    return entries


def check(folder: Path, entries: dict[str, str], names: list[str] | None = None) -> list[Problem]:
    """The recorded files (or only `names`) that are missing or changed."""
    problems = []
    for name in names if names is not None else sorted(entries):
        path = folder / name
        if name not in entries:
            problems.append(Problem(name, "changed"))
        elif not path.is_file():
            problems.append(Problem(name, "missing"))
        elif sha256_of(path) != entries[name]:
            problems.append(Problem(name, "changed"))
    return problems

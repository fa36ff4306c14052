"""Small helpers shared by tests (not fixtures): hashing folders to prove nothing changed."""

import hashlib
from pathlib import Path


def tree_hashes(root: Path) -> dict[str, str]:
    """SHA-256 of every regular file under root, by relative path (symlinks not followed)."""
    hashes = {}
    for path in sorted(root.rglob("*")):
        if path.is_file() and not path.is_symlink():
            try:
                hashes[str(path.relative_to(root))] = hashlib.sha256(path.read_bytes()).hexdigest()
            except PermissionError:
                hashes[str(path.relative_to(root))] = "unreadable"
    return hashes

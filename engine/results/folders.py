"""Which results folder belongs to which photo folder, so two cards never share results.

Every card has a DCIM folder: naming results after the folder alone merged them. A results
database records the real path of the folder it was made from (`meta.source`); the default
results folder is the one already holding this source's results, or else a new one named
after the folder and the folder it sits in ("DCIM (CANON)"), numbered if that is taken.
"""

import os
import sqlite3
from pathlib import Path

RESULTS_DB = "results.sqlite"
EXPORT_NAMES = (
    "results.csv", "results.json", "results.xlsx", "camtrap-dp", "results-coco.json", "boxes",
    "crops",
)  # fmt: skip
"""What exports write into a results folder by default (engine.results.exporters.FORMATS)."""


def source_key(source: Path) -> str:
    """How a source is recorded: its real absolute path (links and `..` resolved)."""
    return os.path.realpath(source)


def source_of_results(folder: Path) -> str | None:
    """The source recorded in `folder`'s results, read-only; None when there are none."""
    path = folder / RESULTS_DB
    if not path.is_file():
        return None
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            row = conn.execute("SELECT value FROM meta WHERE key = 'source'").fetchone()
            if row is None:
                row = conn.execute("SELECT source FROM runs ORDER BY id DESC LIMIT 1").fetchone()
        finally:
            conn.close()
    except sqlite3.Error:
        return None
    return row[0] if row else None


def results_folder_for(root: Path, source: Path) -> Path:
    """The folder under `root` for `source`'s results: its earlier one, else a free name."""
    key = source_key(source)
    taken: set[str] = set()
    if root.is_dir():
        for folder in sorted(root.iterdir()):
            if folder.is_dir() and (folder / RESULTS_DB).exists():
                if source_of_results(folder) == key:
                    return folder
                taken.add(folder.name)
    real = Path(key)
    name = real.name or "results"
    parent = real.parent.name
    base = f"{name} ({parent})" if parent else name
    candidate, number = base, 1
    while candidate in taken or (root / candidate / RESULTS_DB).exists():
        number += 1
        candidate = f"{base} {number}"
    return root / candidate

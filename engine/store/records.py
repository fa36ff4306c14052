"""The SHA-256 of each model download, recorded by the first install where the publisher gives
none, so every later copy (a reinstall, another PC's pack) is checked against that one.

Kept in the store (`.recorded.json`), apart from the model folders, so removing a model does
not forget what its file should be.
"""

import json
from datetime import date
from pathlib import Path

RECORD_FILE = ".recorded.json"


def _path(store: Path) -> Path:
    return store / RECORD_FILE


def recorded(store: Path, model_id: str) -> dict | None:
    path = _path(store)
    if not path.is_file():
        return None
    try:
        return json.loads(path.read_text(encoding="utf-8")).get(model_id)
    except (json.JSONDecodeError, OSError):
        return None


def record(store: Path, model_id: str, url: str, sha256: str, size: int) -> None:
    path = _path(store)
    data = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
    data[model_id] = {
        "url": url,
        "sha256": sha256,
        "size_bytes": size,
        "first_installed": date.today().isoformat(),
    }
    partial = path.with_name(RECORD_FILE + ".partial")
    partial.write_text(json.dumps(data, indent=1), encoding="utf-8")
    partial.replace(path)

"""The catalog shipped with Ocelote: the field's models, where each comes from, its licence,
its size and the checksum it is pinned to (or that none is published).

Adding a MegaDetector variant is an entry in catalog.json, not code.
"""

import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from engine.i18n import language

CATALOG_FILE = Path(__file__).with_name("catalog.json")


@dataclass(frozen=True)
class CatalogEntry:
    id: str
    kind: str
    name: str
    version: str
    purpose: dict[str, str]
    speed: dict[str, str]
    relative_speed: float
    needs_gpu: bool
    source: dict
    license: dict
    download: dict
    card: dict = field(default_factory=dict)

    def text(self, key: str) -> str:
        """`purpose` or `speed` in the current language (English when no translation)."""
        words = getattr(self, key)
        return words.get(language(), words.get("en", ""))

    @property
    def size_bytes(self) -> int:
        return int(self.download["size_bytes"])

    @property
    def spdx(self) -> str:
        return self.license["spdx"]

    def plain_license(self) -> str:
        plain = self.license.get("plain") or {}
        return plain.get(language(), plain.get("en", ""))


@cache
def _load(path: Path) -> tuple[CatalogEntry, ...]:
    data = json.loads(path.read_text(encoding="utf-8"))
    return tuple(CatalogEntry(**item) for item in data["models"])


def entries(path: Path | None = None) -> tuple[CatalogEntry, ...]:
    return _load(path or CATALOG_FILE)


def entry(model_id: str, path: Path | None = None) -> CatalogEntry:
    for item in entries(path):
        if item.id == model_id:
            return item
    raise KeyError(model_id)


def recommended(item: CatalogEntry, has_gpu: bool) -> bool:
    """For this PC: the heavy detectors only with a graphics card; a light one without."""
    if item.kind == "classifier":
        return True
    if has_gpu:
        return item.needs_gpu
    return not item.needs_gpu and item.relative_speed >= 10

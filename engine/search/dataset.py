"""The user's labelled photos: reviews from a results database and folders sorted by species.

Labels are the user's own words. A label that names a class of the bundled model (in English
or Spanish) takes that class's two names and group; "empty", "vacío", "blank"… all mean the
empty class, a class like any other. Classes with too few photos are flagged, not trained.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, replace
from pathlib import Path

from engine.i18n import _, fmt_number
from engine.media.discover import Found, discover
from engine.models.card import ModelCard
from engine.models.store import find_card
from engine.results.db import ResultsDB
from engine.results.records import disk_rel

MIN_EXAMPLES = 5
EMPTY_KEY = "empty"
EMPTY_WORDS = frozenset(
    {"empty", "blank", "nothing", "none", "background", "vacio", "vacia", "fondo", "nada"}
)
OTHER_GROUP = "other_animals"
BACKGROUND_GROUP = "background"
RESULTS_DB = "results.sqlite"


@dataclass(frozen=True)
class ClassInfo:
    key: str  # normalised label: what two spellings of one class share
    en: str
    es: str
    group: str
    count: int = 0


@dataclass(frozen=True)
class Example:
    path: Path
    key: str


@dataclass(frozen=True)
class Dataset:
    examples: tuple[Example, ...]
    classes: tuple[ClassInfo, ...]  # the empty class first, then by key

    def counts(self) -> dict[str, int]:
        return {info.key: info.count for info in self.classes}

    def small(self, min_count: int = MIN_EXAMPLES) -> tuple[ClassInfo, ...]:
        return tuple(info for info in self.classes if info.count < min_count)

    def trainable(self, min_count: int = MIN_EXAMPLES) -> Dataset:
        """Without the flagged classes: a class of two photos teaches noise."""
        keep = {info.key for info in self.classes if info.count >= min_count}
        return build(self.classes, [e for e in self.examples if e.key in keep])

    def only(self, paths: set[Path]) -> Dataset:
        return build(self.classes, [e for e in self.examples if e.path in paths])

    def merged(self, other: Dataset) -> Dataset:
        known = {info.key: info for info in (*other.classes, *self.classes)}
        seen = {e.path for e in self.examples}
        extra = [e for e in other.examples if e.path not in seen]
        return build(tuple(known.values()), [*self.examples, *extra])


def normalise(text: str) -> str:
    """Lower case, no accents, single spaces: "Vacío " and "vacio" are one class."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return " ".join(plain.replace("_", " ").lower().split())


def build(classes: tuple[ClassInfo, ...], examples: list[Example]) -> Dataset:
    counts: dict[str, int] = {}
    for example in examples:
        counts[example.key] = counts.get(example.key, 0) + 1
    infos = {info.key: replace(info, count=counts.get(info.key, 0)) for info in classes}
    ordered = sorted(
        (info for info in infos.values() if info.count),
        key=lambda info: (info.key != EMPTY_KEY, info.key),
    )
    examples = sorted(examples, key=lambda e: (e.key, str(e.path)))
    return Dataset(tuple(examples), tuple(ordered))


class Namer:
    """Turns a label in the user's words into a class with two names and a group."""

    def __init__(self, card: ModelCard | None = None) -> None:
        card = card or find_card()
        self._known: dict[str, tuple[str, str, str]] = {}
        for label in card.labels:
            for text in (label.es, label.en):
                self._known[normalise(text)] = (label.en, label.es, label.group)

    def info(self, label: str, group: str | None = None) -> ClassInfo:
        key = normalise(label)
        if key in EMPTY_WORDS:
            return ClassInfo(EMPTY_KEY, "empty", "vacío", BACKGROUND_GROUP)
        if key in self._known:
            en, es, known_group = self._known[key]
            return ClassInfo(normalise(en), en, es, known_group)
        text = " ".join(label.replace("_", " ").split())
        return ClassInfo(key, text, text, group or OTHER_GROUP)


def _images_under(folder: Path) -> list[Path]:
    return sorted(
        item.path for item in discover(folder) if isinstance(item, Found) and item.kind == "image"
    )


def from_folders(root: Path, namer: Namer | None = None) -> Dataset:
    """`root/<label>/...`: every image under a label's folder (at any depth) is that label."""
    if not root.is_dir():
        raise FileNotFoundError(_("The folder {path} does not exist.").format(path=root))
    namer = namer or Namer()
    classes: dict[str, ClassInfo] = {}
    examples: list[Example] = []
    for folder in sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")):
        info = namer.info(folder.name)
        classes.setdefault(info.key, info)
        examples += [Example(path, info.key) for path in _images_under(folder)]
    return build(tuple(classes.values()), examples)


def from_results(results_dir: Path, namer: Namer | None = None) -> Dataset:
    """Photos a person reviewed (accepted or corrected) in an Ocelote results folder."""
    db_path = results_dir / RESULTS_DB
    if not db_path.is_file():
        raise FileNotFoundError(
            _("{path} holds no Ocelote results. Choose the folder with results.sqlite.").format(
                path=results_dir
            )
        )
    namer = namer or Namer()
    with ResultsDB(db_path) as db:
        run = db.latest_run() or {}
        source = Path(str(run.get("source", results_dir)))
        base = source.parent if source.is_file() else source
        rows = [row for row in db.iter_files() if row.review is not None and row.status == "ok"]
    classes: dict[str, ClassInfo] = {}
    examples: list[Example] = []
    for row in rows:
        info = namer.info(row.review.label, row.review.group)
        classes.setdefault(info.key, info)
        path = base / disk_rel(row.rel_path)
        if path.is_file():
            examples.append(Example(path, info.key))
    return build(tuple(classes.values()), examples)


def class_names(dataset: Dataset, language: str) -> dict[str, str]:
    return {info.key: info.es if language == "es" else info.en for info in dataset.classes}


def small_classes_message(dataset: Dataset, min_count: int = MIN_EXAMPLES) -> str | None:
    """What the user reads about classes left out of training, or None when none are."""
    small = dataset.small(min_count)
    if not small:
        return None
    names = ", ".join(f"{info.en} ({fmt_number(info.count)})" for info in small)
    return _(
        "Left out of training, fewer than {count} photos: {names}. Label more photos of them."
    ).format(count=fmt_number(min_count), names=names)

"""Model cards: what a model is, how to feed it, its labels in both languages, and its variants.

A card is a `card.json` beside the model files; labels and groups are CSV files it names.
"""

import csv
import json
from dataclasses import dataclass, field
from pathlib import Path

from engine.media.preprocess import Preprocessing


@dataclass(frozen=True)
class Taxonomy:
    """A label's place in the tree of life; empty ranks stay empty (e.g. a genus-level label)."""

    taxon_class: str = ""
    order: str = ""
    family: str = ""
    genus: str = ""
    species: str = ""

    @property
    def scientific_name(self) -> str:
        """The most precise name known: "Genus species", else the lowest rank given."""
        if self.genus and self.species:
            return f"{self.genus.capitalize()} {self.species.lower()}"
        for rank in (self.genus, self.family, self.order, self.taxon_class):
            if rank:
                return rank.capitalize()
        return ""


@dataclass(frozen=True)
class Label:
    index: int
    en: str
    es: str
    group: str
    taxonomy: Taxonomy = Taxonomy()


@dataclass(frozen=True)
class Group:
    id: str
    en: str
    es: str


@dataclass(frozen=True)
class ModelFile:
    """One file of a variant made of several (ncnn: `param` graph + `bin` weights)."""

    role: str
    file: Path
    sha256: str
    size_bytes: int


@dataclass(frozen=True)
class Variant:
    id: str
    precision: str
    file: Path
    sha256: str
    size_bytes: int
    sparsity: float
    top1_agreement_with_fp32: float | None
    # "onnx" for the files onnxruntime and OpenCV read; "ncnn" for ncnn's param + bin pair.
    format: str = "onnx"
    files: tuple[ModelFile, ...] = ()

    def all_files(self) -> tuple[tuple[Path, str], ...]:
        """(path, sha256) of every file the variant needs: a store must verify them all."""
        extra = tuple((f.file, f.sha256) for f in self.files if f.file != self.file)
        return ((self.file, self.sha256), *extra)

    def file_for(self, role: str) -> Path:
        for item in self.files:
            if item.role == role:
                return item.file
        raise KeyError(f"variant {self.id} has no {role!r} file")


@dataclass(frozen=True)
class ModelCard:
    id: str
    name: str
    folder: Path
    input_name: str
    input_size: int
    output_name: str
    preprocessing: Preprocessing
    labels: tuple[Label, ...]
    groups: dict[str, Group]
    variants: tuple[Variant, ...]
    attribution: str
    # "classifier" (labels a whole frame or a crop) or "detector" (boxes); see docs/model-cards.md
    kind: str = "classifier"
    # card.json as read: the runtimes of each kind read their own sections (input, output,
    # thresholds, categories, crop) from it, so a new layout needs no new field here.
    raw: dict = field(default_factory=dict, compare=False, hash=False)

    def variant(self, variant_id: str) -> Variant:
        for variant in self.variants:
            if variant.id == variant_id:
                return variant
        known = ", ".join(v.id for v in self.variants)
        raise KeyError(f"{self.id} has no variant {variant_id!r} (known: {known})")

    def variants_in(self, fmt: str) -> tuple[Variant, ...]:
        """Variants of one file format: a runtime can only load its own format."""
        return tuple(v for v in self.variants if v.format == fmt)

    def label_text(self, index: int, language: str) -> str:
        label = self.labels[index]
        return label.es if language == "es" else label.en

    def group_text(self, group_id: str, language: str) -> str:
        group = self.groups[group_id]
        return group.es if language == "es" else group.en


def _read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _files(folder: Path, item: dict) -> tuple[ModelFile, ...]:
    return tuple(
        ModelFile(role, folder / entry["file"], entry["sha256"], int(entry["size_bytes"]))
        for role, entry in item.get("files", {}).items()
    )


def load_card(folder: Path) -> ModelCard:
    """Read `folder/card.json` with its labels and groups files."""
    data = json.loads((folder / "card.json").read_text(encoding="utf-8"))
    labels_file = data.get("labels_file")
    labels = tuple(_label(row) for row in _read_csv(folder / labels_file)) if labels_file else ()
    groups_file = data.get("groups_file")
    groups = {
        row["group"]: Group(row["group"], row["name_en"], row["name_es"])
        for row in (_read_csv(folder / groups_file) if groups_file else [])
    }
    variants = tuple(
        Variant(
            id=item["id"],
            precision=item["precision"],
            file=folder / item["file"],
            sha256=item["sha256"],
            size_bytes=int(item["size_bytes"]),
            sparsity=float(item.get("sparsity", 0.0)),
            top1_agreement_with_fp32=item.get("top1_agreement_with_fp32"),
            format=item.get("format", "onnx"),
            files=_files(folder, item),
        )
        for item in data["variants"]
    )
    return ModelCard(
        id=data["id"],
        name=data["name"],
        folder=folder,
        input_name=data["input"]["name"],
        input_size=int(data["input"]["size"]),
        output_name=data["output"]["name"],
        preprocessing=Preprocessing(**data.get("preprocessing", {})),
        labels=labels,
        groups=groups,
        variants=variants,
        attribution=data["license"]["attribution"],
        kind=data.get("kind", "classifier"),
        raw=data,
    )


def _label(row: dict[str, str]) -> Label:
    """A labels.csv row; the taxonomy columns are optional (the bundled ImageNet model has none)."""
    taxonomy = Taxonomy(
        *(row.get(column) or "" for column in ("class", "order", "family", "genus", "species"))
    )
    return Label(int(row["index"]), row["label_en"], row["label_es"], row["group"], taxonomy)

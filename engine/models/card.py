"""Model cards: what a model is, how to feed it, its labels in both languages, and its variants.

A card is a `card.json` beside the model files; labels and groups are CSV files it names.
"""

import csv
import json
from dataclasses import dataclass
from pathlib import Path

from engine.media.preprocess import Preprocessing


@dataclass(frozen=True)
class Label:
    index: int
    en: str
    es: str
    group: str


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
    labels = tuple(
        Label(int(row["index"]), row["label_en"], row["label_es"], row["group"])
        for row in _read_csv(folder / data["labels_file"])
    )
    groups = {
        row["group"]: Group(row["group"], row["name_en"], row["name_es"])
        for row in _read_csv(folder / data["groups_file"])
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
        preprocessing=Preprocessing(**data["preprocessing"]),
        labels=labels,
        groups=groups,
        variants=variants,
        attribution=data["license"]["attribution"],
    )

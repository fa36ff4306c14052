"""Labels files: what a classifier's outputs are called, in Ocelote's labels.csv and groups.csv.

Publishers write labels in their own ways (one name a line; SpeciesNet's
`uuid;class;order;family;genus;species;common name`; `name,index`); this turns any of them
into rows with a taxonomy and a group the four-way answer understands.
"""

import csv
from dataclasses import dataclass
from pathlib import Path

from engine.store.errors import ImportProblem

TAXONOMY = ("class", "order", "family", "genus", "species")
HEADER = ["index", "label_en", "label_es", "group", *TAXONOMY]
# group id -> (English, Spanish); people / vehicles / background are the four-way answers.
GROUPS = {
    "mammals": ("Mammals", "Mamíferos"),
    "birds": ("Birds", "Aves"),
    "reptiles_amphibians": ("Reptiles and amphibians", "Reptiles y anfibios"),
    "other_animals": ("Other animals", "Otros animales"),
    "people": ("People", "Personas"),
    "vehicles": ("Vehicles", "Vehículos"),
    "background": ("Background / empty", "Fondo / vacío"),
}
_BY_CLASS = {"mammalia": "mammals", "aves": "birds", "reptilia": "reptiles_amphibians"}
_BY_CLASS["amphibia"] = "reptiles_amphibians"
_SPECIAL = {
    "human": "people",
    "person": "people",
    "homo sapiens": "people",
    "vehicle": "vehicles",
    "blank": "background",
    "empty": "background",
}


@dataclass(frozen=True)
class LabelRow:
    en: str
    es: str
    group: str
    taxonomy: tuple[str, str, str, str, str] = ("", "", "", "", "")


def group_for(name: str, taxon_class: str) -> str:
    special = _SPECIAL.get(name.strip().lower())
    if special:
        return special
    return _BY_CLASS.get(taxon_class.lower(), "other_animals")


def _speciesnet_row(fields: list[str]) -> LabelRow:
    """`uuid;class;order;family;genus;species;common name` (SpeciesNet's labels file)."""
    ranks = tuple(part.strip().lower() for part in fields[1:6])
    common = fields[6].strip() or " ".join(r for r in ranks[3:] if r) or ranks[0]
    if ranks[0] == "mammalia" and ranks[3] == "homo":
        group = "people"
    else:
        group = group_for(common, ranks[0])
    return LabelRow(common, common, group, ranks)  # type: ignore[arg-type]


def _plain_row(name: str) -> LabelRow:
    """A bare name; a single capitalised word is taken as a genus (AI4G Amazon's labels)."""
    name = name.strip()
    group = group_for(name, "")
    genus = name.lower() if group == "other_animals" and name.isalpha() and " " not in name else ""
    if name.lower() == "unknown":
        genus = ""
    return LabelRow(name, name, group, ("", "", "", genus, ""))


def parse_labels_text(text: str, fmt: str = "one_per_line") -> list[LabelRow]:
    """A publisher's labels file, in class-index order."""
    lines = [line for line in text.splitlines() if line.strip()]
    if fmt == "name_index_csv":
        pairs = []
        for line in lines:
            name, _sep, index = line.rpartition(",")
            pairs.append((int(index), name))
        return [_plain_row(name) for _i, name in sorted(pairs)]
    rows = []
    for line in lines:
        fields = line.split(";")
        rows.append(_speciesnet_row(fields) if len(fields) >= 7 else _plain_row(line))
    return rows


def read_labels_file(path: Path) -> list[LabelRow]:
    """A labels file a user gives for a bare ONNX: Ocelote's labels.csv, or one name a line."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise ImportProblem(str(error)) from error
    first = text.splitlines()[0] if text.strip() else ""
    if first.startswith("index,label_en"):
        rows = list(csv.DictReader(text.splitlines()))
        return [
            LabelRow(
                r["label_en"],
                r.get("label_es") or r["label_en"],
                r.get("group") or group_for(r["label_en"], r.get("class", "")),
                tuple(r.get(k, "") or "" for k in TAXONOMY),  # type: ignore[arg-type]
            )
            for r in sorted(rows, key=lambda r: int(r["index"]))
        ]
    return parse_labels_text(text)


def write_labels(folder: Path, rows: list[LabelRow]) -> None:
    """labels.csv and groups.csv (only the groups the labels use)."""
    with (folder / "labels.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for index, row in enumerate(rows):
            writer.writerow([index, row.en, row.es, row.group, *row.taxonomy])
    used = sorted({row.group for row in rows})
    with (folder / "groups.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["group", "name_en", "name_es"])
        writer.writerows([group, *GROUPS.get(group, (group, group))] for group in used)

"""The ImageNet-1k label files shipped beside the EfficientNet-Lite0 model.

`labels.csv` maps each of the 1,000 output indexes to an English name, a Spanish name and a
coarse ranger group; `groups.csv` gives each group its display names. See
`packaging/models/labels_source.md` for where the names come from.
"""

import csv
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]
MODEL_DIR = REPO / "assets" / "models" / "efficientnet_lite0"
LABELS = MODEL_DIR / "labels.csv"
GROUPS = MODEL_DIR / "groups.csv"

GROUP_IDS = [
    "felines",
    "canids",
    "bears",
    "small_carnivores",
    "primates",
    "rodents_lagomorphs",
    "ungulates",
    "other_mammals",
    "birds",
    "reptiles_amphibians",
    "fish",
    "invertebrates",
    "people",
    "vehicles",
    "background",
]

# Classes whose Spanish name is the same word as the English one (case aside): loanwords and
# names that Spanish really uses as-is. Anything else equal to the English is a missed translation.
SAME_IN_SPANISH = {
    16, 95, 151, 162, 172, 182, 222, 223, 228, 232, 234, 252, 253, 272, 273, 290, 352, 355,
    363, 399, 406, 420, 577, 605, 641, 642, 683, 684, 708, 711, 735, 754, 866, 909, 924, 931,
    932, 963, 965,
}  # fmt: skip


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="module")
def labels() -> list[dict[str, str]]:
    return _read(LABELS)


@pytest.fixture(scope="module")
def groups() -> list[dict[str, str]]:
    return _read(GROUPS)


def test_labels_header_and_indexes(labels: list[dict[str, str]]) -> None:
    with LABELS.open(encoding="utf-8", newline="") as f:
        assert next(csv.reader(f)) == ["index", "label_en", "label_es", "group"]
    assert len(labels) == 1000
    assert [int(row["index"]) for row in labels] == list(range(1000))


def test_names_are_present_and_unique(labels: list[dict[str, str]]) -> None:
    for row in labels:
        for key in ("label_en", "label_es", "group"):
            value = row[key]
            assert value and value == value.strip(), (row["index"], key, value)
    assert len({row["label_en"] for row in labels}) == 1000
    assert len({row["label_es"] for row in labels}) == 1000


def test_spanish_is_translated(labels: list[dict[str, str]]) -> None:
    same = {
        int(row["index"])
        for row in labels
        if row["label_es"].casefold() == row["label_en"].casefold()
    }
    assert same == SAME_IN_SPANISH


def test_groups_file(groups: list[dict[str, str]]) -> None:
    with GROUPS.open(encoding="utf-8", newline="") as f:
        assert next(csv.reader(f)) == ["group", "name_en", "name_es"]
    assert [row["group"] for row in groups] == GROUP_IDS
    for row in groups:
        assert row["name_en"].strip() and row["name_es"].strip(), row


def test_every_label_group_exists_and_is_used(
    labels: list[dict[str, str]], groups: list[dict[str, str]]
) -> None:
    known = {row["group"] for row in groups}
    used = {row["group"] for row in labels}
    assert used <= known
    assert used == known


@pytest.mark.parametrize(
    ("index", "label_en", "group"),
    [
        (0, "tench", "fish"),
        (22, "bald eagle", "birds"),
        (49, "African crocodile", "reptiles_amphibians"),
        (207, "golden retriever", "canids"),
        (269, "timber wolf", "canids"),
        (276, "hyena", "small_carnivores"),
        (277, "red fox", "canids"),
        (281, "tabby", "felines"),
        (286, "cougar", "felines"),
        (290, "jaguar", "felines"),
        (291, "lion", "felines"),
        (295, "American black bear", "bears"),
        (301, "ladybug", "invertebrates"),
        (334, "porcupine", "rodents_lagomorphs"),
        (335, "fox squirrel", "rodents_lagomorphs"),
        (340, "zebra", "ungulates"),
        (356, "weasel", "small_carnivores"),
        (363, "armadillo", "other_mammals"),
        (364, "three-toed sloth", "other_mammals"),
        (368, "gibbon", "primates"),
        (383, "ring-tailed lemur", "primates"),
        (386, "African elephant", "ungulates"),
        (388, "giant panda", "bears"),
        (407, "ambulance", "vehicles"),
        (413, "assault rifle", "people"),
        (414, "backpack", "people"),
        (491, "chain saw", "people"),
        (609, "jeep", "vehicles"),
        (970, "alp", "background"),
        (983, "scuba diver", "people"),
        (999, "toilet tissue", "background"),
    ],
)
def test_known_classes(labels: list[dict[str, str]], index: int, label_en: str, group: str) -> None:
    row = labels[index]
    assert (row["label_en"], row["group"]) == (label_en, group)


def test_spanish_spot_checks(labels: list[dict[str, str]]) -> None:
    expected = {
        286: "puma",
        290: "jaguar",
        291: "león",
        338: "curí",
        361: "zorrillo",
        364: "perezoso de tres dedos",
        388: "panda gigante",
        413: "fusil de asalto",
    }
    assert {i: labels[i]["label_es"] for i in expected} == expected

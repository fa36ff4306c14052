"""Which group each class of a park's model belongs to, asked on the Train page.

Why: a trained model whose classes all fell into "Other animals" left the window's chart,
group filter and sorting with nothing to tell apart. The default for each class comes from the
bundled model's taxonomy: its own group when the name is a known label (the dataset's Namer),
else the one group shared by every known label containing the name as a word ("ocelot" in
"ocelot", "elephant" in "African elephant" and "Indian elephant"); the ranger can change it.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtWidgets import QComboBox

from engine.i18n import _, language
from engine.models.card import ModelCard
from engine.search.dataset import OTHER_GROUP, ClassInfo, Dataset, normalise


def default_group(info: ClassInfo, card: ModelCard) -> str:
    if info.group != OTHER_GROUP:
        return info.group
    words = set(info.key.split())
    groups = {
        label.group
        for label in card.labels
        if words and words <= set(normalise(label.en).split()) | set(normalise(label.es).split())
    }
    return groups.pop() if len(groups) == 1 else OTHER_GROUP


def group_box(card: ModelCard, chosen: str) -> QComboBox:
    """The card's groups in the user's language, plus "Other animals"."""
    box = QComboBox()
    lang = language()
    for group in card.groups:
        box.addItem(card.group_text(group, lang), group)
    if OTHER_GROUP not in card.groups:
        box.addItem(_("Other animals"), OTHER_GROUP)
    box.setCurrentIndex(max(0, box.findData(chosen)))
    return box


def with_groups(dataset: Dataset, groups: dict[str, str]) -> Dataset:
    """The dataset with each class in the group chosen for it (the exported card keeps it)."""
    return replace(
        dataset,
        classes=tuple(
            replace(info, group=groups.get(info.key, info.group)) for info in dataset.classes
        ),
    )

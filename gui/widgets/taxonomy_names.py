"""The names a reviewer may pick from: the classifier's labels with their scientific names.

"ocelote — Leopardus pardalis" is offered to a Spanish reader; typing "ocelot", "ocelote" or
"pardalis" finds it. A name the classifier lacks is not refused here: `label_for` answers None
and the caller stores the words as typed.
"""

from __future__ import annotations

from engine.models.card import ModelCard

SEPARATOR = " — "


class TaxonomyNames:
    """Completer entries for a classifier, and the label each name stands for."""

    def __init__(self, card: ModelCard, language: str = "en") -> None:
        self._aliases: dict[str, int] = {}  # casefolded name -> label index
        entries: dict[str, int] = {}
        for label in card.labels:
            common = card.label_text(label.index, language)
            scientific = label.taxonomy.scientific_name
            entry = f"{common}{SEPARATOR}{scientific}" if scientific else common
            entries.setdefault(entry, label.index)
            for alias in (entry, common, label.en, label.es, scientific):
                if alias:
                    self._aliases.setdefault(alias.casefold(), label.index)
        self._entries = entries
        self.entries = sorted(entries, key=str.casefold)

    def label_for(self, text: str) -> int | None:
        """The label named: an entry or any of its names exactly, or the only entry holding
        the text (the completer's single suggestion, so Enter takes it); else None."""
        wanted = " ".join(text.split()).casefold()
        if not wanted:
            return None
        if wanted in self._aliases:
            return self._aliases[wanted]
        matches = {index for entry, index in self._entries.items() if wanted in entry.casefold()}
        return matches.pop() if len(matches) == 1 else None

"""A detection's species as a person reads it: the best label, or a broader taxon when unsure.

As AddaxAI and SpeciesNet do: when the best label's probability is below the rollup threshold
(0.65), the probabilities of labels sharing a genus are summed, then a family, an order, a
class; the first taxon whose sum reaches the threshold is the answer, else "animal". Computed
when reading from the stored top-5 (the machine's results stay as they were), so the sums
cover the five most probable labels, where nearly all the probability is.
"""

from dataclasses import dataclass

from engine.models.card import ModelCard, Taxonomy

ROLLUP_THRESHOLD = 0.65
RANKS = ("genus", "family", "order", "taxon_class")


@dataclass(frozen=True)
class Identification:
    label: str  # English label key, or the taxon's scientific name when rolled up
    rank: str  # "label", "genus", "family", "order", "class" or "animal"
    score: float
    taxonomy: Taxonomy
    class_index: int | None  # the label's index; None when rolled up

    @property
    def scientific_name(self) -> str:
        return self.taxonomy.scientific_name


def rollup_threshold(card: ModelCard) -> float:
    return float(card.raw.get("rollup_threshold", ROLLUP_THRESHOLD))


def identify(
    classifications: tuple[tuple[int, str, str, float], ...], card: ModelCard,
    threshold: float | None = None,
) -> Identification | None:  # fmt: skip
    """The identification of one box from its stored top-k (class_index, label, group, score)."""
    if not classifications:
        return None
    limit = rollup_threshold(card) if threshold is None else threshold
    index, label, _group, score = classifications[0]
    taxonomy = _taxonomy(card, index)
    if score >= limit:
        return Identification(label, "label", score, taxonomy, index)
    for rank in RANKS:
        value = getattr(taxonomy, rank)
        if not value:
            continue
        total = sum(
            s for i, _l, _g, s in classifications if getattr(_taxonomy(card, i), rank) == value
        )
        if total >= limit:
            kept = _truncate(taxonomy, rank)
            name = kept.scientific_name or value
            return Identification(name, "class" if rank == "taxon_class" else rank,
                                  round(total, 6), kept, None)  # fmt: skip
    return Identification("animal", "animal", score, Taxonomy(), None)


def _taxonomy(card: ModelCard, index: int) -> Taxonomy:
    return card.labels[index].taxonomy if 0 <= index < len(card.labels) else Taxonomy()


def _truncate(taxonomy: Taxonomy, rank: str) -> Taxonomy:
    """The taxonomy down to `rank` (a genus keeps class, order, family and genus)."""
    fields = ("taxon_class", "order", "family", "genus", "species")
    keep = fields[: fields.index(rank) + 1]
    return Taxonomy(**{name: getattr(taxonomy, name) for name in keep})

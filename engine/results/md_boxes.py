"""MegaDetector batch-output entries from real boxes (a detector ran), for export_megadetector.

Per image: `detections` with `category` ('1' animal, '2' person, '3' vehicle), `conf`, `bbox`
(normalised [x_min, y_min, width, height]) and, for animal boxes that were classified,
`classifications` `[[class_id, probability], ...]` best first. When the classifier was unsure
(below the rollup threshold) the rolled-up taxon comes first, with its summed probability,
as SpeciesNet writes it; rolled-up taxa get ids after the classifier's own labels.
`classification_category_descriptions` hold the taxonomy strings MegaDetector's tools read
("class;order;family;genus;species", lower case). A person's box verdicts are applied.
"""

from dataclasses import dataclass, field

from engine.detection.rollup import Identification
from engine.models.card import ModelCard, Taxonomy
from engine.results.boxes import Box, RunModels, boxes_at, species_of
from engine.results.rows import BoxReview, FileRow

CATEGORY_IDS = {"animal": "1", "person": "2", "vehicle": "3"}


def taxonomy_string(taxonomy: Taxonomy) -> str:
    ranks = (taxonomy.taxon_class, taxonomy.order, taxonomy.family, taxonomy.genus,
             taxonomy.species)  # fmt: skip
    return ";".join(rank.lower() for rank in ranks)


@dataclass
class Categories:
    """The classification categories of one export: the classifier's labels, then the
    rolled-up taxa and reviewers' own names as they are met."""

    card: ModelCard
    extra: dict[str, str] = field(default_factory=dict)  # name -> id
    extra_taxonomy: dict[str, Taxonomy] = field(default_factory=dict)

    def id_of(self, found: Identification) -> str:
        if found.class_index is not None:
            return str(found.class_index)
        if found.label not in self.extra:
            self.extra[found.label] = str(len(self.card.labels) + len(self.extra))
            self.extra_taxonomy[found.label] = found.taxonomy
        return self.extra[found.label]

    def names(self) -> dict[str, str]:
        names = {str(label.index): label.en for label in self.card.labels}
        return {**names, **{cid: name for name, cid in self.extra.items()}}

    def descriptions(self) -> dict[str, str]:
        found = {str(label.index): taxonomy_string(label.taxonomy) for label in self.card.labels
                 if label.taxonomy != Taxonomy()}  # fmt: skip
        found.update({cid: taxonomy_string(self.extra_taxonomy[name])
                      for name, cid in self.extra.items()
                      if self.extra_taxonomy[name] != Taxonomy()})  # fmt: skip
        return found


def _detection(box: Box, models: RunModels, categories: Categories) -> dict[str, object]:
    entry: dict[str, object] = {
        "category": CATEGORY_IDS[box.category],
        "conf": round(float(box.conf), 4),
        "bbox": [round(float(v), 4) for v in box.box],
    }
    classes = [[str(i), round(float(s), 4)] for i, _label, _group, s in box.classifications]
    found = species_of(box, models.classifier)
    if found is not None and found.class_index is None:
        classes.insert(0, [categories.id_of(found), round(float(found.score), 4)])
    if classes:
        entry["classifications"] = classes
    if box.frame_number is not None:
        entry["frame_number"] = box.frame_number
    return entry


def box_detections(
    row: FileRow, reviews: tuple[BoxReview, ...], threshold: float, models: RunModels,
    categories: Categories,
) -> list[dict[str, object]]:  # fmt: skip
    """The image's (or video's) detections at `threshold`, most confident first."""
    shown = sorted(boxes_at(row.detections, threshold, reviews),
                   key=lambda b: (b.frame_number or 0, -b.conf))  # fmt: skip
    return [_detection(box, models, categories) for box in shown]

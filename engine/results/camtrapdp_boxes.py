"""Camtrap DP observations from boxes: one per box at or above the threshold.

Each box is a media-level observation with `bboxX`, `bboxY`, `bboxWidth`, `bboxHeight`
(the standard's normalised top-left box, as MegaDetector's), its type from the detector's
category (animal, human, vehicle), and for animals the classifier's `scientificName` (from
the label's taxonomy, rolled up to a genus, family… when unsure) with its
`classificationProbability`. A photo with no box above the threshold is one blank observation.
A box a person drew, relabelled or accepted is classified by "reviewer".
"""

from engine.results.boxes import RunModels, boxes_at, species_of
from engine.results.rows import BoxReview, FileRow

_TYPES = {"animal": "animal", "person": "human", "vehicle": "vehicle"}


def box_observations(
    row: FileRow, reviews: tuple[BoxReview, ...], models: RunModels, threshold: float,
    base: dict[str, object], observation_id: str,
) -> list[dict[str, object]]:  # fmt: skip
    """The observations of one file; `base` holds the columns every one of them shares."""
    shown = boxes_at(row.detections, threshold, reviews)
    if not shown:
        return [{**base, "observationID": observation_id, "observationType": "blank",
                 "classificationProbability": ""}]  # fmt: skip
    found = []
    for number, box in enumerate(shown):
        x, y, w, h = box.box
        values: dict[str, object] = {
            **base, "observationID": f"{observation_id}-{number}",
            "observationType": _TYPES[box.category],
            "bboxX": f"{x:.4f}", "bboxY": f"{y:.4f}", "bboxWidth": f"{w:.4f}",
            "bboxHeight": f"{h:.4f}", "classificationProbability": f"{box.conf:.4f}",
            "observationTags": f"detectorCategory:{box.category}|detectorConfidence:{box.conf:.4f}",
        }  # fmt: skip
        identified = species_of(box, models.classifier)
        if identified is not None:
            values["classificationProbability"] = f"{min(identified.score, 1.0):.4f}"
            if identified.scientific_name:
                values["scientificName"] = identified.scientific_name
            values["observationTags"] += f"|label:{identified.label}"
        if box.reviewed:
            values.update(classificationMethod="human", classifiedBy="reviewer")
        if box.frame_number is not None:
            values["observationTags"] += f"|frame:{box.frame_number}"
        found.append(values)
    return found

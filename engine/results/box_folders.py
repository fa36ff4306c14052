"""Sort folders from boxes, read at a threshold (`ocelote sort --by category|species`).

`category`: the categories of the boxes above the threshold, joined as MegaDetector's
separate-into-folders names them ("animal", "animal_person", "person_vehicle"…), or "empty".
`species`: what the most confident animal box holds (rolled up when unsure; a person's label
first), else the category folder. Without a detector the whole-frame answer is used.
"""

from engine.results.boxes import RunModels, answer_at, boxes_at, species_of
from engine.results.rows import BoxReview, FileRow

BOX_SORTS = ("category", "species")
_ORDER = ("animal", "person", "vehicle")


def box_folder(
    row: FileRow, reviews: tuple[BoxReview, ...], models: RunModels, threshold: float, by: str
) -> str:
    if not models.boxes_decide:
        return answer_at(row, threshold, models) or "empty"
    shown = boxes_at(row.detections, threshold, reviews)
    categories = {box.category for box in shown}
    folder = "_".join(c for c in _ORDER if c in categories) or "empty"
    if by == "species":
        for box in shown:  # most confident first
            found = species_of(box, models.classifier)
            if found is not None:
                return found.label
    return folder

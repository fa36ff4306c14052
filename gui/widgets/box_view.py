"""The boxes of the results shown, read at the threshold the slider sets.

Why in memory: moving the slider must change tiles, counts and the chart at once, for 20,000
files, without a run and without a query per file; the rows loaded for the gallery already hold
every stored box (at or above the detector's floor) and the person's verdicts on them. The
reading rules are the engine's (`engine.results.boxes`), so the window counts as
`counts_at` and the exports do.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from engine.i18n import language
from engine.models.card import ModelCard
from engine.results.boxes import (
    Box,
    ClipCategory,
    Counts,
    RunModels,
    answer_at,
    boxes_at,
    category_counts,
    clip_summary,
    reviewed_boxes,
    species_of,
)
from engine.results.rows import FileRow
from gui.widgets.box_painter import Shape, shapes_of
from gui.widgets.items import Item


def _row(item: Item) -> FileRow:
    """The fields `answer_at` reads, from a gallery item."""
    return FileRow(
        item.rel_path, item.kind, None, None, item.status, None, None, item.taken_at, None, None,
        None, item.error_code, None, item.predictions, item.review, None, item.detections,
    )  # fmt: skip


@dataclass
class BoxView:
    """Models behind the results (None until results are loaded) and the threshold chosen."""

    models: RunModels | None = None
    threshold: float = 0.2
    _cache: dict[str, list[Box]] = field(default_factory=dict)

    @property
    def boxes_decide(self) -> bool:
        return self.models is not None and self.models.boxes_decide

    @property
    def classifier(self) -> ModelCard | None:
        return self.models.classifier if self.models is not None else None

    def set_models(self, models: RunModels | None) -> None:
        self.models = models
        if models is not None and models.boxes_decide:
            self.threshold = models.typical
        self._cache.clear()

    def set_threshold(self, threshold: float) -> None:
        self.threshold = threshold
        self._cache.clear()

    def forget(self, rel_path: str) -> None:
        """After a review: that file's boxes are read again."""
        self._cache.pop(rel_path, None)

    def boxes(self, item: Item) -> list[Box]:
        """Every box of the file at the threshold, reviews applied, most confident first."""
        if not self.boxes_decide:
            return []
        found = self._cache.get(item.rel_path)
        if found is None:
            found = boxes_at(item.detections, self.threshold, item.box_reviews)
            self._cache[item.rel_path] = found
        return found

    def shown_frame(self, item: Item) -> int | None:
        """The frame a tile and the preview show (None for a photo): with boxes, the frame of
        the most confident one whatever the threshold (a thumbnail is decoded once), else the
        frame of the best whole-frame label."""
        if not item.is_video:
            return None
        if self.boxes_decide:
            found = reviewed_boxes(item.detections, item.box_reviews)
            if found:
                return max(found, key=lambda b: b.conf).frame_number
        return item.best_frame

    def clip(self, item: Item) -> list[ClipCategory]:
        """A video's categories at the threshold: frames with such a box, the best one."""
        if not self.boxes_decide or self.classifier is None or not item.is_video:
            return []
        return clip_summary(_row(item), self.threshold, self.classifier, item.box_reviews)

    def frame_boxes(self, item: Item, frame: int | None) -> list[Box]:
        """The boxes on one frame (a photo's frame is None)."""
        return [box for box in self.boxes(item) if box.frame_number == frame]

    def shapes(self, item: Item, frame: int | None, selected: int | None = None) -> list[Shape]:
        classifier = self.classifier
        if classifier is None:
            return []
        boxes = self.frame_boxes(item, frame)
        return shapes_of(boxes, item.detections, classifier, language(), selected)

    def answer(self, item: Item) -> str | None:
        """Empty, animal, person or vehicle at the threshold (None: unreadable file)."""
        if self.models is None or not item.ok:
            return None
        shown = self.boxes(item)
        if self.boxes_decide:
            return max(shown, key=lambda b: b.conf).category if shown else "empty"
        return answer_at(_row(item), self.threshold, self.models)

    def best(self, item: Item) -> Box | None:
        shown = self.boxes(item)
        return shown[0] if shown else None

    def counts(self, items: list[Item]) -> Counts:
        """Files per answer, boxes per category and species, as `counts_at` reads them."""
        answers, boxes, species = Counter(), Counter(), Counter()
        for item in items:
            shown = self.boxes(item)
            answer = self.answer(item)
            if answer is not None:
                answers[answer] += 1
            boxes.update(category_counts(shown))
            for box in shown:
                classifier = self.classifier
                found = species_of(box, classifier) if classifier is not None else None
                if found is not None:
                    species[found.label] += 1
        return Counts(self.threshold, answers, boxes, species)

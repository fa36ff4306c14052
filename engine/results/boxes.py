"""Boxes read at a threshold: what counts, galleries, the review page and exports show.

Every box at or above the detector's floor is stored; the threshold is chosen when reading,
so moving it changes counts at once, without a re-run. A person's box verdicts
(`ResultsDB.box_reviews`) apply on top: a rejected box is gone, a relabelled one carries the
person's words, an added one counts whatever the threshold, a frame marked empty has none.
"""

import json
from collections import Counter
from dataclasses import dataclass, replace

from engine.detection.rollup import Identification, identify
from engine.detection.spec import DEFAULT_THRESHOLDS
from engine.i18n import _
from engine.models.card import ModelCard, Taxonomy
from engine.models.store import find_card
from engine.results.db import ResultsDB
from engine.results.four_way import four_way
from engine.results.rows import BoxReview, DetectionRow, FileRow

REVIEWED_CONF = 1.0  # a box a person drew or accepted


def category_text(name: str) -> str:
    """A four-way answer or box category in the user's language."""
    return {
        "empty": _("empty"), "animal": _("animal"), "person": _("person"),
        "vehicle": _("vehicle"),
    }.get(name, name)  # fmt: skip


@dataclass(frozen=True)
class RunModels:
    """The models behind a results folder: the detector (None: whole-frame path) and the
    classifier, with the detector's thresholds."""

    classifier: ModelCard
    detector: ModelCard | None
    detector_id: str | None  # set even when that detector is no longer installed

    @property
    def boxes_decide(self) -> bool:
        return self.detector_id is not None

    def thresholds(self) -> dict[str, float]:
        raw = self.detector.raw.get("thresholds", {}) if self.detector else {}
        return {**DEFAULT_THRESHOLDS, **raw}

    @property
    def typical(self) -> float:
        return float(self.thresholds()["typical"])

    @property
    def conservative(self) -> float:
        return float(self.thresholds()["conservative"])


def run_models(db: ResultsDB, classifier: ModelCard) -> RunModels:
    """What ran on this folder, from its latest run's record."""
    run = db.latest_run() or {}
    settings = json.loads(str(run.get("settings") or "{}"))
    detector_id = settings.get("detector_id")
    detector = None
    if detector_id:
        try:
            detector = find_card(detector_id)
        except KeyError:
            detector = None
    return RunModels(classifier, detector, detector_id)


@dataclass(frozen=True)
class Box:
    """A box as shown: the machine's (maybe relabelled by a person) or one a person drew."""

    detection_id: int | None
    frame_number: int | None
    category: str
    conf: float
    box: tuple[float, float, float, float]
    classifications: tuple[tuple[int, str, str, float], ...] = ()
    label: str | None = None  # a person's words for the species
    reviewed: bool = False


def _from_row(row: DetectionRow) -> Box:
    return Box(row.id, row.frame_number, row.category, row.conf, row.box, row.classifications)


def reviewed_boxes(
    detections: tuple[DetectionRow, ...], reviews: tuple[BoxReview, ...] = ()
) -> list[Box]:
    """The machine's boxes with a person's verdicts applied, in review order."""
    boxes = {row.id: _from_row(row) for row in detections}
    added: list[Box] = []
    empty_frames: set[int | None] = set()
    for review in reviews:
        known = boxes.get(review.detection_id) if review.detection_id is not None else None
        if review.action == "empty":
            empty_frames.add(review.frame_number)
            added = [box for box in added if box.frame_number != review.frame_number]
        elif review.action == "add" and review.box is not None:
            added.append(Box(None, review.frame_number, review.category or "animal",
                             REVIEWED_CONF, review.box, (), review.label, True))  # fmt: skip
        elif known is not None and review.action == "reject":
            boxes.pop(known.detection_id)
        elif known is not None and review.action in ("accept", "relabel"):
            boxes[known.detection_id] = replace(
                known, category=review.category or known.category,
                label=review.label or known.label, reviewed=True,
            )  # fmt: skip
    kept = [box for box in boxes.values() if box.reviewed or box.frame_number not in empty_frames]
    return kept + added


def boxes_at(
    detections: tuple[DetectionRow, ...], threshold: float, reviews: tuple[BoxReview, ...] = ()
) -> list[Box]:
    """Boxes at or above `threshold` (reviewed boxes always), most confident first."""
    shown = [b for b in reviewed_boxes(detections, reviews) if b.reviewed or b.conf >= threshold]
    return sorted(shown, key=lambda b: -b.conf)


def category_counts(boxes: list[Box]) -> Counter:
    """Boxes per category (animal, person, vehicle) on a photo; for a video, the most seen
    on any one frame (an animal crossing 20 frames is one animal, not 20)."""
    frames: dict[int | None, Counter] = {}
    for box in boxes:
        frames.setdefault(box.frame_number, Counter())[box.category] += 1
    counts: Counter = Counter()
    for seen in frames.values():
        counts |= seen
    return counts


def answer_at(row: FileRow, threshold: float, models: RunModels) -> str | None:
    """Empty, animal, person or vehicle at this threshold (None: unreadable file)."""
    return four_way(row, threshold, models.boxes_decide)


def species_of(box: Box, classifier: ModelCard) -> Identification | None:
    """What the box holds: a person's label first, else the classifier's, rolled up when
    unsure; None for people, vehicles and unclassified boxes."""
    if box.label:
        return Identification(box.label, "label", REVIEWED_CONF, Taxonomy(), None)
    if box.category != "animal":
        return None
    return identify(box.classifications, classifier)


@dataclass(frozen=True)
class Counts:
    """A folder's counts at a threshold: files per answer, boxes per category, species."""

    threshold: float
    answers: Counter  # empty / animal / person / vehicle -> files
    boxes: Counter  # category -> boxes
    species: Counter  # label or taxon -> boxes


def counts_at(db: ResultsDB, models: RunModels, threshold: float) -> Counts:
    """Counts over every stored file at this threshold, reviews applied (one streamed pass)."""
    answers, boxes, species = Counter(), Counter(), Counter()
    for row in db.iter_files():
        shown = boxes_at(row.detections, threshold, db.box_reviews(row.rel_path))
        answer = answer_at(row, threshold, models)
        if models.boxes_decide and row.status == "ok":
            answer = max(shown, key=lambda b: b.conf).category if shown else "empty"
        if answer is not None:
            answers[answer] += 1
        boxes.update(category_counts(shown))
        for box in shown:
            found = species_of(box, models.classifier)
            if found is not None:
                species[found.label] += 1
    return Counts(threshold, answers, boxes, species)


@dataclass(frozen=True)
class ClipCategory:
    """One category in a video at a threshold: frames with such a box, the best one."""

    category: str
    frames: int
    best_frame: int | None
    max_conf: float
    species: tuple[str, ...]


def clip_summary(
    row: FileRow, threshold: float, classifier: ModelCard, reviews: tuple[BoxReview, ...] = ()
) -> list[ClipCategory]:
    """A video's per-category summary at this threshold, most confident category first."""
    found: dict[str, list[Box]] = {}
    for box in boxes_at(row.detections, threshold, reviews):
        found.setdefault(box.category, []).append(box)
    summary = []
    for category, boxes in found.items():
        best = max(boxes, key=lambda b: b.conf)
        names = {s.label for b in boxes if (s := species_of(b, classifier)) is not None}
        frames = {b.frame_number for b in boxes}
        summary.append(
            ClipCategory(category, len(frames), best.frame_number, best.conf, tuple(sorted(names)))
        )
    return sorted(summary, key=lambda c: -c.max_conf)

"""Boxes drawn over a picture: one colour per category, a label and the confidence.

One painter for the gallery tiles, the preview and the review picture, so a box looks the same
everywhere. Motion boxes (source "motion") are dashed and say "motion": they come from pixel
changes, not from a detector, and must not be read as a detector's word.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QImage, QPainter, QPen

from engine.i18n import _, fmt_number
from engine.models.card import ModelCard
from engine.results.boxes import Box, category_text, species_of
from engine.results.rows import DetectionRow

COLOURS = {"animal": "#ffb000", "person": "#ff3b8b", "vehicle": "#2fa8ff"}
MOTION_COLOUR = "#d0d0d0"
OTHER_COLOUR = "#9be35a"


@dataclass(frozen=True)
class Shape:
    """What to draw for one box: where (normalised x, y, w, h), its colour and its words."""

    box: tuple[float, float, float, float]
    category: str
    text: str
    motion: bool = False
    selected: bool = False

    @property
    def colour(self) -> QColor:
        if self.motion:
            return QColor(MOTION_COLOUR)
        return QColor(COLOURS.get(self.category, OTHER_COLOUR))


def rank_text(rank: str) -> str:
    """A taxonomic rank in the user's language (a rolled-up answer says how broad it is)."""
    return {
        "genus": _("genus"), "family": _("family"), "order": _("order"), "class": _("class"),
    }.get(rank, rank)  # fmt: skip


def label_in(card: ModelCard, name: str, lang: str) -> str:
    """A label key (English) in the user's language; a name the card lacks, as typed."""
    for label in card.labels:
        if label.en == name:
            return label.es if lang == "es" and label.es else label.en
    return name


def species_text(box: Box, classifier: ModelCard, lang: str) -> str:
    """What the box holds in words: the species, a rolled-up taxon marked as such, or ''."""
    found = species_of(box, classifier)
    if found is None:
        return ""
    if found.rank == "animal":
        return category_text("animal")
    if found.rank != "label":
        return f"{found.label} ({rank_text(found.rank)})"
    if found.class_index is not None and 0 <= found.class_index < len(classifier.labels):
        return classifier.label_text(found.class_index, lang)
    return label_in(classifier, found.label, lang)


def box_text(box: Box, classifier: ModelCard, lang: str, motion: bool) -> str:
    """ "ocelote 87 %", "persona 64 %", "movimiento 40 %"; a person's box says so (✔)."""
    if motion:
        name = _("motion")
    else:
        name = species_text(box, classifier, lang) or category_text(box.category)
    score = "✔" if box.reviewed else f"{fmt_number(box.conf * 100)} %"
    return f"{name} {score}"


def shapes_of(
    boxes: Iterable[Box], detections: tuple[DetectionRow, ...], classifier: ModelCard, lang: str,
    selected: int | None = None,
) -> list[Shape]:  # fmt: skip
    """Shapes for boxes read at a threshold; `detections` tell which came from motion."""
    motion = {row.id for row in detections if row.source == "motion"}
    shapes = []
    for number, box in enumerate(boxes):
        is_motion = box.detection_id in motion
        text = box_text(box, classifier, lang, is_motion)
        shapes.append(Shape(box.box, box.category, text, is_motion, number == selected))
    return shapes


def paint_shapes(painter: QPainter, target: QRectF, shapes: Iterable[Shape]) -> None:
    """Draw shapes over a picture painted into `target` (the picture's own rectangle)."""
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    font = QFont(painter.font())
    font.setPixelSize(max(9, min(16, int(target.height() / 14))))
    font.setBold(True)
    painter.setFont(font)
    metrics = painter.fontMetrics()
    width = max(2.0, target.width() / 220)
    for shape in shapes:
        x, y, w, h = shape.box
        rect = QRectF(
            target.left() + x * target.width(), target.top() + y * target.height(),
            w * target.width(), h * target.height(),
        ).intersected(target)  # fmt: skip
        pen = QPen(shape.colour, width * (2 if shape.selected else 1))
        if shape.motion:
            pen.setStyle(Qt.PenStyle.DashLine)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(rect)
        text_width = metrics.horizontalAdvance(shape.text) + 6
        tag = QRectF(rect.left(), rect.top() - metrics.height(), text_width, metrics.height())
        if tag.top() < target.top():
            tag.moveTop(rect.top())
        if tag.right() > target.right():
            tag.moveRight(target.right())
        painter.fillRect(tag, shape.colour)
        painter.setPen(QColor("black"))
        painter.drawText(tag, Qt.AlignmentFlag.AlignCenter, shape.text)
    painter.restore()


def boxed_image(image: QImage, shapes: list[Shape]) -> QImage:
    """A copy of `image` with the shapes drawn on it (a gallery tile)."""
    if not shapes:
        return image
    marked = image.convertToFormat(QImage.Format.Format_RGB32)
    painter = QPainter(marked)
    paint_shapes(painter, QRectF(marked.rect()), shapes)
    painter.end()
    return marked

"""Review of boxes: accept, reject or relabel one, add a missing "animal here", mark a frame
empty. Verdicts go to `box_reviews` beside the machine's boxes (never over them), each with an
id the review page's undo takes back.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QIcon, QKeySequence, QPixmap, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from engine.i18n import _
from engine.results.boxes import Box
from engine.results.db import ResultsDB
from engine.results.rows import BoxReview
from gui.widgets.detail import DetailView
from gui.widgets.gallery import GalleryModel
from gui.widgets.items import Item

WHOLE_FRAME = (0.0, 0.0, 1.0, 1.0)


class BoxReviewPanel(QWidget):
    """The current file's boxes at the threshold, and the buttons that judge them.

    `stored(rel_path, review_id, text)` after each verdict: the page keeps it for undo and
    says `text`.
    """

    stored = Signal(str, int, str)

    def __init__(self, model: GalleryModel, detail: DetailView, parent=None) -> None:
        super().__init__(parent)
        self.model, self.detail = model, detail
        self.db: ResultsDB | None = None
        self.item: Item | None = None
        self.boxes: list[Box] = []
        self.list = QListWidget()
        self.list.setMaximumHeight(110)
        self.list.currentRowChanged.connect(self._on_row)
        self.accept_button, self.reject_button = QPushButton(), QPushButton()
        self.add_button, self.empty_button = QPushButton(), QPushButton()
        self.accept_button.clicked.connect(self.accept_box)
        self.reject_button.clicked.connect(self.reject_box)
        self.add_button.clicked.connect(lambda: self.add_box(WHOLE_FRAME))
        self.empty_button.clicked.connect(self.mark_empty)
        self.detail.image.drawn.connect(self.add_box)
        self.detail.frame_changed.connect(lambda: self.show_item(self.item))
        self.shortcuts = []
        for keys, slot in (
            ("Ctrl+N", lambda: self.add_box(WHOLE_FRAME)),
            ("Ctrl+E", self.mark_empty),
            (QKeySequence.StandardKey.Delete, self.reject_box),
        ):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
            shortcut.activated.connect(self._when_visible(slot))
            self.shortcuts.append(shortcut)
        buttons = QHBoxLayout()
        for button in (self.accept_button, self.reject_button, self.add_button, self.empty_button):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.list)
        layout.addLayout(buttons)
        self.retranslate()

    def _when_visible(self, slot: Callable[[], None]) -> Callable[[], None]:
        """Shortcuts act only while the review page shows boxes."""
        return lambda: slot() if self.isVisible() else None

    def retranslate(self) -> None:
        self.accept_button.setText(_("Accept box"))
        self.reject_button.setText(_("Reject box (Delete)"))
        self.add_button.setText(_("Animal here (Ctrl+N)"))
        self.add_button.setToolTip(
            _("Adds a box over the whole frame; or drag a rectangle on the picture.")
        )
        self.empty_button.setText(_("Frame empty (Ctrl+E)"))
        self.show_item(self.item)

    # --- showing ---------------------------------------------------------------------------
    def show_item(self, item: Item | None) -> None:
        """List the boxes of the frame shown, at the threshold, most confident first."""
        self.item = item
        row = max(0, self.list.currentRow())
        self.boxes = self.model.boxes.frame_boxes(item, self.detail.frame) if item else []
        self.list.blockSignals(True)
        self.list.clear()
        shapes = self.model.boxes.shapes(item, self.detail.frame) if item else []
        for shape in shapes:  # the box's colour beside its words, as on the picture
            swatch = QPixmap(12, 12)
            swatch.fill(shape.colour)
            self.list.addItem(QListWidgetItem(QIcon(swatch), shape.text))
        self.list.blockSignals(False)
        if self.boxes:
            self.list.setCurrentRow(min(row, len(self.boxes) - 1))
        self._on_row(self.list.currentRow())
        for button in (self.accept_button, self.reject_button):
            button.setEnabled(bool(self.boxes))

    def _on_row(self, row: int) -> None:
        self.detail.selected_box = row if 0 <= row < len(self.boxes) else None
        self.detail.refresh_boxes()

    def current_box(self) -> Box | None:
        row = self.list.currentRow()
        return self.boxes[row] if 0 <= row < len(self.boxes) else None

    # --- verdicts ------------------------------------------------------------------------
    def accept_box(self) -> None:
        box = self.current_box()
        if box is not None:
            self._box_verdict(box, "accept", None, _("Box accepted."))

    def accept_all(self) -> None:
        """Enter: every box shown is right; on a frame without any, it is indeed empty."""
        if not self.boxes:
            self.mark_empty()
        for box in list(self.boxes):
            self._box_verdict(box, "accept", None, _("Boxes accepted."))

    def reject_box(self) -> None:
        box = self.current_box()
        if box is not None:
            self._box_verdict(box, "reject", None, _("Box rejected."))

    def relabel(self, label: str) -> None:
        """Name the chosen box (any name: "ocelot"); on a frame without boxes, add one."""
        box = self.current_box()
        if box is None:
            self.add_box(WHOLE_FRAME, label)
            return
        text = _("Saved: {label}").format(label=label)
        self._box_verdict(box, "relabel", label, text, category="animal")

    def add_box(self, where: tuple, label: str | None = None) -> None:
        """A box the detector missed: "animal here" (`where` normalised x, y, w, h)."""
        if self.item is None:
            return
        review = BoxReview(self.item.rel_path, None, "add", "animal", label, self.detail.frame,
                           tuple(float(v) for v in where))  # fmt: skip
        self._store(review, _("Box added."))

    def mark_empty(self) -> None:
        if self.item is not None:
            review = BoxReview(self.item.rel_path, None, "empty", frame_number=self.detail.frame)
            self._store(review, _("Marked empty."))

    def _box_verdict(
        self, box: Box, action: str, label: str | None, text: str, category: str | None = None
    ) -> None:
        if self.item is None:
            return
        if box.detection_id is None:  # a person's own box: take it back, or name it again
            self._drop_added(box, action, label, text)
            return
        review = BoxReview(self.item.rel_path, box.detection_id, action, category, label,
                           box.frame_number)  # fmt: skip
        self._store(review, text)

    def _drop_added(self, box: Box, action: str, label: str | None, text: str) -> None:
        """A box a person added has no detection id: rejecting it removes that "add"."""
        if self.db is None or self.item is None or action == "accept":
            return
        added = [r for r in self.item.box_reviews if r.action == "add" and r.box == box.box]
        if not added or added[-1].id is None:
            return
        self.db.undo_box_review(added[-1].id)
        if action == "relabel":
            self._store(BoxReview(self.item.rel_path, None, "add", "animal", label,
                                  box.frame_number, box.box), text)  # fmt: skip
            return
        self.refresh(self.item.rel_path)

    def _store(self, review: BoxReview, text: str) -> None:
        if self.db is None:
            return
        review_id = self.db.add_box_review(review)
        self.refresh(review.rel_path)
        self.stored.emit(review.rel_path, review_id, text)

    def refresh(self, rel_path: str) -> None:
        """Read the file's verdicts again: tile, preview and this list follow."""
        if self.db is None:
            return
        item = next((i for i in self.model.items() if i.rel_path == rel_path), None)
        if item is None:
            return
        item = item.with_box_reviews(self.db.box_reviews(rel_path))
        self.model.replace(item)
        if self.item is not None and self.item.rel_path == rel_path:
            self.detail.show_item(item, self.model.path_of(item))
            self.show_item(item)

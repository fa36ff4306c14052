"""Repeated detections: boxes at one place of one camera in many frames (a rock, a post).

One row per group with one of its frames, the box drawn, and one button that dismisses (or
restores) the whole group; the engine then rebuilds events so answers and counts follow.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QImage, QImageReader, QPainter, QPen, QPixmap
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from engine.events.refresh import EventSettings, refresh_events
from engine.i18n import _, fmt_number
from engine.results.boxes import category_text
from engine.results.events_store import EventsStore, RepeatGroup
from gui.widgets.scrolled import scrolled

THUMB = QSize(160, 120)


def group_text(group: RepeatGroup) -> str:
    """Camera, category, where in the frame and how many frames, in the user's language."""
    x, y, w, h = group.box
    camera = group.camera.strip("|") or _("unknown camera")
    where = _("at {x} % across, {y} % down").format(
        x=fmt_number(round((x + w / 2) * 100)), y=fmt_number(round((y + h / 2) * 100))
    )
    frames = _("{frames} frames").format(frames=fmt_number(group.frames))
    state = " · " + _("dismissed") if group.dismissed else ""
    return f"{camera}\n{category_text(group.category)} · {where} · {frames}{state}"


def boxed_thumbnail(path: Path | None, box: tuple[float, float, float, float]) -> QPixmap:
    """A small decode of one frame of the group with the repeated box drawn on it."""
    reader = QImageReader(str(path)) if path is not None else None
    image = QImage()
    if reader is not None:
        reader.setAutoTransform(True)
        size = reader.size()
        if size.isValid():
            reader.setScaledSize(size.scaled(THUMB, Qt.AspectRatioMode.KeepAspectRatio))
        image = reader.read()
    if image.isNull():
        pixmap = QPixmap(THUMB)
        pixmap.fill(QColor("#d8d8d0"))
        return pixmap
    pixmap = QPixmap.fromImage(image)
    painter = QPainter(pixmap)
    painter.setPen(QPen(QColor("#ff9800"), 2))
    x, y, w, h = box
    width, height = pixmap.width(), pixmap.height()
    painter.drawRect(QRectF(x * width, y * height, w * width, h * height))
    painter.end()
    return pixmap


class RepeatsDialog(QDialog):
    """Lists the repeat groups of a results folder; `changed` after a dismissal or a restore."""

    changed = Signal()

    def __init__(self, db_path: Path, source_root: Path | None, parent=None) -> None:
        super().__init__(parent)
        self.db_path, self.source_root = db_path, source_root
        self.setWindowTitle(_("Repeated detections"))
        self.intro = QLabel(
            _("The same box in many frames of one camera is usually a rock or a post.")
            + " "
            + _("Dismissing a group drops all its boxes; you can restore it later."),
            wordWrap=True,
        )
        self.rows = QWidget()
        self.grid = QGridLayout(self.rows)
        self.buttons: dict[int, QPushButton] = {}
        self.texts: dict[int, QLabel] = {}
        self.thumbs: dict[int, QLabel] = {}
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(scrolled(self.rows), 1)
        layout.addWidget(close)
        self.resize(640, 480)
        self._fill()

    def groups(self) -> list[RepeatGroup]:
        with EventsStore(self.db_path) as store:
            return store.repeat_groups()

    def set_dismissed(self, group_id: int, dismissed: bool) -> None:
        """Dismiss or restore a whole group, then let the engine rebuild the events."""
        with EventsStore(self.db_path) as store:
            store.set_repeat_dismissed(group_id, dismissed)
        refresh_events(self.db_path, EventSettings())
        self._fill()
        self.changed.emit()

    def _fill(self) -> None:
        while self.grid.count():
            widget = self.grid.takeAt(0).widget()
            if widget is not None:
                widget.deleteLater()
        self.buttons.clear()
        self.texts.clear()
        self.thumbs.clear()
        groups = self.groups()
        if not groups:
            self.grid.addWidget(QLabel(_("No repeated detections were found.")), 0, 0)
            return
        with EventsStore(self.db_path) as store:
            files = store.detection_files(g.detection_ids[0] for g in groups if g.detection_ids)
        for row, group in enumerate(groups):
            rel = files.get(group.detection_ids[0]) if group.detection_ids else None
            path = self.source_root / rel if self.source_root and rel else None
            thumb = QLabel()
            thumb.setPixmap(boxed_thumbnail(path, group.box))
            text = QLabel(group_text(group), wordWrap=True)
            button = QPushButton(_("Restore") if group.dismissed else _("Dismiss all"))
            button.clicked.connect(
                lambda _checked=False, g=group: self.set_dismissed(g.id, not g.dismissed)
            )
            self.grid.addWidget(thumb, row, 0)
            self.grid.addWidget(text, row, 1)
            self.grid.addWidget(button, row, 2)
            self.buttons[group.id], self.texts[group.id] = button, text
            self.thumbs[group.id] = thumb

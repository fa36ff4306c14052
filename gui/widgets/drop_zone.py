"""The big target a ranger drops the camera card's folder on (or clicks to choose one).

Picard's lesson: external drops are copy actions (never a move of the user's photos), URLs
become local paths, and nothing is scanned here: the page hands the paths to a job.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent, QMouseEvent
from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout, QWidget

from engine.i18n import _


def local_paths(event: QDropEvent | QDragEnterEvent | QDragMoveEvent) -> list[Path]:
    mime = event.mimeData()
    if not mime.hasUrls():
        return []
    return [Path(url.toLocalFile()) for url in mime.urls() if url.isLocalFile()]


class DropZone(QFrame):
    """Emits `dropped(paths)` for dropped folders/files and `clicked` to open a dialog."""

    dropped = Signal(list)
    clicked = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAcceptDrops(True)
        self.setObjectName("dropZone")
        self.setMinimumHeight(160)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self._set_hover(False)
        self.title = QLabel(alignment=Qt.AlignmentFlag.AlignCenter, wordWrap=True)
        self.title.setStyleSheet("font-size: 22pt; font-weight: 600; color: #2f4f2f;")
        self.hint = QLabel(alignment=Qt.AlignmentFlag.AlignCenter, wordWrap=True)
        self.hint.setStyleSheet("font-size: 12pt; color: #555;")
        layout = QVBoxLayout(self)
        layout.addStretch()
        layout.addWidget(self.title)
        layout.addWidget(self.hint)
        layout.addStretch()
        self.retranslate()

    def retranslate(self) -> None:
        self.title.setText(_("Drop a folder of photos or videos here"))
        self.hint.setText(_("or click to choose a folder"))

    def _set_hover(self, hover: bool) -> None:
        color = "#e3f0d8" if hover else "#f4f6ef"
        self.setStyleSheet(
            f"#dropZone {{ border: 3px dashed #6b8e5a; border-radius: 16px; background: {color}; }}"
        )

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if local_paths(event):
            event.setDropAction(Qt.DropAction.CopyAction)
            event.accept()
            self._set_hover(True)
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        if local_paths(event):
            event.setDropAction(Qt.DropAction.CopyAction)
            event.accept()

    def dragLeaveEvent(self, event) -> None:  # noqa: ANN001 - QDragLeaveEvent
        self._set_hover(False)

    def dropEvent(self, event: QDropEvent) -> None:
        self._set_hover(False)
        paths = local_paths(event)
        if not paths:
            event.ignore()
            return
        event.setDropAction(Qt.DropAction.CopyAction)
        event.accept()
        self.dropped.emit(paths)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self.clicked.emit()

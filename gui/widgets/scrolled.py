"""A panel inside a scroll area, so a small screen scrolls it instead of growing the window.

Why: without it a page's minimum height is the sum of everything on it, and on a 1366×768
laptop the buttons at the bottom (Cancel, Accept, Undo) fell below the screen.
"""

from __future__ import annotations

from PySide6.QtWidgets import QFrame, QScrollArea, QWidget


def scrolled(widget: QWidget) -> QScrollArea:
    area = QScrollArea()
    area.setWidget(widget)
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    return area

"""The start every chart here shares: a bold title, then "No results yet" while it has no data.

Why a helper: the group chart, the Pareto plot and the confusion matrix painted it alike.
"""

from __future__ import annotations

from PySide6.QtGui import QFont, QPainter
from PySide6.QtWidgets import QWidget

from engine.i18n import _


def titled_painter(
    widget: QWidget, title: str, left: int, empty: bool, antialias: bool = True
) -> QPainter | None:
    """A painter on `widget` after the title at `left`; None once "No results yet" is drawn."""
    painter = QPainter(widget)
    if antialias:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    bold = QFont(widget.font())
    bold.setBold(True)
    painter.setFont(bold)
    painter.drawText(left, 18, title)
    painter.setFont(widget.font())
    if empty:
        painter.drawText(left, 44, _("No results yet"))
        painter.end()
        return None
    return painter

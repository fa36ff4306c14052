"""The confusion matrix as a picture: a dark diagonal is a head that knows the park's species.

Cells are shaded by the share of each true class (row), so a rare class reads as clearly as a
common one; the counts are written in the cells.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

from engine.i18n import _, fmt_number
from gui.widgets.titled import titled_painter

CELL = 34
MARGIN = 8
TOP = 48  # below the title and its note
HOT = QColor("#2f6b3a")
WRONG = QColor("#a8574f")


class ConfusionView(QWidget):
    """Rows: true class; columns: predicted class; names come translated from the caller."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._names: list[str] = []
        self._rows: list[list[int]] = []
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)

    def set_matrix(self, names: Sequence[str], rows: Sequence[Sequence[int]]) -> None:
        self._names = list(names)
        self._rows = [[int(v) for v in row] for row in rows]
        self.updateGeometry()
        self.update()

    def matrix(self) -> list[list[int]]:
        return [list(row) for row in self._rows]

    def _name_width(self) -> int:
        metrics = self.fontMetrics()
        return min(160, max([metrics.horizontalAdvance(n) for n in self._names] or [40]) + 8)

    def _titles(self) -> tuple[str, str]:
        return _("Confusion matrix"), _("Rows: true class; columns: predicted.")

    def sizeHint(self) -> QSize:
        """Room for the grid and for both title lines (a short title was cut to "Confusion ma…")."""
        count = max(1, len(self._names))
        bold = QFont(self.font())
        bold.setBold(True)
        title, note = self._titles()
        text = max(
            QFontMetrics(bold).horizontalAdvance(title), self.fontMetrics().horizontalAdvance(note)
        )
        side = max(self._name_width() + count * CELL, text) + 2 * MARGIN
        return QSize(side, TOP + 20 + count * CELL + 2 * MARGIN)

    def minimumSizeHint(self) -> QSize:
        return self.sizeHint()

    def paintEvent(self, event: QPaintEvent) -> None:
        title, note = self._titles()
        painter = titled_painter(self, title, MARGIN, not self._rows, antialias=False)
        if painter is None:
            return
        painter.drawText(MARGIN, 36, note)
        left, top = MARGIN + self._name_width(), TOP
        for row, name in enumerate(self._names):
            rect = QRectF(MARGIN, top + row * CELL, self._name_width() - 6, CELL)
            painter.drawText(
                rect, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight, name
            )
            self._paint_row(painter, row, left, top)
        for col in range(len(self._names)):
            rect = QRectF(left + col * CELL, top + len(self._names) * CELL, CELL, 16)
            painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, str(col + 1))

    def _paint_row(self, painter: QPainter, row: int, left: int, top: int) -> None:
        total = sum(self._rows[row]) or 1
        for col, value in enumerate(self._rows[row]):
            rect = QRectF(left + col * CELL, top + row * CELL, CELL - 2, CELL - 2)
            colour = QColor(HOT if row == col else WRONG)
            colour.setAlphaF(0.08 + 0.92 * value / total)
            painter.fillRect(rect, colour)
            light = value / total > 0.5
            painter.setPen(QColor("white") if light else self.palette().text().color())
            painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, fmt_number(value))
            painter.setPen(self.palette().text().color())

"""Counts per group as a bar chart painted with QPainter: a ranger sees the survey at a glance."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

from engine.i18n import _, fmt_number
from gui.widgets.titled import titled_painter

PALETTE = ["#6b8e5a", "#c9803a", "#4f7a9a", "#a8574f", "#8c6bb1", "#b59b3a", "#4a9a8a", "#777"]
BAR_HEIGHT = 22
GAP = 6


class GroupChart(QWidget):
    """Horizontal bars, largest first; names come already translated from the caller."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._rows: list[tuple[str, int]] = []
        self.title: Callable[[], str] = lambda: _("Photos per group")  # read when painting
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)

    def set_counts(self, counts: Mapping[str, int]) -> None:
        self._rows = sorted(counts.items(), key=lambda pair: (-pair[1], pair[0]))
        self.updateGeometry()
        self.update()

    def rows(self) -> list[tuple[str, int]]:
        return list(self._rows)

    def sizeHint(self) -> QSize:
        return QSize(320, 34 + max(1, len(self._rows)) * (BAR_HEIGHT + GAP))

    def minimumSizeHint(self) -> QSize:
        return self.sizeHint()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = titled_painter(self, self.title(), 4, not self._rows)
        if painter is None:
            return
        metrics = painter.fontMetrics()
        name_width = min(
            self.width() // 2, max(metrics.horizontalAdvance(n) for n, _c in self._rows)
        )
        count_width = metrics.horizontalAdvance(fmt_number(self._rows[0][1])) + 8
        bar_room = max(10, self.width() - name_width - count_width - 16)
        top_count = max(count for _name, count in self._rows) or 1
        for row, (name, count) in enumerate(self._rows):
            y = 30 + row * (BAR_HEIGHT + GAP)
            text_rect = QRectF(4, y, name_width, BAR_HEIGHT)
            elided = metrics.elidedText(name, Qt.TextElideMode.ElideRight, name_width)
            painter.drawText(text_rect, Qt.AlignmentFlag.AlignVCenter, elided)
            width = max(2.0, bar_room * count / top_count)
            bar = QRectF(name_width + 10, y + 3, width, BAR_HEIGHT - 6)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor(PALETTE[row % len(PALETTE)]))
            painter.drawRoundedRect(bar, 3, 3)
            painter.setPen(self.palette().text().color())
            painter.drawText(
                QRectF(bar.right() + 6, y, count_width, BAR_HEIGHT),
                Qt.AlignmentFlag.AlignVCenter,
                fmt_number(count),
            )

"""Accuracy against speed for every measured architecture: the front as a line, the
recommended point ringed, the speed the user asked for as a dashed line."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from engine.i18n import _, fmt_number
from gui.widgets.titled import titled_painter

PAD_LEFT, PAD_BOTTOM, PAD_TOP, PAD_RIGHT = 56, 40, 28, 16
FRONT = QColor("#2f6b3a")
OTHER = QColor("#8a8a8a")
PICK = QColor("#c9803a")


@dataclass(frozen=True)
class PlotPoint:
    images_per_s: float
    accuracy: float  # 0..1
    on_front: bool
    recommended: bool
    label: str


class ParetoPlot(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._points: list[PlotPoint] = []
        self._min_speed = 0.0  # images/s
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def set_points(self, points: list[PlotPoint], min_images_per_s: float = 0.0) -> None:
        self._points, self._min_speed = list(points), min_images_per_s
        self.update()

    def points(self) -> list[PlotPoint]:
        return list(self._points)

    def sizeHint(self) -> QSize:
        return QSize(420, 300)

    def _ranges(self) -> tuple[float, float, float, float]:
        xs = [p.images_per_s for p in self._points] + [self._min_speed]
        ys = [p.accuracy for p in self._points]
        low, high = max(0.0, min(ys) - 0.05), min(1.0, max(ys) + 0.02)
        return 0.0, (max(xs) * 1.1) or 1.0, low, high if high > low else low + 0.05

    def paintEvent(self, event: QPaintEvent) -> None:
        title = _("Accuracy and speed of each architecture")
        painter = titled_painter(self, title, 6, not self._points)
        if painter is None:
            return
        area = QRectF(
            PAD_LEFT, PAD_TOP, self.width() - PAD_LEFT - PAD_RIGHT,
            self.height() - PAD_TOP - PAD_BOTTOM,
        )  # fmt: skip
        x0, x1, y0, y1 = self._ranges()

        def at(x: float, y: float) -> QPointF:
            return QPointF(
                area.left() + area.width() * (x - x0) / (x1 - x0),
                area.bottom() - area.height() * (y - y0) / max(1e-9, y1 - y0),
            )

        self._axes(painter, area, (x0, x1, y0, y1))
        if self._min_speed > 0:
            painter.setPen(QPen(PICK, 1, Qt.PenStyle.DashLine))
            painter.drawLine(at(self._min_speed, y0), at(self._min_speed, y1))
        front = sorted((p for p in self._points if p.on_front), key=lambda p: p.images_per_s)
        painter.setPen(QPen(FRONT, 2))
        for a, b in zip(front, front[1:], strict=False):
            painter.drawLine(at(a.images_per_s, a.accuracy), at(b.images_per_s, b.accuracy))
        for point in self._points:
            centre = at(point.images_per_s, point.accuracy)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(FRONT if point.on_front else OTHER)
            painter.drawEllipse(centre, 4, 4)
            if point.recommended:
                painter.setPen(QPen(PICK, 3))
                painter.setBrush(Qt.BrushStyle.NoBrush)
                painter.drawEllipse(centre, 9, 9)
                painter.drawText(centre + QPointF(12, -8), point.label)

    def _axes(self, painter: QPainter, area: QRectF, ranges: tuple[float, ...]) -> None:
        x0, x1, y0, y1 = ranges
        painter.setPen(self.palette().text().color())
        painter.drawLine(area.bottomLeft(), area.bottomRight())
        painter.drawLine(area.bottomLeft(), area.topLeft())
        for i in range(5):
            x = x0 + (x1 - x0) * i / 4
            px = area.left() + area.width() * i / 4
            painter.drawText(
                QRectF(px - 30, area.bottom() + 2, 60, 16),
                Qt.AlignmentFlag.AlignCenter,
                fmt_number(x, 1),
            )
            y = y0 + (y1 - y0) * i / 4
            py = area.bottom() - area.height() * i / 4
            painter.drawText(
                QRectF(0, py - 8, PAD_LEFT - 6, 16),
                Qt.AlignmentFlag.AlignRight,
                f"{fmt_number(100 * y)} %",
            )
        painter.drawText(
            QRectF(area.left(), area.bottom() + 18, area.width(), 18), Qt.AlignmentFlag.AlignCenter,
            _("images/s on this PC"),
        )  # fmt: skip

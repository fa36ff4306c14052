"""Small QPainter plots for the advanced pages: scatter, bars and lines, saved as PNG.

No plotting library: three plots do not justify a dependency, and QPainter is already here.
Each plot keeps its data (`points()`, `bars()`, `series()`) so tests can check what is drawn.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QWidget

from engine.i18n import fmt_number
from gui.widgets.group_chart import PALETTE

MARGIN_LEFT, MARGIN_BOTTOM, MARGIN_TOP, MARGIN_RIGHT = 56, 40, 26, 16


def save_png(widget: QWidget, path: Path) -> bool:
    """What the user sees, as a PNG file."""
    return widget.grab().save(str(path), "PNG")


class _Plot(QWidget):
    """Title, axes with labels, and a data area mapped from (0..xmax, 0..ymax)."""

    def __init__(
        self, title: str = "", x_label: str = "", y_label: str = "", parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.title, self.x_label, self.y_label = title, x_label, y_label
        self._left, self._right = MARGIN_LEFT, MARGIN_RIGHT  # widened to fit what is written
        self.setMinimumSize(280, 200)

    def sizeHint(self) -> QSize:
        return QSize(420, 280)

    def set_labels(self, title: str, x_label: str, y_label: str) -> None:
        self.title, self.x_label, self.y_label = title, x_label, y_label
        self.update()

    def area(self) -> QRectF:
        return QRectF(
            self._left,
            MARGIN_TOP,
            self.width() - self._left - self._right,
            self.height() - MARGIN_TOP - MARGIN_BOTTOM,
        )

    def _ticks(self, ymax: float) -> list[str]:
        return [fmt_number(ymax * step / 4, 1 if ymax < 10 else 0) for step in range(5)]

    def _frame(self, painter: QPainter, ymax: float, right: int = MARGIN_RIGHT) -> QRectF:
        """Axes, labels and tick numbers; the left margin grows to fit the widest number."""
        ticks = self._ticks(ymax)
        widest = max(painter.fontMetrics().horizontalAdvance(tick) for tick in ticks)
        self._left, self._right = max(MARGIN_LEFT, 22 + widest + 6), right
        box = self.area()
        painter.setPen(self.palette().text().color())
        painter.drawText(QRectF(0, 2, self.width(), 20), Qt.AlignmentFlag.AlignHCenter, self.title)
        painter.drawLine(box.bottomLeft(), box.topLeft())
        painter.drawLine(box.bottomLeft(), box.bottomRight())
        painter.drawText(
            QRectF(box.left(), box.bottom() + 20, box.width(), 18),
            Qt.AlignmentFlag.AlignHCenter,
            self.x_label,
        )
        painter.save()
        painter.translate(12, box.center().y())
        painter.rotate(-90)
        painter.drawText(
            QRectF(-box.height() / 2, -10, box.height(), 18),
            Qt.AlignmentFlag.AlignHCenter,
            self.y_label,
        )
        painter.restore()
        for step, tick in enumerate(ticks):
            y = box.bottom() - box.height() * step / 4
            painter.drawText(
                QRectF(22, y - 8, self._left - 28, 16), Qt.AlignmentFlag.AlignRight, tick
            )
        return box


def _top(values: list[float]) -> float:
    return max([v for v in values if v > 0], default=1.0) * 1.1


class ScatterPlot(_Plot):
    """One labelled point per item (a variant: agreement vs images/s)."""

    def __init__(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        self._points: list[tuple[float, float, str]] = []

    def set_points(self, points: list[tuple[float, float, str]]) -> None:
        self._points = list(points)
        self.update()

    def points(self) -> list[tuple[float, float, str]]:
        return list(self._points)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        xmax, ymax = _top([p[0] for p in self._points]), _top([p[1] for p in self._points])
        box = self._frame(painter, ymax)
        painter.drawText(
            QRectF(box.right() - 80, box.bottom() + 2, 80, 16),
            Qt.AlignmentFlag.AlignRight,
            fmt_number(xmax, 1),
        )
        for index, (x, y, label) in enumerate(self._points):
            at = QPointF(
                box.left() + box.width() * x / xmax, box.bottom() - box.height() * y / ymax
            )
            painter.setBrush(QColor(PALETTE[index % len(PALETTE)]))
            painter.drawEllipse(at, 5, 5)
            painter.drawText(at + QPointF(7, -6), label)


class BarPlot(_Plot):
    """Vertical bars, one per label (images/s per backend and variant; GFLOP/s vs peak)."""

    def __init__(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        self._bars: list[tuple[str, float]] = []

    def set_bars(self, bars: list[tuple[str, float]]) -> None:
        self._bars = list(bars)
        self.update()

    def bars(self) -> list[tuple[str, float]]:
        return list(self._bars)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        ymax = _top([value for _label, value in self._bars])
        box = self._frame(painter, ymax)
        if not self._bars:
            return
        slot = box.width() / len(self._bars)
        for index, (label, value) in enumerate(self._bars):
            height = box.height() * value / ymax
            bar = QRectF(
                box.left() + slot * index + slot * 0.15, box.bottom() - height, slot * 0.7, height
            )
            painter.fillRect(bar, QColor(PALETTE[index % len(PALETTE)]))
            painter.save()
            painter.translate(bar.center().x() + 4, box.bottom() - 4)
            painter.rotate(-90)
            painter.drawText(0, 0, label)
            painter.restore()


class LinePlot(_Plot):
    """Named series of (x, y) points (latency vs batch size, one line per backend)."""

    def __init__(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        self._series: dict[str, list[tuple[float, float]]] = {}
        self.y_max: float | None = None  # a fixed top (100 for percentages), else the data's
        self.x_ticks = False  # write each point's x under the axis (thresholds)

    def set_series(self, series: dict[str, list[tuple[float, float]]]) -> None:
        self._series = {name: sorted(points) for name, points in series.items()}
        self.update()

    def series(self) -> dict[str, list[tuple[float, float]]]:
        return dict(self._series)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        every = [p for points in self._series.values() for p in points]
        xmax, ymax = _top([p[0] for p in every]), self.y_max or _top([p[1] for p in every])
        metrics = painter.fontMetrics()
        legend = max([metrics.horizontalAdvance(name) for name in self._series] or [0])
        # the legend sits right of the lines, never over them
        box = self._frame(painter, ymax, MARGIN_RIGHT + (legend + 24 if legend else 0))
        for index, (name, points) in enumerate(self._series.items()):
            color = QColor(PALETTE[index % len(PALETTE)])
            painter.setPen(QPen(color, 2))
            mapped = [
                QPointF(box.left() + box.width() * x / xmax, box.bottom() - box.height() * y / ymax)
                for x, y in points
            ]
            for a, b in zip(mapped, mapped[1:], strict=False):
                painter.drawLine(a, b)
            for point in mapped:
                painter.drawEllipse(point, 3, 3)
            y = box.top() + 16 * (index + 1)
            painter.drawLine(QPointF(box.right() + 6, y - 4), QPointF(box.right() + 18, y - 4))
            painter.setPen(self.palette().text().color())
            painter.drawText(QPointF(box.right() + 22, y), name)
        if self.x_ticks:
            self._paint_x_ticks(painter, box, xmax, sorted({p[0] for p in every}))

    def _paint_x_ticks(self, painter: QPainter, box: QRectF, xmax: float, xs: list[float]) -> None:
        """One number under each point, leaving out any that would touch the one before."""
        metrics, last = painter.fontMetrics(), float("-inf")
        for x in xs:
            text, at = fmt_number(x, 2), box.left() + box.width() * x / xmax
            half = metrics.horizontalAdvance(text) / 2 + 3
            if at - half < last:
                continue
            painter.drawText(
                QRectF(at - half, box.bottom() + 2, 2 * half, 16), Qt.AlignmentFlag.AlignHCenter,
                text,
            )  # fmt: skip
            last = at + half

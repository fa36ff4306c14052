"""A picture that fits whatever room it is given, or a line of text where there is none.

Why not a QLabel with a pixmap: a label asks for the pixmap's size, so a large preview pushed
the window taller than a laptop's screen and squeezed the title below over the picture. This
widget paints the image scaled into its own rectangle and asks only for a small minimum.
Boxes (`set_shapes`) are painted over it; with `drawing` on, a rectangle dragged with the
mouse is reported normalised to the picture (`drawn`): a person adds a box the detector missed.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRect, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QImage, QMouseEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from gui.widgets.box_painter import Shape, paint_shapes

BACKGROUND = QColor("#222")
FOREGROUND = QColor("#ddd")


class Picture(QWidget):
    """`set_image(image)` shows a picture; `setText(text)` shows a message instead."""

    drawn = Signal(tuple)  # (x, y, w, h), normalised to the picture

    def __init__(self, minimum: QSize, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._image: QImage | None = None
        self._text = ""
        self._shapes: list[Shape] = []
        self.drawing = False
        self._drag: tuple[QPointF, QPointF] | None = None
        self.setMinimumSize(minimum)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def sizeHint(self) -> QSize:
        return self.minimumSize() * 2

    def set_image(self, image: QImage) -> None:
        self._image, self._text = image, ""
        self.update()

    def setText(self, text: str) -> None:  # noqa: N802 - QLabel's name, so callers read alike
        self._image, self._text, self._shapes = None, text, []
        self.update()

    def set_shapes(self, shapes: list[Shape]) -> None:
        self._shapes = list(shapes)
        self.update()

    def shapes(self) -> list[Shape]:
        return list(self._shapes)

    def picture_rect(self) -> QRectF:
        """Where the picture is painted (empty when there is none)."""
        if self._image is None or self._image.isNull():
            return QRectF()
        size = self._image.size().scaled(self.size(), Qt.AspectRatioMode.KeepAspectRatio)
        target = QRect(0, 0, size.width(), size.height())
        target.moveCenter(self.rect().center())
        return QRectF(target)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if self.drawing and self.picture_rect().contains(event.position()):
            self._drag = (event.position(), event.position())
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._drag is not None:
            self._drag = (self._drag[0], event.position())
            self.update()
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self._drag is None:
            return super().mouseReleaseEvent(event)
        start, _end = self._drag
        self._drag = None
        self.update()
        picture = self.picture_rect()
        dragged = QRectF(start, event.position()).normalized().intersected(picture)
        if dragged.width() >= 4 and dragged.height() >= 4:  # a click is not a box
            self.drawn.emit((
                (dragged.left() - picture.left()) / picture.width(),
                (dragged.top() - picture.top()) / picture.height(),
                dragged.width() / picture.width(), dragged.height() / picture.height(),
            ))  # fmt: skip
        return None

    def text(self) -> str:
        return self._text

    def image(self) -> QImage | None:
        return self._image

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), BACKGROUND)
        if self._image is None or self._image.isNull():
            painter.setPen(FOREGROUND)
            flags = Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap
            painter.drawText(self.rect().adjusted(8, 8, -8, -8), flags, self._text)
            return
        target = self.picture_rect()
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        painter.drawImage(target, self._image)
        paint_shapes(painter, target, self._shapes)
        if self._drag is not None:
            painter.setPen(QPen(QColor("white"), 2, Qt.PenStyle.DashLine))
            painter.drawRect(QRectF(*self._drag).normalized())

"""A picture that fits whatever room it is given, or a line of text where there is none.

Why not a QLabel with a pixmap: a label asks for the pixmap's size, so a large preview pushed
the window taller than a laptop's screen and squeezed the title below over the picture. This
widget paints the image scaled into its own rectangle and asks only for a small minimum.
"""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

BACKGROUND = QColor("#222")
FOREGROUND = QColor("#ddd")


class Picture(QWidget):
    """`set_image(image)` shows a picture; `setText(text)` shows a message instead."""

    def __init__(self, minimum: QSize, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._image: QImage | None = None
        self._text = ""
        self.setMinimumSize(minimum)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def sizeHint(self) -> QSize:
        return self.minimumSize() * 2

    def set_image(self, image: QImage) -> None:
        self._image, self._text = image, ""
        self.update()

    def setText(self, text: str) -> None:  # noqa: N802 - QLabel's name, so callers read alike
        self._image, self._text = None, text
        self.update()

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
        size = self._image.size().scaled(self.size(), Qt.AspectRatioMode.KeepAspectRatio)
        target = QRect(0, 0, size.width(), size.height())
        target.moveCenter(self.rect().center())
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        painter.drawImage(target, self._image)

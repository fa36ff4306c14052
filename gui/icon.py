"""Render the app icon's PNG from its SVG with Qt (run once when the SVG changes).

QT_QPA_PLATFORM=offscreen python -m gui.icon
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

from engine.paths import assets_dir


def render_png(svg: Path, png: Path, size: int = 256) -> Path:
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    QSvgRenderer(str(svg)).render(painter)
    painter.end()
    if not image.save(str(png)):
        raise OSError(f"cannot write {png}")
    return png


if __name__ == "__main__":
    app = QGuiApplication([])
    folder = assets_dir() / "icons"
    print(render_png(folder / "ocelote.svg", folder / "ocelote.png"))

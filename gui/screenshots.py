"""Screenshots of the main states (start, running, results, review) in Spanish and English.

    QT_QPA_PLATFORM=offscreen .venv/bin/python -m gui.screenshots [OUT_FOLDER] [--boxes-only]

Writes `{en,es}-{start,running,results,review}.png` (default `docs/screenshots/`), and the same
at a 1366×768 laptop's size as `{en,es}-{state}-1366x768.png`; from a source checkout also
`{en,es}-{results,review}-boxes.png`, boxes from the stand-in detector (gui/screenshot_boxes.py).
Settings and results go to a temporary folder, so the user's own settings are never touched.
Run it again after the Spanish catalog is translated, so the Spanish pictures show Spanish menus
too.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QSettings  # noqa: E402
from PySide6.QtGui import QImage  # noqa: E402
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

from engine.bench.copies import link_or_copy  # noqa: E402
from engine.paths import assets_dir, install_root  # noqa: E402
from gui import screenshot_boxes  # noqa: E402
from gui.app import build_window  # noqa: E402
from gui.jobs import running_threads, wait_all  # noqa: E402
from gui.settings import Settings  # noqa: E402

SIZES = {"": (1280, 820), "-1366x768": (1366, 768)}  # file-name suffix -> window size
COPIES = 6  # a card of 60 photos, so the running state lasts long enough to be caught


def wait_until(condition: Callable[[], bool], timeout: float = 120.0) -> None:
    end = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > end:
            raise TimeoutError("the window did not reach the expected state")
        QApplication.processEvents()
        time.sleep(0.01)


def settle(seconds: float = 0.5) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        QApplication.processEvents()
        time.sleep(0.01)


def make_card(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for copy in range(COPIES):
        for image in sorted((assets_dir() / "samples").glob("*.[jJ][pP][gG]")):
            target = folder / f"{copy:02d}_{image.name}"
            if not target.exists():
                link_or_copy(image, target)
    return folder


def write_png(widget: QWidget, path: Path) -> None:
    """A 256-colour PNG: a third of the size, no visible loss for a window."""
    image = widget.grab().toImage().convertToFormat(QImage.Format.Format_Indexed8)
    image.save(str(path))
    print(path)


def save(widget: QWidget, path: Path) -> None:
    settle(0.3)
    write_png(widget, path)


def shoot(language: str, out: Path, work: Path, suffix: str = "") -> None:
    settings = Settings()
    settings.language = language
    settings.results_root = str(work / f"results-{language}{suffix}")
    window = build_window(settings)
    window.resize(*SIZES[suffix])
    window.show()
    wait_until(lambda: not running_threads())
    save(window, out / f"{language}-start{suffix}.png")

    page = window.classify_page
    caught: list[bool] = []

    def grab_running(event) -> None:  # noqa: ANN001 - engine Progress
        if not caught and event.done >= event.total // 3:
            caught.append(True)
            write_png(window, out / f"{language}-running{suffix}.png")

    page.runner.progress.connect(grab_running)
    ready: list[Path] = []
    page.results_ready.connect(ready.append)
    page.start([make_card(work / "SD_card_Camara_07")])
    wait_until(lambda: bool(ready))
    page.gallery.setCurrentIndex(page.gallery.model().index(3, 0))
    settle(1.5)  # thumbnails and the preview decode off the GUI thread
    save(window, out / f"{language}-results{suffix}.png")

    window.tabs.setCurrentIndex(1)
    review = window.review_page
    review.list.setCurrentIndex(review.proxy.index(1, 0))
    review.list.setFocus()
    settle(1.5)
    save(window, out / f"{language}-review{suffix}.png")
    page.runner.progress.disconnect(grab_running)
    window.close()
    wait_all()
    window.deleteLater()
    settle(0.2)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    boxes_only = "--boxes-only" in args
    args = [arg for arg in args if arg != "--boxes-only"]
    out = Path(args[0]) if args else install_root() / "docs" / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory() as temp:
        work = Path(temp)
        QSettings.setDefaultFormat(QSettings.Format.IniFormat)
        QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(work))
        for suffix in SIZES if not boxes_only else ():
            for language in ("en", "es"):
                shoot(language, out, work, suffix)
        if screenshot_boxes.available():
            screenshot_boxes.install_standins(work / "data")
            for language in ("en", "es"):
                screenshot_boxes.shoot_boxes(language, out, work, save, wait_until, settle)
    app.processEvents()
    return 0


if __name__ == "__main__":
    sys.exit(main())

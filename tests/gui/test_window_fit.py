"""The window fits a 1280×720 screen: it scrolls instead of growing, and what a ranger needs
(progress, Cancel, the correction box, Accept and Undo) stays on screen in every state."""

from pathlib import Path

import pytest
from PySide6.QtCore import QRect
from PySide6.QtWidgets import QWidget

from engine.bench.copies import link_or_copy
from gui.widgets.gallery import ItemRole
from tests.gui.gui_helpers import JOB_TIMEOUT_MS, SAMPLES, drop_paths

SCREEN = (1280, 720)


def photos_and_a_video(folder: Path, shared_data: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for image in sorted(SAMPLES.glob("*.jpg"))[:4]:
        link_or_copy(image, folder / image.name)
    link_or_copy(shared_data / "camera_trap_videos" / "chimp.mp4", folder / "chimp.mp4")
    return folder


def fits(window: QWidget) -> bool:
    hint = window.minimumSizeHint()
    return hint.width() <= SCREEN[0] and hint.height() <= SCREEN[1]


def on_screen(window: QWidget, widget: QWidget) -> bool:
    """Shown and wholly inside the window's 1280×720 client area."""
    top_left = widget.mapTo(window, widget.rect().topLeft())
    return widget.isVisible() and QRect(0, 0, *SCREEN).contains(QRect(top_left, widget.size()))


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_window_fits_1280x720_while_running_and_with_a_video_shown(
    qtbot, window, tmp_path, shared_data, language
):
    window.set_language(language)
    window.resize(*SCREEN)
    page = window.classify_page
    during: list[tuple[bool, bool, bool]] = []

    def check(_event) -> None:  # noqa: ANN001 - engine Progress
        window.resize(*SCREEN)
        during.append(
            (fits(window), on_screen(window, page.progress), on_screen(window, page.cancel_button))
        )

    page.runner.progress.connect(check)
    with qtbot.waitSignal(page.results_ready, timeout=JOB_TIMEOUT_MS):
        drop_paths(page.drop_zone, [photos_and_a_video(tmp_path / "card", shared_data)])
    assert during and all(all(state) for state in during), during

    shown = page.gallery.model()
    video = next(
        shown.index(r, 0)
        for r in range(shown.rowCount())
        if shown.index(r, 0).data(ItemRole).is_video
    )
    page.gallery.setCurrentIndex(video)
    assert not page.detail.strip.isHidden()
    window.resize(*SCREEN)
    qtbot.wait(50)
    assert fits(window), window.minimumSizeHint()
    assert window.size().height() <= SCREEN[1]

    window.tabs.setCurrentIndex(1)
    review = window.review_page
    review.list.setCurrentIndex(review.proxy.index(0, 0))
    window.resize(*SCREEN)
    qtbot.wait(50)
    assert fits(window), window.minimumSizeHint()
    for needed in (review.editor, review.accept_button, review.undo_button):
        assert on_screen(window, needed), needed


def test_every_page_fits_1280x720(qtbot, window):
    window.set_language("es")  # the longer texts
    for tab in range(window.tabs.count()):
        window.tabs.setCurrentIndex(tab)
        assert fits(window), (window.tabs.tabText(tab), window.minimumSizeHint())


def test_the_side_panel_folds_away(qtbot, window):
    page = window.classify_page
    page.side_button.click()
    assert page.side_panel.isHidden()
    page.side_button.click()
    assert not page.side_panel.isHidden()

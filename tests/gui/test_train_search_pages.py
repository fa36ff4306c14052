"""The Train and Search pages, driven like a ranger would, on a tiny labelled folder."""

from pathlib import Path

import pytest

from engine.i18n import set_language
from engine.models.store import find_card
from engine.search.head import HeadSpec
from engine.search.nas import Space
from gui.search_page import SearchPage
from gui.train_page import FOLDERS, TrainPage
from tests.engine.search.labelled import make_labelled_folder

TIMEOUT_MS = 120_000


@pytest.fixture(scope="module")
def tiny_folder(trap_images: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_labelled_folder(trap_images, tmp_path_factory.mktemp("tiny"), per_class=5)


def _load(qtbot, page, folder: Path) -> None:
    page.source.set_source(FOLDERS, folder)
    with qtbot.waitSignal(page.source.loaded, timeout=TIMEOUT_MS):
        page.source.load_button.click()


def test_train_page_trains_shows_metrics_and_installs(qtbot, tiny_folder):
    page = TrainPage()
    qtbot.addWidget(page)
    page.show()
    _load(qtbot, page, tiny_folder)
    assert page.counts.rowCount() == 4 and page.train_button.isEnabled()
    with qtbot.waitSignal(page.trained, timeout=TIMEOUT_MS) as trained:
        page.train_button.click()
    result = trained.args[0]
    assert result is not None and result.metrics.accuracy > result.metrics.majority
    assert "Cross-validated accuracy" in page.accuracy.text()
    assert page.per_class.rowCount() == 4
    assert sum(map(sum, page.confusion.matrix())) == 20
    assert not page.confusion.grab().isNull()
    page.name.setText("GUI park")
    with qtbot.waitSignal(page.installed, timeout=TIMEOUT_MS) as installed:
        page.install_button.click()
    assert installed.args[0] == "custom-gui-park"
    assert len(find_card("custom-gui-park").labels) == 4
    set_language("es")
    page.retranslate()
    assert page.train_button.text() and page.head.count() == 2


def test_search_page_plots_the_front_and_installs(qtbot, tiny_folder):
    page = SearchPage()
    qtbot.addWidget(page)
    page.show()
    page.space = Space(("fp32",), (160,), ("final", "block10"), (HeadSpec(),))
    _load(qtbot, page, tiny_folder)
    page.budget.setValue(60)
    page.min_speed.setValue(5000)
    with qtbot.waitSignal(page.searched, timeout=TIMEOUT_MS) as searched:
        page.search_button.click()
    result = searched.args[0]
    assert result is not None and result.recommended is not None
    points = page.plot.points()
    assert len(points) == len(result.points) >= 2
    assert sum(p.recommended for p in points) == 1
    assert "Recommended:" in page.summary.text()
    assert not page.plot.grab().isNull()
    page.name.setText("GUI fast park")
    with qtbot.waitSignal(page.installed, timeout=TIMEOUT_MS) as installed:
        page.install_button.click()
    assert find_card(installed.args[0]).input_size == 160


def test_cancel_stops_a_search(qtbot, tiny_folder):
    page = SearchPage()
    qtbot.addWidget(page)
    page.space = Space(("fp32",), (192,), ("final",), (HeadSpec(),))
    _load(qtbot, page, tiny_folder)
    with qtbot.waitSignal(page.searched, timeout=TIMEOUT_MS) as searched:
        page.search_button.click()
        page.cancel_button.click()
    assert searched.args[0] is None
    assert page.search_button.isEnabled()


def test_window_has_train_and_search_tabs(window):
    texts = [window.tabs.tabText(i) for i in range(window.tabs.count())]
    assert "Train" in texts and "Search" in texts

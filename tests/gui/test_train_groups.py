"""A park's classes go into the groups the ranger confirms when training, with defaults from the
bundled model's taxonomy, so the window's chart, filters and sorting keep their meaning."""

from pathlib import Path

import pytest

from engine.models.store import find_card
from gui.train_page import FOLDERS, TrainPage
from tests.engine.search.labelled import make_labelled_folder

TIMEOUT_MS = 120_000


@pytest.fixture(scope="module")
def tiny_folder(trap_images: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_labelled_folder(trap_images, tmp_path_factory.mktemp("tiny"), per_class=5)


def test_groups_are_asked_with_taxonomy_defaults_and_reach_the_installed_model(qtbot, tiny_folder):
    page = TrainPage()
    qtbot.addWidget(page)
    page.show()
    page.source.set_source(FOLDERS, tiny_folder)
    with qtbot.waitSignal(page.source.loaded, timeout=TIMEOUT_MS):
        page.source.load_button.click()
    boxes = {
        info.key: page.counts.cellWidget(row, 2) for row, info in enumerate(page.dataset.classes)
    }
    defaults = {key: box.currentData() for key, box in boxes.items()}
    assert defaults == {
        "empty": "background",
        "elephant": "ungulates",  # every known "... elephant" label is an ungulate
        "dog": "canids",
        "cattle": "other_animals",  # no known label says "cattle": the ranger decides
    }
    boxes["cattle"].setCurrentIndex(boxes["cattle"].findData("ungulates"))
    with qtbot.waitSignal(page.trained, timeout=TIMEOUT_MS):
        page.train_button.click()
    page.name.setText("Grouped park")
    with qtbot.waitSignal(page.installed, timeout=TIMEOUT_MS) as installed:
        page.install_button.click()
    card = find_card(installed.args[0])
    groups = {label.en: label.group for label in card.labels}
    assert groups == {"empty": "background", "cattle": "ungulates", "dog": "canids",
                      "elephant": "ungulates"}  # fmt: skip


def test_search_takes_the_taxonomy_groups_too(qtbot, tiny_folder):
    from gui.search_page import SearchPage

    page = SearchPage()
    qtbot.addWidget(page)
    page.source.set_source(FOLDERS, tiny_folder)
    with qtbot.waitSignal(page.source.loaded, timeout=TIMEOUT_MS):
        page.source.load_button.click()
    groups = {info.key: info.group for info in page.dataset.classes}
    assert groups["elephant"] == "ungulates" and groups["dog"] == "canids"

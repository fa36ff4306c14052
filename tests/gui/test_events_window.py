"""Events and repeated detections in the window, on a results folder made by the real job.

The Snapshot Serengeti bursts (EXIF times: 5 photos, 3 events) and the squirrel sequence (no
capture times: one event per photo) are classified by the real job, motion step included. No
detector is installed, so a box on the same rock in every squirrel frame is written into the
real results database as a detector run stores it (as tests/engine/events do), and the engine
finds the repeat group.
"""

import shutil
import sqlite3
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from engine import i18n
from engine.events.refresh import refresh_events
from engine.pipeline.job import RESULTS_DB, ClassifyJob, JobSettings
from engine.results.events_store import EventsStore
from gui.widgets.gallery import ItemRole
from tests.engine.events.trap_run import SERENGETI, SQUIRRELS, add_rock_boxes


@pytest.fixture(scope="module")
def made_run(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(source, results) of one real run with a repeated rock box in the squirrel frames."""
    root = tmp_path_factory.mktemp("events-window")
    source = root / "card"
    for folder, pattern in ((SQUIRRELS, "*.jpg"), (SERENGETI, "*.JPG")):
        (source / folder).mkdir(parents=True)
        for photo in (shared_data / folder).glob(pattern):
            shutil.copy2(photo, source / folder / photo.name)
    results = root / "results"
    ClassifyJob(JobSettings(source=source, out_dir=results, batch_size=8)).run()
    db_path = results / RESULTS_DB
    with sqlite3.connect(db_path) as conn:
        add_rock_boxes(conn)
    refresh_events(db_path)
    return source, results


@pytest.fixture
def page(made_run, window, qtbot, tmp_path: Path):
    """The classify page showing a private copy of the run (a dismissal writes to it)."""
    source, results = made_run
    copy = tmp_path / "results-copy"
    shutil.copytree(results, copy)
    page = window.classify_page
    with qtbot.waitSignal(page.results_ready, timeout=30000):
        page.open_results(copy, source)
    return page


def shown_paths(page) -> list[str]:
    model = page.gallery.model()
    return [model.index(row, 0).data(ItemRole).rel_path for row in range(model.rowCount())]


def test_group_by_event_shows_one_tile_per_event_and_expands(page, qtbot):
    with EventsStore(page.out_dir / RESULTS_DB) as store:
        events = store.events()
        burst = next(e for e in events if e.files == 2)
        burst_files = store.event_files(burst.event_id)
    assert len(shown_paths(page)) == 19
    page.events_bar.group.setChecked(True)
    tiles = shown_paths(page)
    assert len(tiles) == len(events) == 17
    model = page.gallery.model()
    row = next(r for r, rel in enumerate(tiles) if rel in burst_files)
    caption = model.index(row, 0).data(Qt.ItemDataRole.DisplayRole)
    assert "2 photos" in caption and "animal" in caption

    page.gallery.setFocus()
    page.gallery.setCurrentIndex(model.index(row, 0))
    qtbot.keyClick(page.gallery, Qt.Key.Key_Return)
    assert shown_paths(page) == burst_files
    assert not page.events_bar.back.isHidden()
    assert "photos" not in model.index(0, 0).data(Qt.ItemDataRole.DisplayRole)

    page.events_bar.back.click()
    assert len(shown_paths(page)) == 17 and page.events_bar.back.isHidden()
    row = next(r for r, rel in enumerate(shown_paths(page)) if rel in burst_files)
    centre = page.gallery.visualRect(model.index(row, 0)).center()
    qtbot.mouseClick(page.gallery.viewport(), Qt.MouseButton.LeftButton, pos=centre)
    qtbot.mouseDClick(page.gallery.viewport(), Qt.MouseButton.LeftButton, pos=centre)
    assert shown_paths(page) == burst_files
    page.events_bar.group.setChecked(False)
    assert len(shown_paths(page)) == 19


def test_filter_by_event_id(page):
    with EventsStore(page.out_dir / RESULTS_DB) as store:
        wanted = store.event_files("E000002")
    page.events_bar.event_filter.setText("e000002")
    assert shown_paths(page) == wanted and len(wanted) == 2
    page.events_bar.event_filter.clear()
    assert len(shown_paths(page)) == 19


def test_dismissing_a_repeat_group_changes_the_engine_and_the_counts(page, qtbot):
    db_path = page.out_dir / RESULTS_DB
    bar = page.events_bar
    assert bar.counts.text() == "17 events"
    dialog = bar.open_repeats()
    qtbot.addWidget(dialog)
    (group,) = dialog.groups()
    assert "14 frames" in dialog.texts[group.id].text()
    assert "microsoft-CameraTraps" in dialog.texts[group.id].text()
    thumb = dialog.thumbs[group.id].pixmap().toImage()  # a real frame, not the grey stand-in
    middle = thumb.height() // 2
    assert len({thumb.pixel(x, middle) for x in range(0, thumb.width(), 6)}) > 3

    dialog.buttons[group.id].click()
    with EventsStore(db_path) as store:
        assert store.dismissed_detections() == set(group.detection_ids)
        assert len(store.events()) == 17
    assert bar.counts.text() == "17 events · 14 repeated boxes dismissed"
    assert dialog.buttons[group.id].text() == "Restore"
    assert "dismissed" in dialog.texts[group.id].text()

    dialog.buttons[group.id].click()  # undo
    with EventsStore(db_path) as store:
        assert store.dismissed_detections() == set()
    assert bar.counts.text() == "17 events"
    assert dialog.buttons[group.id].text() == "Dismiss all"


def test_events_texts_in_spanish(page):
    i18n.set_language("es")
    page.retranslate()
    assert page.events_bar.group.text() == "Agrupar por evento"
    assert page.events_bar.counts.text() == "17 eventos"

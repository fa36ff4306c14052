"""Boxes in the window: drawn on tiles, the preview and the review picture; a confidence slider
that re-reads stored boxes (no run); box review; any species name typed.

Real job, real stand-in detector (tests/data/models/standin-det-yolov5: white patch = animal
0.9 plus the same box as "person" 0.03, red = person 0.8, blue = vehicle 0.7) and the tiny
species classifier, imported into a private store.
"""

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor

from engine import i18n
from engine.models.store import find_card
from engine.pipeline.job import RESULTS_DB
from engine.results.boxes import boxes_at, counts_at, run_models
from engine.results.db import ResultsDB
from engine.results.rows import DetectionRow
from engine.store.importing import import_path
from gui import jobs
from gui.widgets.box_painter import COLOURS, boxed_image, shapes_of
from gui.widgets.gallery import ItemRole
from tests.engine.detection.standin_packs import PACKS, SPECIES_ID, make_species_classifier, scene
from tests.gui.gui_helpers import SAMPLES, run_folder

ANIMAL = (60, 40, 140, 120)  # left, top, right, bottom of a 320×240 photo


@pytest.fixture
def detector_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """One stand-in detector and the tiny species classifier, installed as a ranger would."""
    monkeypatch.setenv("OCELOTE_DATA_DIR", str(tmp_path / "user-data"))
    import_path(PACKS / "standin-det-yolov5")
    import_path(make_species_classifier(tmp_path / "made" / SPECIES_ID))


@pytest.fixture
def boxes_window(detector_store, qtbot, tmp_path: Path):
    from gui.app import build_window
    from gui.settings import Settings

    settings = Settings()
    settings.language = "en"
    settings.results_root = str(tmp_path / "results")
    settings.model_id = SPECIES_ID
    win = build_window(settings)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitUntil(lambda: not jobs.running_threads(), timeout=30000)
    source = tmp_path / "card"
    source.mkdir()
    scene(source / "a_animal_person.jpg", (320, 240), {"animal": ANIMAL,
          "person": (200, 150, 260, 230)})  # fmt: skip
    scene(source / "b_vehicle.jpg", (320, 240), {"vehicle": (100, 60, 220, 160)})
    scene(source / "c_empty.jpg", (320, 240), {})
    run_folder(qtbot, win, source)
    return win


def item_named(window, name: str):
    return next(item for item in window.model.items() if item.rel_path == name)


def db_of(window) -> ResultsDB:
    return ResultsDB(window.classify_page.out_dir / RESULTS_DB)


def close_to(colour: QColor, wanted: str, tolerance: int = 40) -> bool:
    other = QColor(wanted)
    return all(
        abs(a - b) <= tolerance
        for a, b in zip(colour.getRgb()[:3], other.getRgb()[:3], strict=True)
    )


def test_boxes_drawn_on_the_tile_and_the_preview(qtbot, boxes_window):
    window = boxes_window
    page = window.classify_page
    assert page.threshold_bar.slider_row.isVisible()
    assert not page.threshold_bar.notice.isVisible()
    item = item_named(window, "a_animal_person.jpg")
    qtbot.waitUntil(lambda: window.model.tile_image(item) is not None, timeout=30000)
    tile = window.model.tile_image(item)
    left = round(ANIMAL[0] / 320 * tile.width())
    middle = round((ANIMAL[1] + ANIMAL[3]) / 2 / 240 * tile.height())
    edge = [tile.pixelColor(left + dx, middle) for dx in (-1, 0, 1)]
    assert any(close_to(c, COLOURS["animal"]) for c in edge)  # the animal's box, drawn
    # the stand-in's white patch: a felid the tiny classifier is unsure of, rolled up
    assert window.model.caption(item).startswith("Felidae (family)")
    assert window.model.caption(item_named(window, "c_empty.jpg")).startswith("empty")

    row = next(r for r in range(page.proxy.rowCount())
               if page.proxy.index(r, 0).data(ItemRole).rel_path == item.rel_path)  # fmt: skip
    page.gallery.setCurrentIndex(page.proxy.index(row, 0))
    picture = page.detail.image
    qtbot.waitUntil(lambda: bool(picture.shapes()), timeout=30000)
    assert sorted(s.category for s in picture.shapes()) == ["animal", "person"]
    assert any("Felidae" in s.text and "%" in s.text for s in picture.shapes())
    assert not any(s.motion for s in picture.shapes())
    drawn = picture.grab().toImage()
    target = picture.picture_rect()
    x = round(target.left() + ANIMAL[0] / 320 * target.width())
    y = round(target.top() + (ANIMAL[1] + ANIMAL[3]) / 2 / 240 * target.height())
    assert any(close_to(drawn.pixelColor(x + dx, y), COLOURS["animal"]) for dx in (-1, 0, 1))


def test_the_slider_rereads_boxes_without_a_run(qtbot, boxes_window):
    window = boxes_window
    page = window.classify_page
    started: list = []
    page.runner.started.connect(started.append)
    page.starting.connect(lambda: started.append("starting"))
    with db_of(window) as db:
        runs_before = db.latest_run()
        models = run_models(db, find_card(SPECIES_ID))
    assert (models.typical, models.conservative) == (0.2, 0.05)
    assert page.threshold_bar.threshold == pytest.approx(0.2)
    vehicle = item_named(window, "b_vehicle.jpg")
    at_typical = dict(page.chart.rows())
    assert at_typical == {"animal": 1, "vehicle": 1, "empty": 1}
    assert window.model.caption(vehicle).startswith("vehicle")
    text_typical = page.threshold_bar.counts.text()

    page.filters.answer.setCurrentIndex(page.filters.answer.findData("empty"))
    shown = [page.proxy.index(r, 0).data(ItemRole).rel_path for r in range(page.proxy.rowCount())]
    assert shown == ["c_empty.jpg"]
    page.threshold_bar.slider.setValue(75)  # above the vehicle's 0.7
    qtbot.waitUntil(lambda: dict(page.chart.rows()) == {"animal": 1, "empty": 2})
    assert window.model.caption(vehicle).startswith("empty")
    assert page.proxy.rowCount() == 2  # the empties, read again at the new threshold
    page.filters.answer.setCurrentIndex(0)
    page.threshold_bar.conservative_button.click()  # 0.05
    page.threshold_bar.slider.setValue(2)  # the stand-in's doubtful "person" at 0.03 counts
    qtbot.waitUntil(lambda: "person 2" in page.threshold_bar.counts.text())
    assert page.threshold_bar.counts.text() != text_typical
    with db_of(window) as db:
        for threshold in (0.02, 0.2, 0.75):
            page.threshold_bar.set_threshold(threshold)
            assert window.model.boxes.counts(window.model.items()) == counts_at(
                db, models, threshold
            )
        assert counts_at(db, models, 0.02).boxes["person"] == 2
        assert counts_at(db, models, 0.2).boxes["person"] == 1
        assert db.latest_run() == runs_before  # no model ran again
    assert started == [] and not page.runner.is_running()


def open_review(window, name: str):
    window.tabs.setCurrentIndex(1)
    review = window.review_page
    for row in range(review.proxy.rowCount()):
        if review.proxy.index(row, 0).data(ItemRole).rel_path == name:
            review.list.setCurrentIndex(review.proxy.index(row, 0))
    review.list.setFocus()
    return review


def test_review_a_box_reject_relabel_draw_and_undo(qtbot, boxes_window):
    window = boxes_window
    page = window.classify_page
    review = open_review(window, "a_animal_person.jpg")
    panel = review.box_panel
    assert panel.isVisible()
    assert [box.category for box in panel.boxes] == ["animal", "person"]
    assert dict(page.chart.rows())["animal"] == 1

    panel.list.setCurrentRow(1)
    panel.reject_button.click()  # the person was a shadow
    models = window.model.boxes.models
    with db_of(window) as db:
        assert counts_at(db, models, 0.2).boxes["person"] == 0
    qtbot.waitUntil(lambda: "Person 0" in page.threshold_bar.counts.text().title())
    assert [box.category for box in panel.boxes] == ["animal"]

    assert "ocelot — Leopardus pardalis" in review.names.entries  # the classifier's taxonomy
    assert review.names.label_for("pardalis") == review.names.label_for("ocelote") == 0
    panel.list.setCurrentRow(0)
    qtbot.keyClicks(review.list, "o")  # type-ahead to the name field
    qtbot.keyClicks(review.editor, "celot")
    qtbot.keyClick(review.editor, Qt.Key.Key_Return)
    qtbot.keyClicks(review.list, "t")
    qtbot.keyClicks(review.editor, "ayra")  # a name the classifier does not know
    qtbot.keyClick(review.editor, Qt.Key.Key_Return)
    with db_of(window) as db:
        relabels = [r for r in db.box_reviews("a_animal_person.jpg") if r.action == "relabel"]
        assert [r.label for r in relabels] == ["ocelot", "tayra"]
    assert window.model.caption(item_named(window, "a_animal_person.jpg")).startswith("✔ tayra")

    qtbot.keyClick(review.list, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert window.model.caption(item_named(window, "a_animal_person.jpg")).startswith("✔ ocelot")
    i18n.set_language("es")  # the classifier's Spanish name for the label a person chose
    assert window.model.caption(item_named(window, "a_animal_person.jpg")).startswith("✔ ocelote")
    i18n.set_language("en")

    empty = open_review(window, "c_empty.jpg")
    picture = empty.detail.image
    qtbot.waitUntil(lambda: not picture.picture_rect().isEmpty(), timeout=30000)
    target = picture.picture_rect()
    start = QPoint(round(target.left() + target.width() / 4), round(target.top() + 10))
    end = QPoint(round(target.left() + target.width() / 2), round(target.top() + 60))
    qtbot.mousePress(picture, Qt.MouseButton.LeftButton, pos=start)
    qtbot.mouseMove(picture, end)
    qtbot.mouseRelease(picture, Qt.MouseButton.LeftButton, pos=end)
    with db_of(window) as db:
        added = [r for r in db.box_reviews("c_empty.jpg") if r.action == "add"]
        assert len(added) == 1 and added[0].box[0] == pytest.approx(0.25, abs=0.02)
        assert counts_at(db, models, 0.2).answers["empty"] == 0
    qtbot.waitUntil(lambda: "empty" not in dict(page.chart.rows()))  # the chart follows
    qtbot.keyClicks(empty.list, "p")  # name the box just drawn
    qtbot.keyClicks(empty.editor, "aca")  # the completer's single suggestion: lowland paca
    qtbot.keyClick(empty.editor, Qt.Key.Key_Return)
    with db_of(window) as db:
        (named,) = [r for r in db.box_reviews("c_empty.jpg") if r.action == "add"]
    assert (named.label, named.box) == ("lowland paca", added[0].box)
    qtbot.keyClick(review.list, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    assert window.model.caption(item_named(window, "c_empty.jpg")).startswith("empty")
    qtbot.keyClick(review.list, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    with db_of(window) as db:
        whole = db.box_reviews("c_empty.jpg")[-1]
    assert (whole.action, whole.box) == ("add", (0.0, 0.0, 1.0, 1.0))

    vehicle = open_review(window, "b_vehicle.jpg")
    qtbot.keyClick(vehicle.list, Qt.Key.Key_Return)  # the vehicle's box is right
    with db_of(window) as db:
        assert [
            (r.action, r.detection_id is not None) for r in db.box_reviews("b_vehicle.jpg")
        ] == [("accept", True)]
    assert vehicle.current_item().rel_path == "c_empty.jpg"  # moved on


@pytest.fixture
def bundled_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A store with no detector: the bundled whole-frame path."""
    monkeypatch.setenv("OCELOTE_DATA_DIR", str(tmp_path / "no-detector"))
    card = tmp_path / "two"
    card.mkdir()
    for photo in sorted(SAMPLES.glob("*.jpg"))[:2]:
        (card / photo.name).write_bytes(photo.read_bytes())
    return card


def test_bundled_path_says_so_and_takes_any_name(qtbot, bundled_only, window):
    run_folder(qtbot, window, bundled_only)
    bar = window.classify_page.threshold_bar
    assert bar.notice.isVisible() and not bar.slider_row.isVisible()
    assert bar.notice.text().startswith("First sort without boxes")
    review = open_review(window, window.model.items()[0].rel_path)
    assert not review.box_panel.isVisible()
    first = review.current_item()
    qtbot.keyClicks(review.list, "o")
    qtbot.keyClicks(review.editor, "celot")  # ImageNet has no ocelot
    qtbot.keyClick(review.editor, Qt.Key.Key_Return)
    with db_of(window) as db:
        stored = db.review_of(first.rel_path)
    assert (stored.label, stored.class_index) == ("ocelot", None)
    assert window.model.caption(item_named(window, first.rel_path)).startswith("✔ ocelot")
    assert review.message.text() == "Saved: ocelot"


def test_motion_boxes_are_dashed_and_say_motion(qapp):
    """A box from the motion step is never drawn as a detector's."""
    from PySide6.QtGui import QImage

    rows = (
        DetectionRow(1, None, "motion", "motion", "animal", 0.4, (0.25, 0.25, 0.5, 0.5)),
        DetectionRow(2, None, "detector", "md", "animal", 0.9, (0.0, 0.0, 0.2, 0.2)),
    )
    shapes = shapes_of(boxes_at(rows, 0.2), rows, find_card(), "en")
    assert [(s.motion, s.text) for s in shapes] == [(False, "animal 90 %"), (True, "motion 40 %")]
    blank = QImage(400, 400, QImage.Format.Format_RGB32)
    blank.fill(QColor("black"))
    drawn = boxed_image(blank, [shapes[1]])
    edge = [drawn.pixelColor(300, y).lightness() > 100 for y in range(160, 300)]  # right side
    assert any(edge) and not all(edge)  # dashes: drawn, with gaps


def test_a_clip_shows_the_frame_of_its_best_box_and_a_summary(
    qtbot, detector_store, window, tmp_path
):
    import cv2
    import numpy as np

    source = tmp_path / "clips"
    source.mkdir()
    writer = cv2.VideoWriter(str(source / "walk.avi"), cv2.VideoWriter_fourcc(*"MJPG"), 4.0,
                             (320, 240))  # fmt: skip
    for number in range(12):  # a white "animal" crosses in frames 4 to 7
        frame = np.full((240, 320, 3), 40, np.uint8)
        if 4 <= number < 8:
            frame[60:140, 100 + 10 * number : 160 + 10 * number] = 255
        writer.write(frame)
    writer.release()
    run_folder(qtbot, window, source)
    (clip,) = window.model.items()
    frame = window.model.boxes.shown_frame(clip)
    assert frame is not None and 4 <= frame < 8
    page = window.classify_page
    page.gallery.setCurrentIndex(page.proxy.index(0, 0))
    qtbot.waitUntil(lambda: bool(page.detail.image.shapes()), timeout=30000)
    assert page.detail.frame == frame
    assert "animal: " in page.detail.top5.text() and "frames, best 90 %" in page.detail.top5.text()
    qtbot.waitUntil(lambda: window.model.tile_image(clip) is not None, timeout=30000)
    tile = window.model.tile_image(clip)  # the frame of the best box, its box drawn
    left = round((100 + 10 * frame) / 320 * tile.width())
    middle = round(100 / 240 * tile.height())
    edge = [tile.pixelColor(left + dx, middle) for dx in (-1, 0, 1)]
    assert any(close_to(c, COLOURS["animal"]) for c in edge)

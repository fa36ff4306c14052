"""Evaluate… in the window: a real run on real trap photos, labels from `four_way.csv`, the same
figures as the engine's `ocelote evaluate`, and the empty filter's trade-off as a plot."""

import csv
import shutil
from pathlib import Path

import pytest

from engine import i18n
from engine.evaluate.report import headline
from engine.evaluate.run import evaluate
from engine.pipeline.job import ClassifyJob, JobSettings
from engine.results.four_way import FOUR_WAY
from gui.evaluate_view import EvaluateDialog, class_name

SHARED = Path(__file__).resolve().parents[2] / ".." / "shared" / "data"
PHOTOS = (  # two empties, two animals, a person, a vehicle; two folders
    "camera_traps/megadetector_test_images/nacti_part3_sub308_CA-11_0001325.jpg",
    "camera_traps/megadetector_test_images/caltech_camera_traps_58a022a4-23d2-11e8-a6a3-ec086b02610b.jpg",
    "camera_traps/megadetector_test_images/wcs_camera_traps_animals_0090_1439.jpg",
    "camera_traps/megadetector_test_images/nacti_part1_sub198_FL-16_09_03_2015_FL-16_0089498.jpg",
    "camera_traps/speciesnet_test_data/human.jpg",
    "camera_traps/speciesnet_test_data/vehicle.jpg",
)


@pytest.fixture(scope="module")
def run(tmp_path_factory) -> tuple[Path, Path]:
    """A results folder from the real job, and the labels of its photos from four_way.csv."""
    root = tmp_path_factory.mktemp("evaluate")
    source = root / "photos"
    for rel in PHOTOS:
        (source / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(SHARED / rel, source / rel)
    results = root / "results"
    settings = JobSettings(source, results, detector="none", motion=False, batch_size=6)
    ClassifyJob(settings).run()
    with (SHARED / "four_way.csv").open(encoding="utf-8", newline="") as handle:
        rows = [row for row in csv.DictReader(handle) if row["file"] in PHOTOS]
    assert len(rows) == len(PHOTOS)
    labels = root / "labels.csv"
    with labels.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, ["file", "four_way"], extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    return results, labels


def _evaluated(qtbot, results: Path, labels: Path | None) -> EvaluateDialog:
    dialog = EvaluateDialog(results)
    qtbot.addWidget(dialog)
    dialog.show()
    with qtbot.waitSignal(dialog.evaluated, timeout=20000):
        dialog.use_csv(labels) if labels else dialog.run()
    return dialog


def test_the_window_shows_the_engines_figures_and_the_trade_off(qtbot, run):
    results, labels = run
    dialog = _evaluated(qtbot, results, labels)
    expected = evaluate(results, labels)
    assert dialog.headline.text() == headline(expected)
    assert expected.scores["events"].n == len(PHOTOS)
    table = dialog.classes
    names = [table.item(r, 0).text() for r in range(table.rowCount())]
    assert names == [class_name(label) for label in FOUR_WAY]
    supports = [int(table.item(r, 1).text()) for r in range(table.rowCount())]
    assert supports == [2, 2, 1, 1]  # empty, animal, person, vehicle as labelled
    assert dialog.confusion.matrix() == [list(r) for r in expected.scores["per_frame"].confusion]
    series = dialog.plot.series()
    assert len(series) == 2
    assert all(len(points) == len(expected.trade_off) for points in series.values())
    aside = next(iter(series.values()))
    assert [x for x, _y in aside] == [p.threshold for p in expected.trade_off]
    assert [y for _x, y in aside] == [50.0 * p.empties_set_aside for p in expected.trade_off]
    folders = [dialog.folders.item(r, 0).text() for r in range(dialog.folders.rowCount())]
    assert folders == sorted({Path(p).parent.as_posix() for p in PHOTOS})


def test_without_reviews_or_with_bad_labels_it_says_so(qtbot, run, tmp_path):
    results, _labels = run
    dialog = _evaluated(qtbot, results, None)
    assert dialog.headline.text() == "None of the labelled photos is in these results."
    assert not dialog.figures.isEnabled()
    bad = tmp_path / "bad.csv"
    bad.write_text("file,four_way\nx.jpg,bird\n", encoding="utf-8")
    with qtbot.waitSignal(dialog.evaluated, timeout=20000):
        dialog.use_csv(bad)
    assert dialog.headline.text() == "These labels cannot be used."
    assert "bird" in dialog.note.text()


def test_spanish_headline(qtbot, run):
    results, labels = run
    i18n.set_language("es")
    dialog = _evaluated(qtbot, results, labels)
    assert dialog.headline.text().startswith("exactitud en cuatro clases")
    assert "animales perdidos (%)" in dialog.plot.series()


def test_the_menu_opens_it_on_the_results_shown(qtbot, window, run):
    results, _labels = run
    window.classify_page.open_results(results, None)
    qtbot.waitUntil(lambda: window.evaluate.action.isEnabled(), timeout=10000)
    dialog = window.evaluate.open()
    qtbot.waitUntil(lambda: not dialog.busy(), timeout=20000)
    assert dialog.results == results
    assert window.evaluate.action.text() == "Evaluate…"

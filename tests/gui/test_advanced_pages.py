"""The Benchmark and Optimize pages driven like a user would, on a small folder."""

from pathlib import Path

import pytest

from engine.models.store import find_card
from gui.benchmark_page import BenchmarkPage
from gui.optimize_page import OptimizePage

TIMEOUT_MS = 120_000


@pytest.fixture
def photos(trap_images: Path, tmp_path: Path) -> Path:
    folder = tmp_path / "photos"
    folder.mkdir()
    for image in sorted(trap_images.rglob("*.jpg"))[:5]:
        (folder / image.name).write_bytes(image.read_bytes())
    return folder


def test_optimize_page_makes_plots_and_keeps_a_variant(qtbot, photos: Path):
    page = OptimizePage()
    qtbot.addWidget(page)
    page.folder.setText(str(photos))
    page.method_box.setCurrentIndex(page.method_box.findData("fp16"))
    page.start()
    qtbot.waitUntil(lambda: page.task is None, timeout=TIMEOUT_MS)
    assert len(page.candidates) == 1
    assert len(page.plot.points()) == 2  # the original and the new variant
    assert page.table.rowCount() == 2
    assert not page.plot.grab().isNull()
    with qtbot.waitSignal(page.kept) as kept:
        page.keep_selected()
    assert kept.args == ["user-fp16"]
    assert find_card().variant("user-fp16").file.is_file()


def test_benchmark_page_runs_saves_and_remembers(qtbot, photos: Path, tmp_path: Path):
    page = BenchmarkPage()
    qtbot.addWidget(page)
    page.folder.setText(str(photos))
    page.start("pipeline")
    qtbot.waitUntil(lambda: page.task is None, timeout=TIMEOUT_MS)
    assert "photos per" in page.verdict.text()
    assert len(page.speed_plot.bars()) == 5
    assert page.history.count() >= 1
    out = tmp_path / "saved"
    out.mkdir()
    saved = page.save_results(out)
    assert all(path.is_file() and path.stat().st_size > 0 for path in saved)


def test_benchmark_speaks_plainly_and_history_entries_show(qtbot, photos: Path, tmp_path: Path):
    from engine.i18n import set_language

    page = BenchmarkPage()
    qtbot.addWidget(page)
    page.folder.setText(str(photos))
    page.start("pipeline")
    qtbot.waitUntil(lambda: page.task is None, timeout=TIMEOUT_MS)
    assert "Measures the whole job" in page.verdict.text()
    names = [name for name, _value in page.speed_plot.bars()]
    assert "whole job" in names and "peer_style" not in names
    page.verdict.clear()
    page.history.setCurrentRow(-1)
    page.history.setCurrentRow(0)  # the newest entry, as a click selects it
    assert "Measures the whole job" in page.verdict.text()
    try:
        set_language("es")
        page.retranslate()
        assert "trabajo completo" in [name for name, _value in page.speed_plot.bars()]
        assert "Trabajo completo" in page.history.item(0).text()
    finally:
        set_language("en")


def test_optimize_page_names_things_in_words_and_the_locales_decimal_mark(qtbot):
    from engine.i18n import set_language
    from gui.i18n import apply_language

    page = OptimizePage()
    qtbot.addWidget(page)
    shown = [page.method_box.itemText(i) for i in range(page.method_box.count())]
    assert "fp16" not in shown and "Half precision (FP16)" in shown
    assert page.model_box.currentText() == find_card().name  # not "efficientnet-lite0-imagenet"
    try:
        apply_language("es")
        page.retranslate()
        assert page.sparsity.text() == "0,30"
        assert "Media precisión (FP16)" in page.method_box.currentText()
    finally:
        apply_language("en")
        set_language("en")


def test_a_variant_slower_than_the_original_shown_gets_the_not_faster_note(qtbot, tmp_path):
    """Each run times the original anew; the table shows the first run's original, so the
    note is judged against that row (a slower pruned variant once passed without one)."""
    from engine.optimize.evaluate import Evaluation, Speed
    from engine.optimize.make import Candidate

    def measured(rate: float) -> Evaluation:
        return Evaluation(0.99, 16, 10, 9, 100, 100, 2**20, (Speed("onnxruntime-cpu", rate),))

    page = OptimizePage()
    qtbot.addWidget(page)
    first = Candidate("m", "user-int8", "int8", "int8", 0.0, "fp32", tmp_path / "a.onnx",
                      measured(150.0), measured(100.0))  # fmt: skip
    pruned = Candidate("m", "user-slim30", "prune-channels", "fp32", 0.3, "fp32",
                       tmp_path / "b.onnx", measured(95.0), measured(80.0))  # fmt: skip
    page.candidates = [first, pruned]
    page._show()
    notes = page.table.item(2, 6).text()
    assert notes.startswith("Not faster than the original on onnxruntime-cpu (95.0 vs 100.0")
    assert "Not faster" not in page.table.item(1, 6).text()


def test_long_benchmarks_show_the_time_left_and_optimize_headers_are_whole(qtbot):
    import time

    bench = BenchmarkPage()
    qtbot.addWidget(bench)
    bench._started = time.monotonic() - 60  # a sweep one step in after a minute
    bench._on_progress(1, 9)
    assert bench.progress.format().startswith("1 of 9 · ") and "left" in bench.progress.format()
    page = OptimizePage()
    qtbot.addWidget(page)
    header = page.table.horizontalHeader()
    for column in range(page.table.columnCount()):
        text = page.table.horizontalHeaderItem(column).text()
        assert header.sectionSize(column) >= header.fontMetrics().horizontalAdvance(text)

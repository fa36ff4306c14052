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

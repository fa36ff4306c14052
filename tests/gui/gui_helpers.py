"""Drag-and-drop and run helpers shared by the GUI tests."""

from pathlib import Path

from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QWidget

from engine.bench.copies import link_or_copy
from engine.paths import assets_dir

SAMPLES = assets_dir() / "samples"
SAMPLE_COUNT = len([p for p in SAMPLES.iterdir() if p.suffix.lower() == ".jpg"])
JOB_TIMEOUT_MS = 180_000


def drop_paths(target: QWidget, paths: list[Path]) -> QDropEvent:
    """What a file manager does: drag enter, then drop, with file:// URLs."""
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path)) for path in paths])
    actions = Qt.DropAction.CopyAction | Qt.DropAction.MoveAction
    center = target.rect().center()
    enter = QDragEnterEvent(
        center, actions, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    )
    QApplication.sendEvent(target, enter)
    assert enter.isAccepted()
    assert enter.dropAction() == Qt.DropAction.CopyAction
    drop = QDropEvent(
        QPointF(center), actions, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    )
    QApplication.sendEvent(target, drop)
    assert drop.dropAction() == Qt.DropAction.CopyAction
    return drop


def run_folder(qtbot, window, folder: Path):
    """Drop a folder and wait until the job ends and its results are loaded."""
    page = window.classify_page
    with (
        qtbot.waitSignal(page.results_ready, timeout=JOB_TIMEOUT_MS),
        qtbot.waitSignal(page.runner.finished, timeout=JOB_TIMEOUT_MS) as finished,
    ):
        drop_paths(page.drop_zone, [folder])
    return finished.args[0]


def linked_copies(folder: Path, copies: int) -> Path:
    """A bigger card: hard links of the samples (no extra disk, real JPEG bytes)."""
    folder.mkdir(parents=True, exist_ok=True)
    for round_ in range(copies):
        for image in sorted(SAMPLES.glob("*")):
            if image.suffix.lower() == ".jpg":
                target = folder / f"{round_:03d}_{image.name}"
                link_or_copy(image, target)
    return folder

"""A video in the gallery: marked, its best frame as thumbnail, a strip of frames in detail."""

import shutil
from pathlib import Path

from engine.models.store import find_card
from gui.jobs import ThumbnailLoader
from gui.widgets.detail import DetailView
from gui.widgets.gallery import VIDEO_MARK, GalleryModel
from gui.widgets.items import Item


def video_item() -> Item:
    frames = ((0, 0.0, 367, 0.4), (150, 5.0, 367, 0.9), (300, 10.0, 101, 0.5))
    return Item(
        "chimp.mp4", "ok", ((367, "chimpanzee", "primates", 0.9),), kind="video", frames=frames
    )


def test_video_item_thumbnail_and_strip(qtbot, tmp_path: Path, shared_data: Path):
    shutil.copy2(shared_data / "camera_trap_videos" / "chimp.mp4", tmp_path / "chimp.mp4")
    loader = ThumbnailLoader()
    model = GalleryModel(find_card(), loader)
    item = video_item()
    assert item.best_frame == 150
    model.reset(tmp_path, [item])
    assert model.caption(item).startswith(VIDEO_MARK)
    with qtbot.waitSignal(loader.loaded, timeout=10000) as blocker:
        model.data(model.index(0))  # display role first, then the icon request
        model.data(model.index(0), 1)  # DecorationRole
    assert blocker.args[0] == f"thumb:{tmp_path / 'chimp.mp4'}" and not blocker.args[1].isNull()
    detail = DetailView(find_card(), loader)
    qtbot.addWidget(detail)
    detail.show_item(item, tmp_path / "chimp.mp4")
    assert detail.strip.count() == 3 and not detail.strip.isHidden()
    assert "Best frame per label" in detail.top5.text()  # maxima over frames, not shares
    qtbot.waitUntil(
        lambda: all(not detail.strip.item(i).icon().isNull() for i in range(3)), timeout=10000
    )
    detail.show_item(None, None)
    assert detail.strip.isHidden()
    loader.shutdown()

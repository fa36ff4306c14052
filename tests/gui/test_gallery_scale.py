"""20,000 files: the gallery holds plain rows (no widget per item) and filters them."""

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from engine.models.store import find_card
from gui.jobs import ThumbnailLoader
from gui.widgets.gallery import GalleryFilter, GalleryModel, make_gallery_view
from gui.widgets.items import Item

COUNT = 20_000


def fake_items(card) -> list[Item]:
    items = []
    for n in range(COUNT):
        index = n % len(card.labels)
        label = card.labels[index]
        if n % 1000 == 0:
            items.append(Item(f"img{n:05d}.jpg", "error", (), error_code="corrupt"))
        else:
            items.append(Item(f"img{n:05d}.jpg", "ok", ((index, label.en, label.group, 0.5),)))
    return items


def test_twenty_thousand_items_without_widgets(qtbot, tmp_path):
    card = find_card()
    loader = ThumbnailLoader()
    model = GalleryModel(card, loader)
    model.reset(tmp_path, fake_items(card))
    proxy = GalleryFilter()
    proxy.setSourceModel(model)
    view = make_gallery_view()
    view.setModel(proxy)
    qtbot.addWidget(view)
    view.resize(800, 600)
    view.show()
    qtbot.waitExposed(view)
    assert view.uniformItemSizes()
    assert proxy.rowCount() == COUNT
    assert len(view.findChildren(QWidget)) < 50  # scroll bars and viewport, not 20,000 items
    view.scrollToBottom()
    proxy.set_filters(None, None, 0.0, True)
    assert proxy.rowCount() == COUNT // 1000
    proxy.set_filters(card.labels[1].group, None, 0.0, False)
    assert 0 < proxy.rowCount() < COUNT
    assert model.index(1).data(Qt.ItemDataRole.DisplayRole).startswith(card.labels[1].en)
    loader.shutdown()

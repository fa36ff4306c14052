"""The thumbnail gallery: one model row per file, no widget per item, thumbnails on demand.

Smooth with 20,000 files: QListView with uniform item sizes asks only for visible rows, and
thumbnails are decoded off the GUI thread (jobs.ThumbnailLoader) into a small LRU cache.
"""

from __future__ import annotations

from collections import OrderedDict
from pathlib import Path

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QPersistentModelIndex,
    QPointF,
    QSize,
    QSortFilterProxyModel,
    Qt,
    QTimer,
)
from PySide6.QtGui import QColor, QIcon, QImage, QPainter, QPixmap, QPolygonF
from PySide6.QtWidgets import QAbstractItemView, QListView, QWidget

from engine.errors import describe
from engine.i18n import _, fmt_number, language
from engine.models.card import ModelCard
from engine.results.boxes import RunModels, category_text
from engine.results.records import Outcome, disk_rel
from gui.jobs import ThumbnailLoader
from gui.widgets.box_painter import boxed_image, species_text
from gui.widgets.box_view import BoxView
from gui.widgets.items import Item, group_text, item_from_outcome, label_text

ItemRole = Qt.ItemDataRole.UserRole + 1
THUMB = 160
CACHE_SIZE = 2000
VIDEO_MARK = "▶ "  # before a video's caption
AnyIndex = QModelIndex | QPersistentModelIndex


class GalleryModel(QAbstractListModel):
    """Files of one results folder; rows arrive in bursts during a run (flushed by a timer)."""

    def __init__(self, card: ModelCard, loader: ThumbnailLoader, parent=None) -> None:
        super().__init__(parent)
        self.card = card
        self.source_root: Path | None = None
        self._items: list[Item] = []
        self._rows: dict[str, int] = {}
        self._incoming: list[Item] = []
        self._images: OrderedDict[str, QImage] = OrderedDict()  # thumbnails as decoded
        self._icons: dict[str, QIcon] = {}  # the same with boxes drawn at the threshold
        self.boxes = BoxView()
        self._wanted: dict[str, str] = {}  # loader key (the full path) -> rel_path
        self.loader = loader
        loader.loaded.connect(self._on_thumbnail)
        blank = QPixmap(THUMB, THUMB * 3 // 4)
        blank.fill(QColor("#d8d8d0"))
        self._placeholder = QIcon(blank)  # icons scale to each view's icon size
        self._flush_timer = QTimer(self, singleShot=True, interval=150)
        self._flush_timer.timeout.connect(self.flush)

    # --- filling -----------------------------------------------------------------------
    def reset(self, source_root: Path | None, items: list[Item] | None = None) -> None:
        self.beginResetModel()
        self.source_root = source_root
        self._items = list(items or [])
        self._rows = {item.rel_path: row for row, item in enumerate(self._items)}
        self._incoming.clear()
        self._images.clear()
        self._icons.clear()
        self.boxes.set_models(None)
        self._wanted.clear()  # a thumbnail of the folder before, still decoding, is dropped
        self.loader.forget_pending()
        self.endResetModel()

    def add_outcome(self, outcome: Outcome) -> None:
        self._incoming.append(item_from_outcome(outcome))
        if not self._flush_timer.isActive():
            self._flush_timer.start()

    def flush(self) -> None:
        """Insert the buffered rows in one go (a run sends one event per file)."""
        fresh = [item for item in self._incoming if item.rel_path not in self._rows]
        for item in self._incoming:
            if item.rel_path in self._rows:
                self.replace(item)
        self._incoming.clear()
        if not fresh:
            return
        first = len(self._items)
        self.beginInsertRows(QModelIndex(), first, first + len(fresh) - 1)
        for offset, item in enumerate(fresh):
            self._rows[item.rel_path] = first + offset
            self._items.append(item)
        self.endInsertRows()

    def replace(self, item: Item) -> None:
        row = self._rows[item.rel_path]
        self._items[row] = item
        self.boxes.forget(item.rel_path)
        self._icons.pop(item.rel_path, None)
        index = self.index(row)
        self.dataChanged.emit(index, index)

    def thumbnails_cached(self) -> int:
        return len(self._images)

    def set_models(self, models: RunModels | None) -> None:
        """The models behind the results shown: with a detector, tiles show boxes."""
        self.boxes.set_models(models)
        self._icons.clear()
        self.refresh_texts()

    def set_threshold(self, threshold: float) -> None:
        """Read the stored boxes at another confidence: tiles and captions follow, no run."""
        self.boxes.set_threshold(threshold)
        self._icons.clear()
        self.refresh_texts()

    def items(self) -> list[Item]:
        return list(self._items)

    def refresh_texts(self) -> None:
        """After a language switch: every visible text is rebuilt on the next paint."""
        if self._items:
            self.dataChanged.emit(self.index(0), self.index(len(self._items) - 1))

    def path_of(self, item: Item) -> Path | None:
        return self.source_root / disk_rel(item.rel_path) if self.source_root else None

    # --- Qt model ----------------------------------------------------------------------
    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._items)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        item = self._items[index.row()]
        if role == ItemRole:
            return item
        if role == Qt.ItemDataRole.DisplayRole:
            return self.caption(item)
        if role == Qt.ItemDataRole.DecorationRole:
            return self._thumbnail(item)
        if role == Qt.ItemDataRole.ToolTipRole:
            lang = language()
            text = f"{item.rel_path}\n{group_text(item.group, self.card, lang)}"
            if item.is_video:
                text += "\n" + _("Video: {frames} frames classified").format(
                    frames=fmt_number(len(item.frames))
                )
            return text
        return None

    def caption(self, item: Item) -> str:
        if not item.ok:
            return _("Error") + "\n" + describe(item.error_code or "corrupt")[:40]
        if self.boxes.boxes_decide and item.review is None:
            return self._box_caption(item)
        label = label_text(item, self.card, language())
        mark = "✔ " if item.review is not None else ""
        video = VIDEO_MARK if item.is_video else ""
        score = item.shown_score
        second = _("corrected") if score is None else f"{fmt_number(score * 100)} %"
        return f"{video}{mark}{label}\n{second}"

    def _box_caption(self, item: Item) -> str:
        """The answer at the threshold and the best box's species: "ocelot\n87 %", "empty"."""
        video = VIDEO_MARK if item.is_video else ""
        best = self.boxes.best(item)
        classifier = self.boxes.classifier
        if best is None or classifier is None:
            return f"{video}{category_text('empty')}\n"
        name = species_text(best, classifier, language()) or category_text(best.category)
        mark = "✔ " if best.reviewed else ""
        count = len(self.boxes.boxes(item))
        more = " · " + _("{count} boxes").format(count=fmt_number(count)) if count > 1 else ""
        return f"{video}{mark}{name}\n{fmt_number(best.conf * 100)} %{more}"

    def _thumbnail(self, item: Item) -> QIcon:
        icon = self._icons.get(item.rel_path)
        if icon is not None:
            return icon
        image = self._images.get(item.rel_path)
        if image is not None:
            self._images.move_to_end(item.rel_path)
            return self._compose(item, image)
        path = self.path_of(item)
        if path is not None and item.ok:
            frame = self.boxes.shown_frame(item)
            key = f"thumb:{path}"
            self._wanted[key] = item.rel_path
            self.loader.request(key, path, THUMB, frame=frame)
        return self._placeholder

    def _on_thumbnail(self, key: str, image: QImage) -> None:
        rel_path = self._wanted.pop(key, None)
        row = self._rows.get(rel_path) if rel_path is not None else None
        if row is None or image.isNull():
            return
        self._images[rel_path] = image
        while len(self._images) > CACHE_SIZE:
            self._icons.pop(self._images.popitem(last=False)[0], None)
        self._icons.pop(rel_path, None)
        index = self.index(row)
        self.dataChanged.emit(index, index, [Qt.ItemDataRole.DecorationRole])

    def tile_image(self, item: Item) -> QImage | None:
        """The tile as drawn (boxes included), once its thumbnail is decoded."""
        image = self._images.get(item.rel_path)
        return None if image is None else self._compose(item, image).pixmap(image.size()).toImage()

    def _compose(self, item: Item, image: QImage) -> QIcon:
        """The thumbnail with its boxes at the threshold (and a video's play mark)."""
        shapes = self.boxes.shapes(item, self.boxes.shown_frame(item))
        pixmap = QPixmap.fromImage(boxed_image(image, shapes))
        if item.is_video:
            pixmap = with_play_badge(pixmap)
        icon = QIcon(pixmap)
        self._icons[item.rel_path] = icon
        return icon


def with_play_badge(pixmap: QPixmap) -> QPixmap:
    """A video's thumbnail marked with a play triangle in a dark disc, bottom left."""
    marked = QPixmap(pixmap)
    side = max(12, min(marked.width(), marked.height()) // 4)
    painter = QPainter(marked)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(0, 0, 0, 150))
    top = marked.height() - side - 4
    painter.drawEllipse(4, top, side, side)
    painter.setBrush(QColor("white"))
    left, third = 4 + side / 3 * 1.1, side / 3
    points = [QPointF(left, top + third * 0.8), QPointF(left, top + third * 2.2)]
    points.append(QPointF(4 + third * 2.3, top + side / 2))
    painter.drawPolygon(QPolygonF(points))
    painter.end()
    return marked


class GalleryFilter(QSortFilterProxyModel):
    """Filters a ranger asks for: a group, a label, a minimum confidence, errors only."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.group: str | None = None
        self.class_index: int | None = None
        self.min_score = 0.0
        self.errors_only = False
        self.answer: str | None = None  # with boxes: the answer at the threshold

    def set_filters(
        self, group: str | None, class_index: int | None, min_score: float, errors_only: bool
    ) -> None:
        if hasattr(self, "beginFilterChange"):  # Qt >= 6.10
            self.beginFilterChange()
        self.group, self.class_index = group, class_index
        self.min_score, self.errors_only = min_score, errors_only
        if hasattr(self, "endFilterChange"):
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:
            self.invalidateRowsFilter()

    def set_answer(self, answer: str | None) -> None:
        self.answer = answer
        self.refilter()

    def refilter(self) -> None:
        """Filter again (the threshold moved: answers changed)."""
        if hasattr(self, "beginFilterChange"):  # Qt >= 6.10
            self.beginFilterChange()
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:
            self.invalidateRowsFilter()

    def _answers(self, model: object, item: Item) -> bool:
        """The file gives the answer asked for, at the threshold."""
        while isinstance(model, QSortFilterProxyModel):  # the events' proxy sits in between
            model = model.sourceModel()
        if not isinstance(model, GalleryModel) or not item.ok:
            return False
        return model.boxes.answer(item) == self.answer

    def filterAcceptsRow(self, source_row: int, source_parent: AnyIndex) -> bool:
        model = self.sourceModel()
        item: Item = model.index(source_row, 0, source_parent).data(ItemRole)
        if self.errors_only:
            return not item.ok
        if self.answer is not None and not self._answers(model, item):
            return False
        if not item.ok:
            return self.group is None and self.class_index is None and self.min_score == 0
        if self.group is not None and item.group != self.group:
            return False
        if self.class_index is not None and item.class_index != self.class_index:
            return False
        return item.review is not None or item.score >= self.min_score


def make_gallery_view(parent: QWidget | None = None, compact: bool = False) -> QListView:
    """An icon grid (or a compact list for review) that never creates a widget per item."""
    view = QListView(parent)
    view.setUniformItemSizes(True)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setLayoutMode(QListView.LayoutMode.Batched)
    view.setBatchSize(200)
    if compact:
        view.setViewMode(QListView.ViewMode.ListMode)
        view.setIconSize(QSize(96, 72))
        view.setMinimumWidth(280)
        return view
    view.setViewMode(QListView.ViewMode.IconMode)
    view.setMovement(QListView.Movement.Static)
    view.setResizeMode(QListView.ResizeMode.Adjust)
    view.setIconSize(QSize(THUMB, THUMB * 3 // 4))
    view.setGridSize(QSize(THUMB + 24, THUMB * 3 // 4 + 52))
    view.setWordWrap(True)
    view.setSpacing(4)
    return view

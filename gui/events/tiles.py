"""One tile per event in the gallery, or the photos of one event.

A proxy between the gallery's rows and its filter, so every existing filter still applies to
what it lets through: with grouping on, the first photo of each event stands for the event and
its caption says the event's smoothed answer and how many photos it holds.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt

from engine.i18n import _, fmt_number
from engine.results.boxes import category_text
from engine.results.events_store import EventInfo
from gui.widgets.gallery import ItemRole
from gui.widgets.items import Item

AnyIndex = QModelIndex | QPersistentModelIndex


def event_caption(event: EventInfo) -> str:
    """ "animal · 95 %" over "3 photos": the event's answer after smoothing."""
    score = f"{fmt_number(round(event.conf * 100))} %"
    photos = _("{count} photos").format(count=fmt_number(event.files))
    return f"{category_text(event.label)} · {score}\n{photos}"


class EventTiles(QSortFilterProxyModel):
    """Keeps the gallery's rows of event leaders (grouped) or to one event (expanded)."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.grouped = False
        self.event_id: str | None = None  # an expanded event, or the event filtered by id
        self._events: dict[str, EventInfo] = {}  # rel_path -> its event
        self._leaders: set[str] | None = None  # the first shown photo of each event

    def setSourceModel(self, source) -> None:  # noqa: ANN001, N802 - Qt's signature
        # connected before the proxy's own handlers, so leaders are recomputed first
        for signal in (source.modelReset, source.rowsInserted, source.rowsRemoved,
                       source.layoutChanged):  # fmt: skip
            signal.connect(self._forget_leaders)
        super().setSourceModel(source)

    def set_events(self, events: dict[str, EventInfo]) -> None:
        self._events = events
        self.refilter()

    def set_grouped(self, grouped: bool) -> None:
        self.grouped = grouped
        self.event_id = None
        self.refilter()

    def show_event(self, event_id: str | None) -> None:
        """Expand one event (or, with None, go back to all tiles)."""
        self.event_id = event_id
        self.refilter()

    def event_of(self, item: Item | None) -> EventInfo | None:
        return None if item is None else self._events.get(item.rel_path)

    def refilter(self) -> None:
        self._forget_leaders()
        if hasattr(self, "beginFilterChange"):  # Qt >= 6.10
            self.beginFilterChange()
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:
            self.invalidateRowsFilter()

    def showing_tiles(self) -> bool:
        return self.grouped and self.event_id is None

    def _forget_leaders(self, *_args: object) -> None:
        self._leaders = None

    def _leader_paths(self) -> set[str]:
        if self._leaders is None:
            seen: set[str] = set()
            self._leaders = set()
            source = self.sourceModel()
            for row in range(source.rowCount()):
                item: Item = source.index(row, 0).data(ItemRole)
                event = self._events.get(item.rel_path)
                key = event.event_id if event else item.rel_path
                if key not in seen:
                    seen.add(key)
                    self._leaders.add(item.rel_path)
        return self._leaders

    def filterAcceptsRow(self, source_row: int, source_parent: AnyIndex) -> bool:  # noqa: N802
        item: Item = self.sourceModel().index(source_row, 0, source_parent).data(ItemRole)
        if self.event_id is not None:
            event = self._events.get(item.rel_path)
            return event is not None and event.event_id == self.event_id
        return not self.grouped or item.rel_path in self._leader_paths()

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if self.showing_tiles() and role in (
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.ToolTipRole,
        ):
            event = self.event_of(index.data(ItemRole))
            if event is not None:
                if role == Qt.ItemDataRole.DisplayRole:
                    return event_caption(event)
                return _("Event {event}: double-click or Enter shows its photos").format(
                    event=event.event_id
                )
        return super().data(index, role)

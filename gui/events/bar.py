"""The row above the gallery for events: group by event, an event's id, the way back, and the
repeated detections the engine found."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QModelIndex
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QLineEdit, QPushButton, QWidget

from engine.i18n import _, fmt_number
from engine.results.events_store import EventsStore
from gui.events.repeats_dialog import RepeatsDialog
from gui.events.tiles import EventTiles
from gui.widgets.gallery import ItemRole


class EventsBar(QWidget):
    """Drives an `EventTiles` proxy from the events stored in one results database."""

    def __init__(self, tiles: EventTiles, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tiles = tiles
        self.db_path: Path | None = None
        self.source_root: Path | None = None
        self.event_count = 0
        self.dismissed_count = 0
        self.group = QCheckBox()
        self.group.toggled.connect(self._on_grouped)
        self.event_filter = QLineEdit()
        self.event_filter.setClearButtonEnabled(True)
        self.event_filter.setMaximumWidth(140)
        self.event_filter.textChanged.connect(self._on_event_filter)
        self.back = QPushButton()
        self.back.clicked.connect(self.go_back)
        self.counts = QLabel()
        self.repeats_button = QPushButton()
        self.repeats_button.clicked.connect(self.open_repeats)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for widget in (self.group, self.event_filter, self.back, self.counts):
            layout.addWidget(widget)
        layout.addStretch()
        layout.addWidget(self.repeats_button)
        self.retranslate()
        self._update_back()

    def retranslate(self) -> None:
        self.group.setText(_("Group by event"))
        self.event_filter.setPlaceholderText(_("Event id"))
        self.back.setText(_("Back to all events"))
        self.repeats_button.setText(_("Repeated detections…"))
        self._update_counts()

    def load(self, db_path: Path, source_root: Path | None) -> None:
        """Read the events of a results folder (again, after a dismissal changed them)."""
        self.db_path, self.source_root = db_path, source_root
        with EventsStore(db_path) as store:
            events = {rel: event for rel, (event, _smoothed) in store.event_of_files().items()}
            self.event_count = len(store.events())
            self.dismissed_count = len(store.dismissed_detections())
        self.tiles.set_events(events)
        self._update_counts()

    def activate(self, index: QModelIndex) -> None:
        """Enter or double-click on an event's tile: show the photos of that event."""
        if self.tiles.showing_tiles():
            event = self.tiles.event_of(index.data(ItemRole))
            if event is not None:
                self.tiles.show_event(event.event_id)
                self._update_back()

    def go_back(self) -> None:
        self.event_filter.blockSignals(True)
        self.event_filter.clear()
        self.event_filter.blockSignals(False)
        self.tiles.show_event(None)
        self._update_back()

    def open_repeats(self) -> RepeatsDialog | None:
        if self.db_path is None:
            return None
        dialog = RepeatsDialog(self.db_path, self.source_root, self)
        dialog.changed.connect(lambda: self.load(self.db_path, self.source_root))
        dialog.open()
        return dialog

    def _on_grouped(self, grouped: bool) -> None:
        self.tiles.set_grouped(grouped)
        self._on_event_filter(self.event_filter.text())

    def _on_event_filter(self, text: str) -> None:
        self.tiles.show_event(text.strip().upper() or None)
        self._update_back()

    def _update_back(self) -> None:
        self.back.setVisible(self.tiles.event_id is not None)

    def _update_counts(self) -> None:
        text = _("{events} events").format(events=fmt_number(self.event_count))
        if self.dismissed_count:
            text += " · " + _("{boxes} repeated boxes dismissed").format(
                boxes=fmt_number(self.dismissed_count)
            )
        self.counts.setText(text)

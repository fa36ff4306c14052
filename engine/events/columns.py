"""An event's columns for the CSV and XLSX exports: which event a file belongs to, the event's
smoothed answer and the file's own answer after smoothing (its per-frame answer stays in the
other columns)."""

from pathlib import Path

from engine.results.events_store import EventInfo, EventsStore

EVENT_COLUMNS = ["event_id", "event_label", "event_start", "event_end", "smoothed_label"]

EventsByFile = dict[str, tuple[EventInfo, str | None]]


def events_by_file(db_path: Path) -> EventsByFile:
    """rel_path → (event, smoothed answer); empty for results without events."""
    with EventsStore(db_path) as store:
        return store.event_of_files()


def event_values(events: EventsByFile, rel_path: str) -> dict[str, object]:
    if rel_path not in events:
        return {}
    event, smoothed = events[rel_path]
    return {
        "event_id": event.event_id,
        "event_label": event.label,
        "event_start": event.start or "",
        "event_end": event.end or "",
        "smoothed_label": smoothed or "",
    }

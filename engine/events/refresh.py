"""Rebuild the derived tables of a results folder: repeated boxes, then events and smoothing.

Run after every job (and by `ocelote evaluate` when a folder has none yet): they are derived
from the stored files, boxes and the user's dismissals, so rebuilding is always safe.
"""

from dataclasses import dataclass
from pathlib import Path

from engine.events.answer import MOTION_THRESHOLD, answer
from engine.events.camera import camera_key
from engine.events.grouping import DEFAULT_GAP_S, group_events
from engine.events.repeats import RepeatSettings, find_repeats
from engine.events.smoothing import SmoothingSettings, smooth
from engine.results.db import ResultsDB
from engine.results.events_store import EventRecord, EventsStore


@dataclass(frozen=True)
class EventSettings:
    gap_s: float = DEFAULT_GAP_S
    threshold: float = MOTION_THRESHOLD
    smoothing: SmoothingSettings = SmoothingSettings()
    repeats: RepeatSettings = RepeatSettings()


def refresh_events(db_path: Path, settings: EventSettings = EventSettings()) -> int:
    """Group, smooth and store the events of a results database; returns how many."""
    with ResultsDB(db_path) as db, EventsStore(db_path) as store:  # migrated first
        photos = store.photos()
        store.replace_repeats(find_repeats(photos, store.detector_boxes(), settings.repeats))
        dismissed = frozenset(store.dismissed_detections())
        verdicts = store.motion_verdicts()
        answers = {  # the answers only, not the rows: memory stays small on a big card
            row.rel_path: answer(row, verdicts.get(row.rel_path), settings.threshold, dismissed)
            for row in db.iter_files()
        }
        records = []
        for number, members in enumerate(group_events(photos, settings.gap_s), start=1):
            result = smooth([answers[p.rel_path] for p in members], settings.smoothing)
            records.append(
                EventRecord(
                    f"E{number:06d}", camera_key(members[0]), members[0].taken_at,
                    members[-1].taken_at, result.label, round(result.conf, 6),
                    tuple(p.id for p in members), result.frames,
                )
            )  # fmt: skip
        store.replace_events(records)
        return len(records)

"""Events, the motion step's verdicts and repeated boxes in the results database.

Kept apart from `db.py` (files, predictions, boxes): these tables are derived from what is
stored there and rebuilt after each run, so they are created here with `CREATE TABLE IF NOT
EXISTS` on a connection of their own (WAL lets it sit beside the job's). A results folder from
an earlier version simply gains them the first time a run, `ocelote evaluate` or an export
opens it.

- `motion_thumbs` (made by `db.py`'s migrations, filled by the job): read by the motion step,
  emptied once it has run.
- `motion_frames`: per photo, whether the motion step decided it from boxes ("boxes") or had
  to fall back to the whole frame ("whole_frame", with the reason), and from how many frames
  of its camera the background was made.
- `events` / `event_files`: photos of one camera closer in time than the gap, a video alone;
  each event keeps its derived (smoothed) four-way label beside the per-frame results.
- `repeat_groups` / `repeat_members`: detector boxes that recur at one place of one camera,
  flagged as a group the user can dismiss at once.
"""

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from engine.results.transaction import transaction

_SCHEMA = """
CREATE TABLE IF NOT EXISTS motion_frames (
    file_id INTEGER PRIMARY KEY REFERENCES files(id) ON DELETE CASCADE,
    status TEXT NOT NULL CHECK (status IN ('boxes', 'whole_frame')),
    reason TEXT NOT NULL,
    background_frames INTEGER NOT NULL,
    regime TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS events (
    id INTEGER PRIMARY KEY,
    event_id TEXT NOT NULL UNIQUE,
    camera TEXT NOT NULL,
    start TEXT,
    end TEXT,
    label TEXT NOT NULL,
    conf REAL NOT NULL,
    files INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS event_files (
    file_id INTEGER PRIMARY KEY REFERENCES files(id) ON DELETE CASCADE,
    event INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    smoothed TEXT
);
CREATE INDEX IF NOT EXISTS event_files_by_event ON event_files (event);
CREATE TABLE IF NOT EXISTS repeat_groups (
    id INTEGER PRIMARY KEY,
    camera TEXT NOT NULL,
    category TEXT NOT NULL,
    x REAL NOT NULL, y REAL NOT NULL, w REAL NOT NULL, h REAL NOT NULL,
    frames INTEGER NOT NULL,
    dismissed INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS repeat_members (
    detection_id INTEGER PRIMARY KEY REFERENCES detections(id) ON DELETE CASCADE,
    group_id INTEGER NOT NULL REFERENCES repeat_groups(id) ON DELETE CASCADE
);
"""


@dataclass(frozen=True)
class StoredPhoto:
    """What grouping and the motion step need of a stored file."""

    id: int
    rel_path: str
    kind: str
    width: int
    height: int
    taken_at: str | None
    camera_make: str | None
    camera_model: str | None
    camera_serial: str | None


@dataclass(frozen=True)
class MotionVerdict:
    file_id: int
    status: str  # "boxes" | "whole_frame"
    reason: str  # "" for boxes; why the whole frame was used otherwise
    background_frames: int
    regime: str  # "day" | "night"


@dataclass(frozen=True)
class EventRecord:
    event_id: str
    camera: str
    start: str | None
    end: str | None
    label: str  # the event's four-way answer, derived by smoothing
    conf: float
    file_ids: tuple[int, ...]
    smoothed: tuple[str | None, ...]  # per file, its four-way answer after smoothing


@dataclass(frozen=True)
class EventInfo:
    """An event as exports and the window read it."""

    event_id: str
    camera: str
    start: str | None
    end: str | None
    label: str
    conf: float
    files: int


@dataclass(frozen=True)
class RepeatGroup:
    """Boxes at one place of one camera across many frames: likely a rock or a post."""

    id: int
    camera: str
    category: str
    box: tuple[float, float, float, float]
    frames: int
    dismissed: bool
    detection_ids: tuple[int, ...]


class EventsStore:
    """The derived tables of one results database, on a connection of their own."""

    def __init__(self, db_path: Path) -> None:
        self._conn = sqlite3.connect(db_path, isolation_level=None, check_same_thread=False)
        self._conn.execute("PRAGMA foreign_keys=ON")
        self._conn.execute("PRAGMA busy_timeout=10000")
        self._conn.executescript(_SCHEMA)

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> "EventsStore":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def photos(self) -> list[StoredPhoto]:
        """Every file read without error and still on disk, photos and videos, in path order."""
        rows = self._conn.execute(
            "SELECT id, rel_path, kind, width, height, taken_at, camera_make, camera_model,"
            " camera_serial FROM files WHERE status = 'ok' AND gone_at IS NULL ORDER BY rel_path"
        )
        return [StoredPhoto(*row) for row in rows]

    # motion ---------------------------------------------------------------------------------

    def motion_done(self) -> set[int]:
        return {row[0] for row in self._conn.execute("SELECT file_id FROM motion_frames")}

    def record_motion(self, verdicts: Iterable[tuple[MotionVerdict, list[tuple]]]) -> None:
        """Store verdicts with their motion boxes, each as (category, conf, box, top-k), in one
        transaction; the boxes go to `detections` with source 'motion'."""
        with transaction(self._conn):
            for verdict, boxes in verdicts:
                self._conn.execute(
                    "DELETE FROM detections WHERE file_id = ? AND source = 'motion'",
                    (verdict.file_id,),
                )
                self._conn.execute(
                    "INSERT OR REPLACE INTO motion_frames VALUES (?, ?, ?, ?, ?)",
                    (verdict.file_id, verdict.status, verdict.reason,
                     verdict.background_frames, verdict.regime),
                )  # fmt: skip
                for model_id, category, conf, box, top in boxes:
                    cursor = self._conn.execute(
                        "INSERT INTO detections (file_id, frame_number, source, model_id,"
                        " category, conf, x, y, w, h) VALUES (?, NULL, 'motion', ?, ?, ?, ?, ?,"
                        " ?, ?)",
                        (verdict.file_id, model_id, category, conf, *box),
                    )
                    self._conn.executemany(
                        "INSERT INTO detection_classifications VALUES (?, ?, ?, ?, ?, ?)",
                        [(cursor.lastrowid, rank, *p) for rank, p in enumerate(top)],
                    )

    def thumbs(self, file_ids: Iterable[int], side: int) -> dict[int, bytes]:
        """file id → the small frame the job kept of that photo for frames of `side` pixels
        (JPEG); photos without one (classified by an older version, or for another side) are
        left out, and a results folder older than the `motion_thumbs` table has none."""
        ids = list(file_ids)
        try:
            rows = self._conn.execute(
                f"SELECT file_id, jpeg FROM motion_thumbs WHERE side = ?"
                f" AND file_id IN ({','.join('?' * len(ids))})",
                (side, *ids),
            )
            return dict(rows.fetchall())
        except sqlite3.OperationalError as error:
            if "no such table" in str(error):
                return {}
            raise

    def drop_thumbs(self) -> None:
        """Forget the kept frames once every photo has its verdict, and give their space back
        to the disk where the file allows it (results made since `auto_vacuum` is set)."""
        try:
            self._conn.execute("DELETE FROM motion_thumbs")
        except sqlite3.OperationalError as error:
            if "no such table" in str(error):
                return
            raise
        self._conn.executescript("PRAGMA incremental_vacuum;")  # run to the end, not one step

    def motion_verdicts(self) -> dict[str, MotionVerdict]:
        """rel_path → the motion step's verdict, for every photo it looked at."""
        rows = self._conn.execute(
            "SELECT f.rel_path, m.file_id, m.status, m.reason, m.background_frames, m.regime"
            " FROM motion_frames m JOIN files f ON f.id = m.file_id"
        )
        return {rel: MotionVerdict(*rest) for rel, *rest in rows}

    # events ---------------------------------------------------------------------------------

    def replace_events(self, events: Iterable[EventRecord]) -> None:
        """Rebuild the events from scratch (they are derived, never edited by hand)."""
        with transaction(self._conn):
            self._conn.execute("DELETE FROM event_files")
            self._conn.execute("DELETE FROM events")
            for event in events:
                cursor = self._conn.execute(
                    "INSERT INTO events (event_id, camera, start, end, label, conf, files)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (event.event_id, event.camera, event.start, event.end, event.label,
                     event.conf, len(event.file_ids)),
                )  # fmt: skip
                self._conn.executemany(
                    "INSERT INTO event_files VALUES (?, ?, ?)",
                    [
                        (file_id, cursor.lastrowid, smoothed)
                        for file_id, smoothed in zip(event.file_ids, event.smoothed, strict=True)
                    ],
                )

    def events(self) -> list[EventInfo]:
        rows = self._conn.execute(
            "SELECT event_id, camera, start, end, label, conf, files FROM events ORDER BY id"
        )
        return [EventInfo(*row) for row in rows]

    def event_of_files(self) -> dict[str, tuple[EventInfo, str | None]]:
        """rel_path → (its event, its own smoothed four-way answer)."""
        rows = self._conn.execute(
            "SELECT f.rel_path, e.event_id, e.camera, e.start, e.end, e.label, e.conf, e.files,"
            " ef.smoothed FROM event_files ef JOIN events e ON e.id = ef.event"
            " JOIN files f ON f.id = ef.file_id"
        )
        return {rel: (EventInfo(*event), smoothed) for rel, *event, smoothed in rows}

    def event_files(self, event_id: str) -> list[str]:
        """The files of one event in time order (path order for ties), for an expanded tile."""
        rows = self._conn.execute(
            "SELECT f.rel_path FROM event_files ef JOIN events e ON e.id = ef.event"
            " JOIN files f ON f.id = ef.file_id WHERE e.event_id = ?"
            " ORDER BY f.taken_at, f.rel_path",
            (event_id,),
        )
        return [row[0] for row in rows]

    # repeated detections --------------------------------------------------------------------

    def detector_boxes(self) -> list[tuple[int, int, str, float, tuple[float, ...]]]:
        """(detection id, file id, category, conf, box) of every detector box on a photo."""
        rows = self._conn.execute(
            "SELECT d.id, d.file_id, d.category, d.conf, d.x, d.y, d.w, d.h FROM detections d"
            " JOIN files f ON f.id = d.file_id"
            " WHERE d.source = 'detector' AND d.frame_number IS NULL ORDER BY d.id"
        )
        return [(i, f, c, conf, tuple(box)) for i, f, c, conf, *box in rows]

    def replace_repeats(self, groups: Iterable[tuple[str, str, tuple, int, list[int]]]) -> None:
        """Store the repeat groups found, keeping the user's dismissals of the same place."""
        with transaction(self._conn):
            dismissed = {
                (camera, category, round(x, 2), round(y, 2), round(w, 2), round(h, 2))
                for camera, category, x, y, w, h in self._conn.execute(
                    "SELECT camera, category, x, y, w, h FROM repeat_groups WHERE dismissed = 1"
                )
            }
            self._conn.execute("DELETE FROM repeat_members")
            self._conn.execute("DELETE FROM repeat_groups")
            for camera, category, box, frames, members in groups:
                key = (camera, category, *(round(value, 2) for value in box))
                cursor = self._conn.execute(
                    "INSERT INTO repeat_groups (camera, category, x, y, w, h, frames, dismissed)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    (camera, category, *box, frames, int(key in dismissed)),
                )
                self._conn.executemany(
                    "INSERT INTO repeat_members VALUES (?, ?)",
                    [(member, cursor.lastrowid) for member in members],
                )

    def repeat_groups(self) -> list[RepeatGroup]:
        groups = self._conn.execute(
            "SELECT id, camera, category, x, y, w, h, frames, dismissed FROM repeat_groups"
            " ORDER BY frames DESC, id"
        ).fetchall()
        members: dict[int, list[int]] = {}
        for detection, group in self._conn.execute(
            "SELECT detection_id, group_id FROM repeat_members ORDER BY detection_id"
        ):
            members.setdefault(group, []).append(detection)
        return [
            RepeatGroup(i, camera, category, (x, y, w, h), frames, bool(dismissed),
                        tuple(members.get(i, ())))
            for i, camera, category, x, y, w, h, frames, dismissed in groups
        ]  # fmt: skip

    def set_repeat_dismissed(self, group_id: int, dismissed: bool = True) -> None:
        """The user's verdict on a whole group: dismissed boxes no longer count anywhere."""
        self._conn.execute(
            "UPDATE repeat_groups SET dismissed = ? WHERE id = ?", (int(dismissed), group_id)
        )

    def dismissed_detections(self) -> set[int]:
        """Ids of the boxes the user dismissed as repeated false detections."""
        rows = self._conn.execute(
            "SELECT m.detection_id FROM repeat_members m"
            " JOIN repeat_groups g ON g.id = m.group_id WHERE g.dismissed = 1"
        )
        return {row[0] for row in rows}

    def detection_files(self, detection_ids: Iterable[int]) -> dict[int, str]:
        """detection id → rel_path of its photo: the window shows a repeat group's frame."""
        ids = list(detection_ids)
        rows = self._conn.execute(
            "SELECT d.id, f.rel_path FROM detections d JOIN files f ON f.id = d.file_id"
            f" WHERE d.id IN ({','.join('?' * len(ids))})",
            ids,
        )
        return dict(rows.fetchall())

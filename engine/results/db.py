"""The results database: one SQLite file per output folder, written a transaction per batch.

WAL mode and one commit per batch mean a crash or a kill loses at most the batch in flight;
every committed file is skipped on resume. Machine predictions are never overwritten.

Schema 2 adds videos: `videos` (one row per classified clip: frame rate, length, frames
looked at), `frames` (the sampled frames: number, time in the clip, motion score) and
`frame_predictions` (each frame's top-5). A video's file row, its summary top-5 in
`predictions` and all its frames are written in one transaction, so a kill mid-video leaves
nothing of it and a resume does it again. A schema 1 file gains the new tables on opening.

Boxes: `detections` (one row per box from a detector or from motion, on a photo or on a video
frame, normalised [x, y, w, h], every box at or above the model's floor) and
`detection_classifications` (the crop classifier's top-k per box). Stored with their file in
the same transaction; a file written by an older version simply has none.
`box_reviews` holds a person's verdicts on boxes (accept, reject, relabel, an added box, a
frame marked empty), beside the machine's boxes, never over them.

Schema 3 adds to `files` a content `fingerprint` (engine.results.fingerprint: decides "already
done" and recognises a renamed file) and `gone_at` (the file was no longer on disk: kept for
history, left out of counts and exports unless `include_gone`). `meta.source` names the folder
the results belong to. Later schemas add a step to `MIGRATIONS`.
"""

import json
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from itertools import groupby
from pathlib import Path

from engine.results.records import Classified, Detection, Failed, Outcome, VideoClassified
from engine.results.rows import (
    BoxReview,
    DetectionRow,
    FileRow,
    FrameRow,
    Review,
    RunInfo,
    VideoRow,
)
from engine.results.transaction import transaction

SCHEMA_VERSION = 4
_REVIEW_COLUMNS = "rel_path, action, class_index, label, label_group, created_at"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    status TEXT NOT NULL,
    source TEXT NOT NULL,
    model_id TEXT NOT NULL,
    variant TEXT NOT NULL,
    model_sha256 TEXT NOT NULL,
    backend TEXT NOT NULL,
    versions TEXT NOT NULL,
    settings TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS files (
    id INTEGER PRIMARY KEY,
    rel_path TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    format TEXT,
    size INTEGER,
    mtime_ns INTEGER,
    status TEXT NOT NULL CHECK (status IN ('ok', 'error')),
    width INTEGER,
    height INTEGER,
    taken_at TEXT,
    camera_make TEXT,
    camera_model TEXT,
    camera_serial TEXT,
    error_code TEXT,
    error_detail TEXT,
    run_id INTEGER NOT NULL REFERENCES runs(id)
);
CREATE TABLE IF NOT EXISTS predictions (
    file_id INTEGER NOT NULL REFERENCES files(id) ON DELETE CASCADE,
    rank INTEGER NOT NULL,
    class_index INTEGER NOT NULL,
    label TEXT NOT NULL,
    label_group TEXT NOT NULL,
    score REAL NOT NULL,
    PRIMARY KEY (file_id, rank)
);
CREATE TABLE IF NOT EXISTS corrections (
    id INTEGER PRIMARY KEY,
    rel_path TEXT NOT NULL,
    action TEXT NOT NULL CHECK (action IN ('accept', 'correct')),
    class_index INTEGER,
    label TEXT NOT NULL,
    label_group TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS corrections_by_path ON corrections (rel_path, id);
CREATE TABLE IF NOT EXISTS videos (
    file_id INTEGER PRIMARY KEY REFERENCES files(id) ON DELETE CASCADE,
    fps REAL NOT NULL,
    frames_read INTEGER NOT NULL,
    duration_s REAL NOT NULL,
    frames_processed INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS frames (
    file_id INTEGER NOT NULL REFERENCES files(id) ON DELETE CASCADE,
    frame_number INTEGER NOT NULL,
    time_s REAL NOT NULL,
    motion REAL NOT NULL,
    PRIMARY KEY (file_id, frame_number)
);
CREATE TABLE IF NOT EXISTS frame_predictions (
    file_id INTEGER NOT NULL,
    frame_number INTEGER NOT NULL,
    rank INTEGER NOT NULL,
    class_index INTEGER NOT NULL,
    label TEXT NOT NULL,
    label_group TEXT NOT NULL,
    score REAL NOT NULL,
    PRIMARY KEY (file_id, frame_number, rank),
    FOREIGN KEY (file_id, frame_number) REFERENCES frames (file_id, frame_number)
        ON DELETE CASCADE
);
CREATE TABLE IF NOT EXISTS detections (
    id INTEGER PRIMARY KEY,
    file_id INTEGER NOT NULL REFERENCES files(id) ON DELETE CASCADE,
    frame_number INTEGER,
    source TEXT NOT NULL CHECK (source IN ('detector', 'motion')),
    model_id TEXT NOT NULL,
    category TEXT NOT NULL CHECK (category IN ('animal', 'person', 'vehicle')),
    conf REAL NOT NULL,
    x REAL NOT NULL,
    y REAL NOT NULL,
    w REAL NOT NULL,
    h REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS detections_by_file ON detections (file_id, id);
CREATE TABLE IF NOT EXISTS detection_classifications (
    detection_id INTEGER NOT NULL REFERENCES detections(id) ON DELETE CASCADE,
    rank INTEGER NOT NULL,
    class_index INTEGER NOT NULL,
    label TEXT NOT NULL,
    label_group TEXT NOT NULL,
    score REAL NOT NULL,
    PRIMARY KEY (detection_id, rank)
);
CREATE TABLE IF NOT EXISTS box_reviews (
    id INTEGER PRIMARY KEY,
    rel_path TEXT NOT NULL,
    detection_id INTEGER,
    action TEXT NOT NULL CHECK (action IN ('accept', 'reject', 'relabel', 'add', 'empty')),
    category TEXT,
    label TEXT,
    frame_number INTEGER,
    x REAL, y REAL, w REAL, h REAL,
    created_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS box_reviews_by_file ON box_reviews (rel_path, id);
"""


_BOXES_QUERY = (
    "SELECT d.file_id, d.id, d.frame_number, d.source, d.model_id, d.category, d.conf,"
    " d.x, d.y, d.w, d.h, c.class_index, c.label, c.label_group, c.score"
    " FROM files f JOIN detections d ON d.file_id = f.id"
    " LEFT JOIN detection_classifications c ON c.detection_id = d.id"
)
"""Boxes with their crop classifications, one row per (box, rank): read by _detection_rows."""


def _detection_rows(rows: Iterable[tuple]) -> Iterator[DetectionRow]:
    """Rows of the detections ⋈ classifications query, one DetectionRow per box."""
    for (_file_id, box_id, frame, source, model, category, conf, *box), group in groupby(
        rows, key=lambda row: row[:11]
    ):
        found = tuple(tuple(row[11:15]) for row in group if row[11] is not None)
        yield DetectionRow(box_id, frame, source, model, category, conf, tuple(box), found)


class _DetectionStream:
    """Boxes read alongside the files query, both in path order: one pass, bounded memory."""

    def __init__(self, rows: Iterable[tuple]) -> None:
        self._rows = groupby(rows, key=lambda row: row[0])
        self._next = next(self._rows, None)

    def take(self, file_id: int) -> tuple[DetectionRow, ...]:
        if self._next is None or self._next[0] != file_id:
            return ()
        found = tuple(_detection_rows(self._next[1]))
        self._next = next(self._rows, None)
        return found


def utc_now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _v3_fingerprints_and_gone(conn: sqlite3.Connection) -> None:
    conn.execute("ALTER TABLE files ADD COLUMN fingerprint TEXT")
    conn.execute("ALTER TABLE files ADD COLUMN gone_at TEXT")
    conn.execute("CREATE INDEX IF NOT EXISTS files_by_fingerprint ON files (fingerprint)")


def _v4_motion_thumbs(conn: sqlite3.Connection) -> None:
    """Each photo's small upright frame, kept by the job for the motion step (JPEG, see
    engine.media.thumbnail), so that step reads these instead of decoding the photos again;
    emptied once the step has run."""
    conn.execute(
        "CREATE TABLE IF NOT EXISTS motion_thumbs (file_id INTEGER PRIMARY KEY"
        " REFERENCES files(id) ON DELETE CASCADE, side INTEGER NOT NULL, jpeg BLOB NOT NULL)"
    )


MIGRATIONS: list[tuple[int, Callable[[sqlite3.Connection], None]]] = [
    (3, _v3_fingerprints_and_gone),
    (4, _v4_motion_thumbs),
]
"""(schema version, step): each step brings a database of the version before up to its own,
in one transaction. `_SCHEMA` is schema 2; a new database runs every step."""

_PRESENT = "gone_at IS NULL"


@dataclass(frozen=True)
class KnownFile:
    """What the database remembers of a file, to decide whether it is done, gone or renamed."""

    size: int | None
    mtime_ns: int | None
    fingerprint: str | None
    gone: bool
    ok: bool  # classified (not an error)


class ResultsDB:
    def __init__(self, path: Path, include_gone: bool = False) -> None:
        self.path = path
        self.include_gone = include_gone  # exports and counts: files no longer on disk too
        self._conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        self._conn.execute("PRAGMA auto_vacuum=INCREMENTAL")  # new files: motion frames give
        self._conn.execute("PRAGMA journal_mode=WAL")  # their space back (events_store.py)
        self._conn.execute("PRAGMA synchronous=NORMAL")
        self._conn.execute("PRAGMA foreign_keys=ON")
        self._conn.executescript(_SCHEMA)
        self._migrate()

    def _migrate(self) -> None:
        row = self._conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        current = max(int(row[0]) if row else 0, 2)  # `_SCHEMA` made or completed schema 2
        for version, step in MIGRATIONS:
            if version > current:
                with transaction(self._conn):
                    step(self._conn)
                    self._set_meta("schema_version", str(version))
                current = version
        if row is None or int(row[0]) < current:
            self._set_meta("schema_version", str(current))

    def _set_meta(self, key: str, value: str) -> None:
        self._conn.execute(
            "INSERT INTO meta VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (key, value),
        )

    def meta(self, key: str) -> str | None:
        row = self._conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def source(self) -> str | None:
        """The folder these results belong to (older databases: the last run's source)."""
        known = self.meta("source")
        if known is not None:
            return known
        row = self._conn.execute("SELECT source FROM runs ORDER BY id DESC LIMIT 1").fetchone()
        return row[0] if row else None

    def set_source(self, source: str) -> None:
        self._set_meta("source", source)

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> "ResultsDB":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def start_run(self, run: RunInfo) -> int:
        cursor = self._conn.execute(
            "INSERT INTO runs (started_at, status, source, model_id, variant, model_sha256,"
            " backend, versions, settings) VALUES (?, 'running', ?, ?, ?, ?, ?, ?, ?)",
            (
                utc_now(),
                run.source,
                run.model_id,
                run.variant,
                run.model_sha256,
                run.backend,
                json.dumps(run.versions),
                json.dumps(run.settings, default=str),
            ),
        )
        return int(cursor.lastrowid)

    def finish_run(self, run_id: int, status: str) -> None:
        self._conn.execute(
            "UPDATE runs SET finished_at = ?, status = ? WHERE id = ?", (utc_now(), status, run_id)
        )

    def done_files(self) -> dict[str, tuple[int | None, int | None]]:
        """rel_path → (size, mtime_ns) of every stored file."""
        rows = self._conn.execute("SELECT rel_path, size, mtime_ns FROM files")
        return {rel: (size, mtime) for rel, size, mtime in rows}

    def known_files(self) -> dict[str, KnownFile]:
        """rel_path → what is remembered of it, for resume and reconciling with the disk."""
        rows = self._conn.execute(
            "SELECT rel_path, size, mtime_ns, fingerprint, gone_at IS NOT NULL, status = 'ok'"
            " FROM files"
        )
        return {
            rel: KnownFile(size, mtime, fp, bool(gone), bool(ok))
            for rel, size, mtime, fp, gone, ok in rows
        }

    def reconcile(
        self,
        gone: Iterable[str],
        back: Iterable[str],
        renamed: Iterable[tuple[str, str]],
        fingerprints: Iterable[tuple[str, str]],
    ) -> None:
        """In one transaction: mark files gone or back on disk, move the rows (and reviews) of
        renamed files to their new names, and store fingerprints of files known before them."""
        now = utc_now()
        with transaction(self._conn):
            self._conn.executemany(
                "UPDATE files SET gone_at = ? WHERE rel_path = ? AND gone_at IS NULL",
                [(now, rel) for rel in gone],
            )
            self._conn.executemany(
                "UPDATE files SET gone_at = NULL WHERE rel_path = ?", [(rel,) for rel in back]
            )
            for old, new in renamed:
                self._conn.execute("DELETE FROM files WHERE rel_path = ?", (new,))
                self._conn.execute(
                    "UPDATE files SET rel_path = ?, gone_at = NULL WHERE rel_path = ?", (new, old)
                )
                self._conn.execute(
                    "UPDATE corrections SET rel_path = ? WHERE rel_path = ?", (new, old)
                )
            self._conn.executemany(
                "UPDATE files SET fingerprint = ? WHERE rel_path = ?",
                [(fp, rel) for rel, fp in fingerprints],
            )

    def record(self, run_id: int, outcomes: Iterable[Outcome]) -> None:
        """Store a batch in one transaction: all of it is committed or none."""
        with transaction(self._conn):
            for outcome in outcomes:
                self._conn.execute("DELETE FROM files WHERE rel_path = ?", (outcome.file.rel,))
                file_id = self._insert_file(run_id, outcome)
                if isinstance(outcome, Classified):
                    self._conn.executemany(
                        "INSERT INTO predictions VALUES (?, ?, ?, ?, ?, ?)",
                        [
                            (file_id, rank, p.class_index, p.label, p.group, p.score)
                            for rank, p in enumerate(outcome.predictions)
                        ],
                    )
                    self._insert_detections(file_id, outcome.detections)
                    if outcome.thumb is not None:
                        self._conn.execute(
                            "INSERT INTO motion_thumbs VALUES (?, ?, ?)",
                            (file_id, outcome.thumb.side, outcome.thumb.jpeg),
                        )
                if isinstance(outcome, VideoClassified):
                    self._insert_frames(file_id, outcome)

    def _insert_detections(self, file_id: int, detections: Iterable[Detection]) -> None:
        for detection in detections:
            cursor = self._conn.execute(
                "INSERT INTO detections (file_id, frame_number, source, model_id, category,"
                " conf, x, y, w, h) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    file_id, detection.frame_number, detection.source, detection.model_id,
                    detection.category, detection.conf, *detection.box,
                ),
            )  # fmt: skip
            self._conn.executemany(
                "INSERT INTO detection_classifications VALUES (?, ?, ?, ?, ?, ?)",
                [
                    (cursor.lastrowid, rank, p.class_index, p.label, p.group, p.score)
                    for rank, p in enumerate(detection.classifications)
                ],
            )

    def _insert_frames(self, file_id: int, outcome: VideoClassified) -> None:
        video = outcome.video
        self._conn.execute(
            "INSERT INTO videos VALUES (?, ?, ?, ?, ?)",
            (file_id, video.fps, video.frames_read, video.duration_s, len(outcome.frames)),
        )
        self._conn.executemany(
            "INSERT INTO frames VALUES (?, ?, ?, ?)",
            [(file_id, f.frame_number, f.time_s, f.motion) for f in outcome.frames],
        )
        self._conn.executemany(
            "INSERT INTO frame_predictions VALUES (?, ?, ?, ?, ?, ?, ?)",
            [
                (file_id, f.frame_number, rank, p.class_index, p.label, p.group, p.score)
                for f in outcome.frames
                for rank, p in enumerate(f.predictions)
            ],
        )

    def _insert_file(self, run_id: int, outcome: Outcome) -> int:
        info = outcome.file
        common = (info.rel, info.kind, info.fmt, info.size, info.mtime_ns)
        if isinstance(outcome, Failed):
            values = (*common, "error", None, None, None, None, None, None)
            values += (outcome.code.value, outcome.detail, run_id)
        else:
            exif = outcome.exif
            values = (*common, "ok", outcome.width, outcome.height, exif.taken_at)
            values += (exif.make, exif.model, exif.serial, None, None, run_id)
        cursor = self._conn.execute(
            "INSERT INTO files (rel_path, kind, format, size, mtime_ns, status, width, height,"
            " taken_at, camera_make, camera_model, camera_serial, error_code, error_detail,"
            " run_id, fingerprint) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (*values, info.fingerprint),
        )
        return int(cursor.lastrowid)

    def iter_files(self) -> Iterator[FileRow]:
        """Every stored file in path order, with predictions and latest review, in one query;
        with `include_gone`, files no longer on disk too, with the status "gone".

        Streamed row by row, so 20,000+ files export in bounded memory.
        """
        rows = self._conn.execute(
            "SELECT f.id, f.rel_path, f.kind, f.format, f.size,"
            " CASE WHEN f.gone_at IS NULL THEN f.status ELSE 'gone' END, f.width, f.height,"
            " f.taken_at, f.camera_make, f.camera_model, f.camera_serial, f.error_code,"
            " f.error_detail, p.class_index, p.label, p.label_group, p.score,"
            f" {', '.join('c.' + column for column in _REVIEW_COLUMNS.split(', '))}"
            ", v.fps, v.frames_read, v.duration_s, v.frames_processed"
            " FROM files f LEFT JOIN predictions p ON p.file_id = f.id"
            " LEFT JOIN corrections c ON c.id ="
            " (SELECT MAX(id) FROM corrections WHERE rel_path = f.rel_path)"
            " LEFT JOIN videos v ON v.file_id = f.id"
            f" {self._where_present('f')}"
            " ORDER BY f.rel_path, p.rank"
        )
        boxes = self._detections_by_file()
        for file_id, group in groupby(rows, key=lambda row: row[0]):
            first, *rest = group
            fields, review, video = first[1:14], first[18:24], first[24:28]
            predictions = tuple(tuple(row[14:18]) for row in (first, *rest) if row[14] is not None)
            yield FileRow(
                *fields,
                predictions=predictions,
                review=Review(*review) if review[0] is not None else None,
                video=VideoRow(*video) if video[0] is not None else None,
                detections=boxes.take(file_id),
            )

    def _detections_by_file(self) -> "_DetectionStream":
        rows = self._conn.execute(
            _BOXES_QUERY
            + f" {self._where_present('f')}"  # the same files as the files query, in its order
            " ORDER BY f.rel_path, d.id, c.rank"
        )
        return _DetectionStream(rows)

    def detections(self, rel_path: str) -> tuple[DetectionRow, ...]:
        """The boxes of one file (all frames of a video), in the order they were stored."""
        rows = self._conn.execute(
            _BOXES_QUERY + " WHERE f.rel_path = ? ORDER BY d.id, c.rank",
            (rel_path,),
        )
        return tuple(_detection_rows(rows))

    def frames(self, rel_path: str) -> list[FrameRow]:
        """The sampled frames of a video in clip order, each with its top-5 (empty if none)."""
        rows = self._conn.execute(
            "SELECT fr.frame_number, fr.time_s, fr.motion, p.class_index, p.label,"
            " p.label_group, p.score FROM files f"
            " JOIN frames fr ON fr.file_id = f.id"
            " LEFT JOIN frame_predictions p"
            " ON p.file_id = fr.file_id AND p.frame_number = fr.frame_number"
            " WHERE f.rel_path = ? ORDER BY fr.frame_number, p.rank",
            (rel_path,),
        )
        frames = []
        for (number, time_s, motion), group in groupby(rows, key=lambda row: row[:3]):
            predictions = tuple(tuple(row[3:7]) for row in group if row[3] is not None)
            frames.append(FrameRow(number, time_s, motion, predictions))
        return frames

    def _where_present(self, alias: str) -> str:
        """The SQL filter leaving out files no longer on disk (none with `include_gone`)."""
        return "" if self.include_gone else f"WHERE {alias}.{_PRESENT}"

    def video_counts(self) -> tuple[int, int]:
        """(classified videos, sampled frames stored)."""
        present = self._where_present("f")
        videos = self._conn.execute(
            f"SELECT COUNT(*) FROM videos v JOIN files f ON f.id = v.file_id {present}"
        ).fetchone()[0]
        frames = self._conn.execute(
            f"SELECT COUNT(*) FROM frames fr JOIN files f ON f.id = fr.file_id {present}"
        ).fetchone()[0]
        return int(videos), int(frames)

    def video_labels(self) -> dict[int, int]:
        """class_index -> videos where it was the best guess on at least one frame."""
        present = "" if self.include_gone else f"AND f.{_PRESENT}"
        rows = self._conn.execute(
            "SELECT p.class_index, COUNT(DISTINCT p.file_id) FROM frame_predictions p"
            f" JOIN files f ON f.id = p.file_id WHERE p.rank = 0 {present} GROUP BY p.class_index"
        )
        return dict(rows.fetchall())

    def add_review(
        self, rel_path: str, action: str, label: str, group: str, class_index: int | None
    ) -> None:
        """Store a verdict; the latest one per file counts, earlier ones stay for undo."""
        self._conn.execute(
            "INSERT INTO corrections (rel_path, action, class_index, label, label_group,"
            " created_at) VALUES (?, ?, ?, ?, ?, ?)",
            (rel_path, action, class_index, label, group, utc_now()),
        )

    def restore_reviews(self, rows: Iterable[tuple]) -> None:
        """Put back reviews saved from a damaged database (engine.results.integrity), in order."""
        with transaction(self._conn):
            self._conn.executemany(
                f"INSERT INTO corrections ({_REVIEW_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?)", rows
            )

    def undo_review(self) -> Review | None:
        """Remove the most recent verdict (any file) and return it."""
        row = self._conn.execute(
            f"SELECT {_REVIEW_COLUMNS} FROM corrections ORDER BY id DESC LIMIT 1"
        ).fetchone()
        if row is None:
            return None
        self._conn.execute("DELETE FROM corrections WHERE id = (SELECT MAX(id) FROM corrections)")
        return Review(*row)

    def review_of(self, rel_path: str) -> Review | None:
        row = self._conn.execute(
            f"SELECT {_REVIEW_COLUMNS} FROM corrections WHERE rel_path = ?"
            " ORDER BY id DESC LIMIT 1",
            (rel_path,),
        ).fetchone()
        return Review(*row) if row else None

    def add_box_review(self, review: BoxReview) -> int:
        """Store a person's verdict on a box beside the machine's (never over it); its id."""
        cursor = self._conn.execute(
            "INSERT INTO box_reviews (rel_path, detection_id, action, category, label,"
            " frame_number, x, y, w, h, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                review.rel_path, review.detection_id, review.action, review.category,
                review.label, review.frame_number, *(review.box or (None,) * 4), utc_now(),
            ),
        )  # fmt: skip
        return int(cursor.lastrowid)

    def box_reviews(self, rel_path: str) -> tuple[BoxReview, ...]:
        """A file's box verdicts, oldest first (later ones win)."""
        rows = self._conn.execute(
            "SELECT id, rel_path, detection_id, action, category, label, frame_number,"
            " x, y, w, h, created_at FROM box_reviews WHERE rel_path = ? ORDER BY id",
            (rel_path,),
        )
        return tuple(
            BoxReview(rel, det, action, category, label, frame,
                      None if x is None else (x, y, w, h), created, review_id)
            for review_id, rel, det, action, category, label, frame, x, y, w, h, created in rows
        )  # fmt: skip

    def undo_box_review(self, review_id: int) -> None:
        self._conn.execute("DELETE FROM box_reviews WHERE id = ?", (review_id,))

    def error_counts(self) -> dict[str, int]:
        present = "" if self.include_gone else f"AND {_PRESENT}"
        rows = self._conn.execute(
            f"SELECT error_code, COUNT(*) FROM files WHERE status = 'error' {present}"
            " GROUP BY error_code"
        )
        return dict(rows.fetchall())

    def top_group_counts(self) -> dict[str, int]:
        """Files per group of their best prediction."""
        present = "" if self.include_gone else f"AND f.{_PRESENT}"
        rows = self._conn.execute(
            "SELECT p.label_group, COUNT(*) FROM predictions p JOIN files f ON f.id = p.file_id"
            f" WHERE p.rank = 0 {present} GROUP BY p.label_group"
        )
        return dict(rows.fetchall())

    def gone_count(self) -> int:
        """Files classified earlier that are no longer on disk (kept for history)."""
        return int(
            self._conn.execute(f"SELECT COUNT(*) FROM files WHERE NOT ({_PRESENT})").fetchone()[0]
        )

    def latest_run(self) -> dict[str, object] | None:
        cursor = self._conn.execute("SELECT * FROM runs ORDER BY id DESC LIMIT 1")
        row = cursor.fetchone()
        if row is None:
            return None
        return dict(zip([c[0] for c in cursor.description], row, strict=True))

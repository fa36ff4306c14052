"""Evaluate a results folder against a person's answers, three ways from one run.

- whole frame: the bundled model's label of the whole photo (what Ocelote answered before
  boxes; the same numbers a run without the motion step gives);
- per frame: the answer of each photo as stored — a detector's or the motion step's boxes where
  they decided, else the whole frame;
- events: each photo's answer after smoothing across its event.

Each for every labelled photo and for those in sequences (a `sequence_id` in the labels);
and, when the rules were chosen on some sources, for those (tuning) and the others (held out)
apart: a rule is judged on the sources it was not chosen on.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from posixpath import dirname

from engine.evaluate.metrics import Scores, TradeOff, scores, trade_off
from engine.evaluate.truth import Truth, read_truth_csv, reviewed_truth
from engine.events.answer import MOTION_THRESHOLD, answer
from engine.events.refresh import EventSettings, refresh_events
from engine.results.db import ResultsDB
from engine.results.events_store import EventsStore
from engine.results.four_way import four_way
from engine.results.rows import FileRow

WAYS = ("whole_frame", "per_frame", "events")


@dataclass(frozen=True)
class Evaluation:
    threshold: float
    labelled: int  # answers given by the person
    missing: tuple[str, ...]  # labelled files the results do not hold
    scores: dict[str, Scores]  # way → scores on every labelled photo found
    in_sequences: dict[str, Scores]  # way → scores on photos with a sequence id
    per_folder: dict[str, Scores]  # folder → per-frame scores
    trade_off: list[TradeOff] = field(default_factory=list)
    from_reviews: bool = False
    tuning: tuple[str, ...] = ()  # folder prefixes the rules were chosen on
    by_sources: dict[str, dict[str, Scores]] = field(default_factory=dict)  # tuning / held_out


def in_sources(rel: str, prefixes: tuple[str, ...]) -> bool:
    """Whether a stored path lies in one of the folders (whole path components only)."""
    return any(rel == p.rstrip("/") or rel.startswith(p.rstrip("/") + "/") for p in prefixes)


def evaluate(
    results: Path,
    truth_csv: Path | None,
    threshold: float = MOTION_THRESHOLD,
    tuning: tuple[str, ...] = (),
) -> Evaluation:
    db_path = results / "results.sqlite"
    with EventsStore(db_path) as store:
        has_events = bool(store.events())
    if not has_events:
        refresh_events(db_path, EventSettings(threshold=threshold))
    with ResultsDB(db_path) as db, EventsStore(db_path) as store:
        rows = {row.rel_path: row for row in db.iter_files()}
        verdicts = store.motion_verdicts()
        events = store.event_of_files()
        dismissed = frozenset(store.dismissed_detections())
    truth = read_truth_csv(truth_csv) if truth_csv else reviewed_truth(list(rows.values()))
    found = [(rel, label) for rel, label in truth.items() if rel in rows]
    missing = tuple(sorted(rel for rel in truth if rel not in rows))

    def per_frame(rel: str, at: float) -> str | None:
        return answer(rows[rel], verdicts.get(rel), at, dismissed)[0]

    def whole(row: FileRow) -> str | None:
        return four_way(row, threshold, boxes_decide=False)

    ways = {
        "whole_frame": [whole(rows[rel]) for rel, _t in found],
        "per_frame": [per_frame(rel, threshold) for rel, _t in found],
        "events": [
            events[rel][1] if rel in events else per_frame(rel, threshold) for rel, _t in found
        ],
    }
    labels = [t.four_way for _rel, t in found]
    in_seq = [i for i, (_rel, t) in enumerate(found) if t.sequence]
    tuned = [in_sources(rel, tuning) for rel, _t in found]
    groups = (
        {
            "tuning": [i for i, t in enumerate(tuned) if t],
            "held_out": [i for i, t in enumerate(tuned) if not t],
        }
        if tuning
        else {}
    )
    return Evaluation(
        threshold, len(truth), missing,
        {way: scores(labels, answers) for way, answers in ways.items()},
        {way: scores([labels[i] for i in in_seq], [answers[i] for i in in_seq])
         for way, answers in ways.items()} if in_seq else {},
        _per_folder(found, ways["per_frame"]),
        trade_off(labels, lambda at: [per_frame(rel, at) for rel, _t in found]),
        truth_csv is None,
        tuple(tuning),
        {group: {way: scores([labels[i] for i in kept], [answers[i] for i in kept])
                 for way, answers in ways.items()}
         for group, kept in groups.items() if kept},
    )  # fmt: skip


def _per_folder(found: list[tuple[str, Truth]], answers: list[str | None]) -> dict[str, Scores]:
    by_folder: dict[str, tuple[list[str], list[str | None]]] = defaultdict(lambda: ([], []))
    for (rel, label), given in zip(found, answers, strict=True):
        truth, answered = by_folder[dirname(rel) or "."]
        truth.append(label.four_way)
        answered.append(given)
    return {folder: scores(*pair) for folder, pair in sorted(by_folder.items())}

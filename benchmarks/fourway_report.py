"""The bundled path's four-way answer under three rules, read from one run.

Each cell is "top label / motion decides → now": *top label* is the whole-frame answer before
#18 (the best single label's group); *motion decides* is #18's first rule (the same, but where
the motion step judged a photo its boxes decide: no box above the threshold is empty); *now*
is what `engine.events.answer` gives: the group with the most stored
probability (background weighted, `engine.results.four_way.EMPTY_WEIGHT`), motion boxes that
add to it but never erase it. Both are read from the same results folder, so the table
compares rules, not runs. Rows: every labelled photo, those in sequences, the tuning sources
the rules were chosen on and the held-out others.

    PYTHONPATH=. python benchmarks/fourway_report.py [RESULTS_DIR] \
        [--truth ../shared/data/four_way.csv] [--tuning-sources A,B,C]

Without RESULTS_DIR it classifies ../shared/data into a temporary folder first.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from engine.evaluate.metrics import Scores, scores  # noqa: E402
from engine.evaluate.run import in_sources  # noqa: E402
from engine.evaluate.truth import read_truth_csv  # noqa: E402
from engine.events.answer import MOTION_THRESHOLD, answer  # noqa: E402
from engine.results.db import ResultsDB  # noqa: E402
from engine.results.events_store import EventsStore, MotionVerdict  # noqa: E402
from engine.results.four_way import group_four_way  # noqa: E402
from engine.results.rows import FileRow  # noqa: E402

TUNING = (
    "camera_traps_labelled/animl-r-southwest",
    "camera_traps/megadetector_test_images",
    "camera_traps/speciesnet_test_data",
)
COLUMNS = ("accuracy", "empty", "animal", "person")


def top_label(row: FileRow, _verdict: MotionVerdict | None, _threshold: float) -> str | None:
    """Before #18: the best single label's group on the whole frame."""
    if row.status != "ok" or not row.predictions:
        return None
    return group_four_way(row.predictions[0][2])


def motion_decides(row: FileRow, verdict: MotionVerdict | None, threshold: float) -> str | None:
    """#18's first rule: top label; motion boxes decide where the step judged the photo."""
    whole = top_label(row, verdict, threshold)
    if whole is None or verdict is None or verdict.status != "boxes":
        return whole
    above = [box for box in row.detections if box.conf >= threshold]
    if not above:
        return "empty"
    best = max(above, key=lambda box: box.conf).category
    return whole if whole in ("person", "vehicle") else best


def _now(row: FileRow, verdict: MotionVerdict | None, threshold: float) -> str | None:
    return answer(row, verdict, threshold)[0]


def _figure(score: Scores, column: str) -> float:
    return score.accuracy if column == "accuracy" else score.recall(column)


def table(results: Path, truth_csv: Path, tuning: tuple[str, ...], threshold: float) -> str:
    truth = read_truth_csv(truth_csv)
    db_path = results / "results.sqlite"
    with ResultsDB(db_path) as db, EventsStore(db_path) as store:
        rows = {row.rel_path: row for row in db.iter_files()}
        verdicts = store.motion_verdicts()
    found = [(rel, label) for rel, label in truth.items() if rel in rows]
    groups = {
        "all": found,
        "in sequences": [(r, t) for r, t in found if t.sequence],
        "tuning sources": [(r, t) for r, t in found if in_sources(r, tuning)],
        "held-out sources": [(r, t) for r, t in found if not in_sources(r, tuning)],
    }
    lines = [
        "| photos | n | four-way | empty recall | animal recall | person recall |",
        "|---|---|---|---|---|---|",
    ]
    for name, pairs in groups.items():
        labels = [t.four_way for _r, t in pairs]
        by_rule = [
            scores(labels, [rule(rows[r], verdicts.get(r), threshold) for r, _t in pairs])
            for rule in (top_label, motion_decides, _now)
        ]
        cells = []
        for column in COLUMNS:
            first, second, now = (_figure(score, column) for score in by_rule)
            cell = f"{first:.2f} / {second:.2f} → {now:.2f}"
            if column != "accuracy":
                cell += f" (n = {labels.count(column)})"
            cells.append(cell)
        lines.append(f"| {name} | {len(pairs)} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("results", type=Path, nargs="?")
    parser.add_argument("--truth", type=Path, default=ROOT.parent / "shared/data/four_way.csv")
    parser.add_argument("--tuning-sources", default=",".join(TUNING))
    parser.add_argument("--threshold", type=float, default=MOTION_THRESHOLD)
    args = parser.parse_args()
    tuning = tuple(p.strip() for p in args.tuning_sources.split(",") if p.strip())
    with tempfile.TemporaryDirectory() as scratch:
        results = args.results
        if results is None:
            results = Path(scratch) / "run"
            source = args.truth.parent
            command = [
                sys.executable,
                "-m",
                "engine",
                "classify",
                str(source),
                "--out",
                str(results),
            ]
            subprocess.run(command, cwd=ROOT, check=True, capture_output=True)
        print(f"tuning sources: {', '.join(tuning)}; threshold {args.threshold}")
        print(table(results, args.truth, tuning, args.threshold))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

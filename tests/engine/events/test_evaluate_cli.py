"""`ocelote evaluate` as a user runs it, on the real run and `four_way.csv` as shipped."""

import csv
import json
import re
import subprocess
import sys

from engine.evaluate.run import evaluate, in_sources
from engine.results.db import ResultsDB


def ocelote(*args: str) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "engine", *args]
    return subprocess.run(command, capture_output=True, text=True, check=False)


def _truth(traps):
    """The labels of `four_way.csv` for the photos of this run (the same relative paths)."""
    with (traps.shared / "four_way.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    with ResultsDB(traps.db_path) as db:
        stored = {row.rel_path for row in db.iter_files()}
    return [row for row in rows if row["file"] in stored]


def test_the_first_line_is_the_four_way_accuracy(traps):
    result = ocelote("evaluate", str(traps.results), "--truth", str(traps.shared / "four_way.csv"))
    assert result.returncode == 0, result.stderr
    first = result.stdout.splitlines()[0]
    n = len(_truth(traps))
    match = re.fullmatch(r"four-way accuracy (\d\.\d\d) \(n = (\d+)\)", first)
    assert match and int(match.group(2)) == n == 32
    assert "Confusion matrix" in result.stdout and "Per folder" in result.stdout


def test_the_figures_agree_with_the_labels(traps):
    evaluation = evaluate(traps.results, traps.shared / "four_way.csv", 0.3)
    truth = _truth(traps)
    assert evaluation.labelled == 222
    assert len(evaluation.missing) == 222 - len(truth)
    for way in ("whole_frame", "per_frame", "events"):
        scores = evaluation.scores[way]
        assert scores.n == len(truth)
        assert sum(map(sum, scores.confusion)) == len(truth)
        diagonal = sum(scores.confusion[i][i] for i in range(4))
        assert scores.accuracy == diagonal / len(truth)
        empties = sum(row["four_way"] == "empty" for row in truth)
        assert next(c for c in scores.classes if c.label == "empty").support == empties
    in_sequences = sum(bool(row["sequence_id"]) for row in truth)
    assert evaluation.in_sequences["per_frame"].n == in_sequences
    assert {folder.split("/")[-1] for folder in evaluation.per_folder} == {
        "microsoft-CameraTraps", "bhuvi3-wellington-seq", "ms_cameratraps_serengeti_sample",
        "speciesnet_test_data"}  # fmt: skip
    aside = [point.empties_set_aside for point in evaluation.trade_off]
    assert aside == sorted(aside)  # a higher threshold sets more photos aside as empty


def test_json_and_spanish(traps):
    truth = str(traps.shared / "four_way.csv")
    data = json.loads(ocelote("evaluate", str(traps.results), "--truth", truth, "--json").stdout)
    assert data["headline"].startswith("four-way accuracy")
    assert set(data["scores"]) == {"whole_frame", "per_frame", "events"}
    spanish = ocelote("--lang", "es", "evaluate", str(traps.results), "--truth", truth)
    assert spanish.stdout.splitlines()[0].startswith("exactitud en cuatro clases")


def test_reviews_are_the_truth_without_a_labels_file(traps, tmp_path):
    results = tmp_path / "results"
    results.mkdir()
    (results / "results.sqlite").write_bytes(traps.db_path.read_bytes())
    with ResultsDB(results / "results.sqlite") as db:
        rel = next(row.rel_path for row in db.iter_files() if "49305_1" in row.rel_path)
        db.add_review(rel, "correct", "empty", "background", None)
    result = ocelote("evaluate", str(results))
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0].endswith("(n = 1)")


def test_bad_labels_and_folders_are_refused_in_words(traps, tmp_path):
    bad = tmp_path / "labels.csv"
    bad.write_text("file,label\na.jpg,animal\n", encoding="utf-8")
    result = ocelote("evaluate", str(traps.results), "--truth", str(bad))
    assert result.returncode == 2 and "four_way" in result.stderr
    bad.write_text("file,four_way\na.jpg,bird\n", encoding="utf-8")
    result = ocelote("evaluate", str(traps.results), "--truth", str(bad))
    assert result.returncode == 2 and "bird" in result.stderr and "line 2" in result.stderr
    result = ocelote("evaluate", str(tmp_path), "--truth", str(bad))
    assert result.returncode == 2 and "not a results folder" in result.stderr
    bad.write_text("file,four_way\nelsewhere.jpg,animal\n", encoding="utf-8")
    result = ocelote("evaluate", str(traps.results), "--truth", str(bad))
    assert result.returncode == 1 and "None of the labelled photos" in result.stderr


def test_tuning_and_held_out_sources_are_reported_apart(traps):
    truth = traps.shared / "four_way.csv"
    tuning = ("camera_traps/speciesnet_test_data", "camera_traps/ms_cameratraps_serengeti_sample")
    evaluation = evaluate(traps.results, truth, 0.3, tuning)
    rows = _truth(traps)
    tuned = [
        r
        for r in rows
        if r["file"].split("/")[1] in {"speciesnet_test_data", "ms_cameratraps_serengeti_sample"}
    ]
    assert evaluation.tuning == tuning
    assert evaluation.by_sources["tuning"]["per_frame"].n == len(tuned) > 0
    assert evaluation.by_sources["held_out"]["per_frame"].n == len(rows) - len(tuned) > 0
    per_frame = evaluation.scores["per_frame"]
    both = [evaluation.by_sources[g]["per_frame"] for g in ("tuning", "held_out")]
    correct = sum(s.accuracy * s.n for s in both)
    assert abs(correct - per_frame.accuracy * per_frame.n) < 1e-9  # the two groups split it
    result = ocelote("evaluate", str(traps.results), "--truth", str(truth),
                     "--tuning-sources", ",".join(tuning))  # fmt: skip
    assert f"Tuning sources (n = {len(tuned)}):" in result.stdout
    assert f"Held-out sources (n = {len(rows) - len(tuned)}):" in result.stdout
    plain = ocelote("evaluate", str(traps.results), "--truth", str(truth))
    assert "Held-out sources" not in plain.stdout


def test_a_folder_prefix_matches_whole_folders_only():
    assert in_sources("a/b/c.jpg", ("a/b",)) and in_sources("a/b/c.jpg", ("a/b/",))
    assert not in_sources("a/bc/d.jpg", ("a/b",))

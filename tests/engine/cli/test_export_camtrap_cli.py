"""`ocelote export --format camtrapdp` exports every photo and says how the undated were dated."""

import csv

import pytest

from engine.cli import main
from tests.engine.results.export_fixtures import classified_card

CAMTRAP = ("--utc-offset=-05:00", "--latitude", "4.6", "--longitude", "-74.1")


def test_missing_time_choice_and_the_report_in_words(tmp_path, capsys):
    results = classified_card(tmp_path)
    out = tmp_path / "dp"
    argv = ["export", str(results.results), "--format", "camtrapdp", "--out", str(out)]
    assert main([*argv, *CAMTRAP, "--missing-time", "deployment"]) == 0
    said = capsys.readouterr().out
    assert "photos and videos in 3 deployments" in said
    assert "1 had no recorded time and were dated by their deployment's first time" in said
    assert "1 files that could not be read were set aside" in said
    with (out / "media.csv").open(encoding="utf-8", newline="") as handle:
        comments = [row["mediaComments"] for row in csv.DictReader(handle)]
    assert comments.count("No recorded time: the deployment's first time was used.") == 1
    with pytest.raises(SystemExit) as refused:
        main([*argv, *CAMTRAP, "--missing-time", "never"])
    assert refused.value.code == 2

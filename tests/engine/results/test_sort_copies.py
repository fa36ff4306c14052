"""Sorting copies of real trap photos: byte-identical, sources untouched, resumable, contained."""

import pytest

from engine.pipeline.cancel import CancelToken
from engine.results.atomic import ExportError
from engine.results.db import ResultsDB
from engine.results.sort_copies import safe_folder_name, sort_copies
from tests.engine.results.export_fixtures import (
    PHOTOS,
    REVIEWED_ANIMAL,
    REVIEWED_EMPTY,
    classified_card,
)
from tests.helpers import tree_hashes


@pytest.fixture
def results(tmp_path):
    return classified_card(tmp_path)


def sort(results, out, **kwargs):
    with ResultsDB(results.db_path) as db:
        return sort_copies(db, results.source, out, **kwargs)


def test_copies_are_identical_and_sources_unchanged(results, tmp_path):
    before = tree_hashes(results.source)
    progress = []
    report = sort(results, tmp_path / "sorted", on_progress=lambda d, t: progress.append((d, t)))
    assert tree_hashes(results.source) == before
    assert report.copied == len(before) - 1 and not report.failed  # the empty file has no label
    copies = tree_hashes(tmp_path / "sorted")
    assert sorted(copies.values()) == sorted(h for p, h in before.items() if p != "camB/empty.jpg")
    assert f"felines/{REVIEWED_ANIMAL}" in copies  # the person's verdict decides the folder
    assert f"background/{REVIEWED_EMPTY}" in copies
    assert progress[-1] == (report.copied, report.copied)
    assert not [p for p in copies if "partial" in p]


def test_second_sort_skips_everything_and_never_overwrites(results, tmp_path):
    out = tmp_path / "sorted"
    first = sort(results, out, by="label")
    foreign = out / "jaguar" / REVIEWED_ANIMAL
    foreign.write_bytes(b"someone else's file")
    second = sort(results, out, by="label")
    assert (second.copied, second.skipped) == (1, first.copied - 1)
    assert foreign.read_bytes() == b"someone else's file"
    assert (foreign.parent / "ocelot (1).jpg").read_bytes() == (
        results.source / REVIEWED_ANIMAL
    ).read_bytes()
    third = sort(results, out, by="label")
    assert (third.copied, third.skipped) == (0, first.copied)


def test_escaping_label_is_refused_and_nothing_leaves_out(results, tmp_path):
    with ResultsDB(results.db_path) as db:
        db.add_review(REVIEWED_ANIMAL, "correct", "../../escaped", "felines", None)
    report = sort(results, tmp_path / "out" / "sorted", by="label")
    assert [rel for rel, _reason in report.failed] == [REVIEWED_ANIMAL]
    assert "cannot be a folder name" in report.failed[0][1]
    assert not (tmp_path / "escaped").exists()
    top_levels = {p.relative_to(tmp_path).parts[0] for p in tmp_path.rglob("*")}
    assert top_levels == {"out", "results", "SD card"}


@pytest.mark.parametrize("name", ["..", ".", "", "/etc", "a/b", "a\\b", "C:evil"])
def test_unsafe_folder_names(name):
    with pytest.raises(ExportError):
        safe_folder_name(name)


def test_odd_but_safe_names_are_cleaned():
    assert safe_folder_name('what? a "fox"') == "what_ a _fox_"
    assert safe_folder_name("jack-o'-lantern") == "jack-o'-lantern"


def test_cancel_stops_and_a_rerun_finishes(results, tmp_path):
    token = CancelToken()
    out = tmp_path / "sorted"

    def stop_after_two(done, _total):
        if done == 2:
            token.cancel()

    first = sort(results, out, on_progress=stop_after_two, cancel=token)
    assert first.cancelled and first.copied == 2
    second = sort(results, out)
    assert (second.copied, second.skipped, second.cancelled) == (len(PHOTOS) - 2, 2, False)


def test_output_inside_the_source_is_refused(results):
    with pytest.raises(ExportError):
        sort(results, results.source / "sorted")


def test_a_name_with_a_backslash_is_found_on_disk_and_copied(tmp_path):
    """Stored names escape backslashes (lossless names); the copy must open the disk's name."""
    import shutil

    from engine.pipeline.job import ClassifyJob, JobSettings
    from tests.engine.results.export_fixtures import PHOTOS

    source = tmp_path / "card"
    source.mkdir()
    shutil.copy(PHOTOS[0], source / "cam\\01.jpg")
    out = tmp_path / "results"
    ClassifyJob(JobSettings(source=source, out_dir=out, detector="none", motion=False)).run()
    with ResultsDB(out / "results.sqlite") as db:
        report = sort_copies(db, source, tmp_path / "sorted")
    assert report.copied == 1 and not report.failed
    assert [p.name for p in (tmp_path / "sorted").rglob("*.jpg")] == ["cam\\01.jpg"]

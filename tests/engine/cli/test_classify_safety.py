"""`ocelote classify` keeps results apart, whole and honest: real processes, real signals."""

import json
import os
import re
import signal
import sqlite3
from pathlib import Path

import pytest

from engine.cli.classify import EXIT_FAILED, EXIT_OK, EXIT_USAGE
from engine.launch import EXIT_INTERRUPTED, EXIT_TERMINATED
from engine.launch import main as launch_main
from engine.pipeline.lock import results_lock
from engine.results.exporters import FORMATS
from engine.results.folders import EXPORT_NAMES, results_folder_for, source_of_results
from tests.engine.cli.test_cli import (
    BIG_COPIES,
    SAMPLE_COUNT,
    SAMPLES,
    big_card,  # noqa: F401 - a fixture
    ocelote,
    start,
    stored_count,
    wait_for_rows,
)
from tests.helpers import tree_hashes

README = Path(__file__).resolve().parents[3] / "README.md"


def copy_samples(folder: Path, count: int = 3) -> Path:
    folder.mkdir(parents=True)
    for sample in sorted(SAMPLES.glob("*.jpg"))[:count]:
        (folder / sample.name).write_bytes(sample.read_bytes())
    return folder


def test_out_equal_to_or_containing_the_source_is_refused_with_exit_2(tmp_path):
    """Item 3: --out SOURCE (or its parent) classified nothing, exited 0 and wrote among photos."""
    card = copy_samples(tmp_path / "card" / "DCIM")
    before = tree_hashes(tmp_path / "card")
    for out in (card, card.parent):
        result = ocelote("--lang", "en", "classify", str(card), "--out", str(out))
        assert result.returncode == EXIT_USAGE, result.stderr
        assert "is the photo folder" in result.stderr and "Traceback" not in result.stderr
    assert tree_hashes(tmp_path / "card") == before  # no results.sqlite among the photos


def test_two_dcim_folders_get_their_own_results_and_never_share_one(tmp_path):
    """Item 2: Documents/Ocelote/<folder name> made every card's DCIM share one database."""
    canon = copy_samples(tmp_path / "cards" / "CANON" / "DCIM", 2)
    nikon = copy_samples(tmp_path / "cards" / "NIKON" / "DCIM", 3)
    env = {**os.environ, "HOME": str(tmp_path / "home")}
    env.pop("XDG_CONFIG_HOME", None)
    env.pop("XDG_DOCUMENTS_DIR", None)
    first = ocelote("--lang", "en", "classify", str(canon), env=env)
    second = ocelote("--lang", "en", "classify", str(nikon), env=env)
    assert first.returncode == second.returncode == EXIT_OK, first.stderr + second.stderr
    root = tmp_path / "home" / "Documents" / "Ocelote"
    folders = sorted(p.name for p in root.iterdir())
    assert folders == ["DCIM (CANON)", "DCIM (NIKON)"]
    assert stored_count(root / "DCIM (CANON)" / "results.sqlite") == 2
    assert stored_count(root / "DCIM (NIKON)" / "results.sqlite") == 3
    assert source_of_results(root / "DCIM (NIKON)") == os.path.realpath(nikon)
    assert results_folder_for(root, canon) == root / "DCIM (CANON)"  # a re-run resumes there
    again = ocelote("--lang", "en", "classify", str(canon), env=env)
    assert "Resuming: 2 files were already done." in again.stderr
    assert sorted(p.name for p in root.iterdir()) == folders


def test_results_folder_of_another_source_is_refused_with_exit_2(tmp_path):
    """Item 2: choosing an existing results folder of a different source refuses (CLI)."""
    out = tmp_path / "results"
    first = copy_samples(tmp_path / "a" / "DCIM", 2)
    other = copy_samples(tmp_path / "b" / "DCIM", 1)
    assert ocelote("classify", str(first), "--out", str(out)).returncode == EXIT_OK
    result = ocelote("--lang", "en", "classify", str(other), "--out", str(out))
    assert result.returncode == EXIT_USAGE
    assert "holds the results of another photo folder" in result.stderr
    assert os.path.realpath(first) in result.stderr
    assert stored_count(out / "results.sqlite") == 2


def test_sigterm_stops_like_ctrl_c_writes_exports_and_marks_the_run(tmp_path, big_card):  # noqa: F811
    """Item 12: SIGTERM ended with no message, no CSV/JSON, and the run left 'running'."""
    out = tmp_path / "out"
    process = start(
        "--lang", "en", "classify", str(big_card), "--out", str(out), "--batch", "2",
        "--threads", "1",
    )  # fmt: skip
    wait_for_rows(out / "results.sqlite", process)
    process.send_signal(signal.SIGTERM)
    _stdout, stderr = process.communicate(timeout=120)
    assert process.returncode == EXIT_TERMINATED, stderr
    assert "Traceback" not in stderr
    assert "Stopped. Run the same command again to continue." in stderr
    done = stored_count(out / "results.sqlite")
    assert 0 < done < BIG_COPIES * SAMPLE_COUNT
    document = json.loads((out / "results.json").read_text(encoding="utf-8"))
    assert len(document["images"]) == done
    assert (out / "results.csv").read_text(encoding="utf-8-sig").count("\n") == done + 1
    with sqlite3.connect(out / "results.sqlite") as conn:
        status = conn.execute("SELECT status FROM runs ORDER BY id DESC").fetchone()[0]
    assert status == "cancelled"


@pytest.mark.parametrize("delay", [0.2, 0.5, 1.0])
def test_ctrl_c_in_the_first_second_prints_no_traceback(tmp_path, delay):
    """Item 12: Ctrl+C while the program starts (imports, model loading) gave a traceback."""
    process = start("--lang", "en", "classify", str(SAMPLES), "--out", str(tmp_path / "out"))
    try:
        process.wait(timeout=delay)
    except Exception:  # noqa: BLE001 - still starting, as intended
        process.send_signal(signal.SIGINT)
    _stdout, stderr = process.communicate(timeout=120)
    assert "Traceback" not in stderr and "KeyboardInterrupt" not in stderr, stderr
    assert process.returncode in (EXIT_INTERRUPTED, EXIT_OK), stderr


@pytest.mark.parametrize("process", [False, True])
def test_after_the_command_stops_are_put_back_in_process_and_ignored_by_the_process(
    tmp_path, process
):
    """A Ctrl+C during the interpreter's shutdown, after a finished run, ended the process by
    the signal (exit -2, seen when a run finished within the test's 1 s): the `ocelote`
    process ignores stops once its command has returned; a caller in-process gets its own
    handlers back."""
    before = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        not_results = ["--lang", "en", "evaluate", str(tmp_path)]  # a command that returns
        assert launch_main(not_results, process=process) == EXIT_USAGE
        after = {s: signal.getsignal(s) for s in before}
        assert after == ({s: signal.SIG_IGN for s in before} if process else before)
    finally:
        for signum, handler in before.items():
            signal.signal(signum, handler)


def test_a_second_run_on_a_busy_results_folder_says_who_holds_it(tmp_path):
    """Item 13: two runs on one results folder both did all the work."""
    out = tmp_path / "out"
    out.mkdir()
    with results_lock(out):
        result = ocelote("--lang", "en", "classify", str(SAMPLES), "--out", str(out))
    assert result.returncode == EXIT_FAILED
    assert f"process {os.getpid()} on" in result.stderr and "in use" in result.stderr
    assert stored_count(out / "results.sqlite") == 0
    assert ocelote("classify", str(SAMPLES), "--out", str(out)).returncode == EXIT_OK


def test_leftovers_of_a_killed_export_are_cleared_on_the_next_run(tmp_path):
    """Item 13: a kill during export left *.partial files behind for good."""
    out = tmp_path / "out"
    out.mkdir()
    (out / "results.csv.partial").write_text("half a file")
    (out / "camtrap-dp.partial").mkdir()
    (out / "camtrap-dp.partial" / "media.csv").write_text("half")
    (out / "notes.txt.partial").write_text("not Ocelote's: stays")
    assert ocelote("classify", str(SAMPLES), "--out", str(out)).returncode == EXIT_OK
    assert [p.name for p in out.glob("*.partial")] == ["notes.txt.partial"]
    assert set(EXPORT_NAMES) == {chosen.default_name for chosen in FORMATS.values()}
    assert (out / "results.csv").is_file()


def test_discovery_says_how_many_files_it_has_found_as_it_goes(tmp_path):
    """Item 13: discovering 100,000 files showed nothing for ~17 s."""
    card = tmp_path / "card"
    for folder in range(3):
        (card / f"{folder}").mkdir(parents=True)
        for index in range(700):
            (card / f"{folder}" / f"IMG_{index:04d}.JPG").write_bytes(b"")
    result = ocelote("--lang", "en", "classify", str(card), "--out", str(tmp_path / "out"))
    assert result.returncode == EXIT_OK, result.stderr
    lines = [line for line in result.stderr.splitlines() if line.startswith("Found ")]
    assert lines == ["Found 1,000 files…", "Found 2,000 files…"]
    assert result.stderr.index("Found 2,000") < result.stderr.index("Model:")


def test_readme_documents_every_exit_code_of_classify():
    """Item 13: exit code 1 was used but not documented (nor is 143 yet)."""
    text = README.read_text(encoding="utf-8")
    section = text[text.index("Exit codes:") :][:700]
    for code in (EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_INTERRUPTED, EXIT_TERMINATED):
        assert re.search(rf"\b{code}\b", section), f"exit code {code} is not documented"

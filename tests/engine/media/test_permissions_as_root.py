"""Root reads chmod-000 files anyway, so CI (root) runs the permission cases in a child
process whose capabilities to bypass file permissions are dropped: they are never skipped."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.engine.media.corpus import PERMISSIONS_ENFORCED

REPO = Path(__file__).resolve().parents[3]
PERMISSION_TESTS = [
    "tests/engine/media/test_media_sniff.py",
    "tests/engine/media/test_media_decode.py::test_permission_denied",
    "tests/engine/media/test_media_discover.py::test_unreadable_folder_and_file",
    "tests/engine/pipeline/test_job.py::"
    "test_bad_corpus_every_file_ends_with_a_result_or_a_named_error",
    "tests/engine/pipeline/test_job_reconcile.py::"
    "test_files_in_a_folder_that_cannot_be_listed_now_are_not_called_gone",
]


@pytest.mark.skipif(PERMISSIONS_ENFORCED, reason="permissions are enforced: ran directly")
def test_permission_cases_without_the_power_to_bypass_permissions():
    setpriv = shutil.which("setpriv")
    assert setpriv, "setpriv (util-linux) is needed to drop root's DAC override"
    command = [
        setpriv, "--bounding-set=-dac_override,-dac_read_search", "--inh-caps=-all",
        sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-rs", *PERMISSION_TESTS,
    ]  # fmt: skip
    result = subprocess.run(command, cwd=REPO, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert "skipped" not in result.stdout.splitlines()[-1], result.stdout[-2000:]

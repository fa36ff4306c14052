"""Screenshots for the README, only when asked: OCELOTE_SCREENSHOTS=1 pytest tests/gui."""

import os

import pytest

from engine.paths import install_root


@pytest.mark.skipif(not os.environ.get("OCELOTE_SCREENSHOTS"), reason="OCELOTE_SCREENSHOTS unset")
def test_write_screenshots_of_the_main_states(qapp):
    from gui import screenshots

    out = install_root() / "docs" / "screenshots"
    assert screenshots.main([str(out)]) == 0
    for language in ("en", "es"):
        for state in ("start", "running", "results", "review"):
            for suffix in ("", "-1366x768"):
                assert (out / f"{language}-{state}{suffix}.png").stat().st_size > 10_000
        for state in ("results", "review"):  # boxes from the stand-in detector
            assert (out / f"{language}-{state}-boxes.png").stat().st_size > 10_000

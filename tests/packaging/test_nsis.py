"""The Windows installer script compiles: `makensis` (Debian's `nsis`) over a stand-in payload,
so a syntax error in installer/windows/ocelote.nsi.in cannot land. The real installer is
built on a Windows runner (.github/workflows/windows-installer.yml)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

pytestmark = pytest.mark.packaging

REPO = Path(__file__).resolve().parents[2]
TEMPLATE = REPO / "installer" / "windows" / "ocelote.nsi.in"


def _render(out: Path, **values: str) -> subprocess.CompletedProcess[str]:
    pairs = [f"{key}={value}" for key, value in values.items()]
    return subprocess.run(
        [sys.executable, str(REPO / "packaging" / "version.py"), "render", str(TEMPLATE),
         str(out), *pairs],
        capture_output=True, text=True, check=False,
    )  # fmt: skip


def _version() -> str:
    done = subprocess.run([sys.executable, str(REPO / "packaging" / "version.py")],
                          capture_output=True, text=True, check=True)  # fmt: skip
    return done.stdout.strip()


def test_installer_script_compiles(tmp_path: Path):
    makensis = shutil.which("makensis")
    if not makensis:
        pytest.fail("`makensis` is missing: install Debian's `nsis` (scripts/setup.sh does)")
    payload = tmp_path / "ocelote"
    (payload / "_internal" / "assets").mkdir(parents=True)
    for name in ("ocelote.exe", "ocelote-gui.exe"):
        (payload / name).write_bytes(b"MZ stand-in")
    (payload / "_internal" / "assets" / "readme.txt").write_text("stand-in payload")
    icon = tmp_path / "ocelote.ico"
    Image.open(REPO / "assets" / "icons" / "ocelote.png").save(icon, sizes=[(32, 32), (256, 256)])
    script, setup = tmp_path / "ocelote.nsi", tmp_path / "Ocelote-setup.exe"
    done = _render(script, BUNDLE_DIR=str(payload), OUT_FILE=str(setup), ICON_FILE=str(icon))
    assert done.returncode == 0, done.stderr

    text = script.read_text(encoding="utf-8-sig")
    assert f'!define APP_VERSION "{_version()}"' in text
    for needed in ('MUI_LANGUAGE "Spanish"', 'MUI_LANGUAGE "English"',
                   "RequestExecutionLevel user", r"$LOCALAPPDATA\Programs\Ocelote"):  # fmt: skip
        assert needed in text
    assert "HKLM" not in text and "WriteRegStr HKCR" not in text  # per user, no associations

    # -WX: a warning (unused string, missing language text) fails the test too
    done = subprocess.run([makensis, "-V2", "-WX", str(script)], capture_output=True,
                          text=True, check=False)  # fmt: skip
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    assert setup.is_file() and setup.read_bytes()[:2] == b"MZ"


def test_template_placeholders_must_all_be_filled(tmp_path: Path):
    done = _render(tmp_path / "x.nsi", BUNDLE_DIR="payload")
    assert done.returncode != 0 and "ICON_FILE" in done.stderr and "OUT_FILE" in done.stderr

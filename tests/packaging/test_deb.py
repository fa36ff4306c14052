"""The Linux installer, for real: build the PyInstaller bundle and the .deb, install it with
dpkg, run the installed programs headless and offline, remove it and check nothing is left.

Needs root and dpkg (CI is root on Debian 12). The bundle is cached in dist/ (rebuilt only
when its inputs change, packaging/build_linux.sh), so a second run takes seconds.
Figures (sizes, start-up times) go to build/packaging-figures.json.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.packaging

REPO = Path(__file__).resolve().parents[2]
OPT = Path("/opt/ocelote")
LINKS = [Path("/usr/bin/ocelote"), Path("/usr/bin/ocelote-gui")]
DESKTOP = Path("/usr/share/applications/ocelote.desktop")
ICONS = [
    Path("/usr/share/icons/hicolor/256x256/apps/ocelote.png"),
    Path("/usr/share/icons/hicolor/scalable/apps/ocelote.svg"),
]
FIGURES: dict[str, object] = {}


def _version() -> str:
    return subprocess.run(
        [sys.executable, str(REPO / "packaging" / "version.py")],
        capture_output=True, text=True, check=True,
    ).stdout.strip()  # fmt: skip


def _run(argv: list[str], **kwargs) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(argv, capture_output=True, text=True, check=False, **kwargs)
    if done.returncode != 0:
        pytest.fail(f"{' '.join(map(str, argv))} failed ({done.returncode}):\n"
                    f"{done.stdout[-3000:]}\n{done.stderr[-3000:]}")  # fmt: skip
    return done


def _installed() -> bool:
    done = subprocess.run(["dpkg-query", "-W", "-f=${Status}", "ocelote"],
                          capture_output=True, text=True, check=False)  # fmt: skip
    return "install ok installed" in done.stdout


def _user_env(home: Path) -> dict[str, str]:
    """A user with an empty home, as after a fresh install: no dev settings leak in."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("XDG_", "PYTHON", "OCELOTE_", "QT_", "VIRTUAL_ENV"))}  # fmt: skip
    env.update(HOME=str(home), LANG="C.UTF-8", PATH="/usr/bin:/bin:/usr/sbin:/sbin")
    return env


def _offline(argv: list[str]) -> list[str]:
    """Run with no network interface but loopback: any attempt to reach one fails."""
    return ["unshare", "--net", "--", *argv]


def _listing(folder: Path) -> dict[str, tuple[int, int]]:
    return {str(p): (p.stat().st_size, p.stat().st_mtime_ns) for p in folder.rglob("*")}


@pytest.fixture(scope="module")
def deb_file() -> Path:
    if os.geteuid() != 0:
        pytest.fail("the .deb test installs a package: run it as root (CI does)")
    for tool in ("dpkg", "dpkg-deb", "dpkg-query", "unshare"):
        if not shutil.which(tool):
            pytest.fail(f"`{tool}` is missing: the .deb test needs Debian's dpkg and util-linux")
    if subprocess.run(["unshare", "--net", "true"], check=False).returncode != 0:
        pytest.fail("`unshare --net` is not permitted here: the offline check needs it (root)")
    env = dict(os.environ, PYTHON=sys.executable, DEB_COMPRESSION="gzip")
    start = time.monotonic()
    _run(["bash", "packaging/build_linux.sh", "--bundle-only"], cwd=REPO, env=env)
    FIGURES["bundle_build_or_cache_check_s"] = round(time.monotonic() - start, 1)
    version = _version()
    _run(["bash", "installer/linux/build_deb.sh", version], cwd=REPO, env=env)
    arch = _run(["dpkg", "--print-architecture"]).stdout.strip()
    deb = REPO / "dist" / f"ocelote_{version}_{arch}.deb"
    assert deb.is_file(), f"{deb} was not made"
    FIGURES["deb_gzip_mb"] = round(deb.stat().st_size / 1e6, 1)
    return deb


@pytest.fixture(scope="module")
def installed(deb_file: Path, tmp_path_factory: pytest.TempPathFactory):
    if _installed():  # left over by an interrupted run
        _run(["dpkg", "-r", "ocelote"])
    _run(["dpkg", "-i", str(deb_file)])
    FIGURES["installed_mb"] = round(
        sum(p.lstat().st_size for p in OPT.rglob("*") if not p.is_symlink()) / 1e6, 1
    )
    yield tmp_path_factory.mktemp("ranger-home")
    if _installed():
        subprocess.run(["dpkg", "-r", "ocelote"], check=False)
    (REPO / "build").mkdir(exist_ok=True)
    (REPO / "build" / "packaging-figures.json").write_text(json.dumps(FIGURES, indent=2))


def _top1(results_csv: Path) -> dict[str, str]:
    with results_csv.open(encoding="utf-8-sig", newline="") as handle:
        return {row["file"]: row["label_en"] for row in csv.DictReader(handle)}


def test_package_layout(deb_file: Path):
    listing = _run(["dpkg-deb", "--contents", str(deb_file)]).stdout
    for needed in ("./opt/ocelote/ocelote", "./opt/ocelote/ocelote-gui", "ocelote.desktop",
                   "hicolor/256x256/apps/ocelote.png", "hicolor/scalable/apps/ocelote.svg",
                   "LC_MESSAGES/ocelote.mo", "assets/models/", "assets/samples/",
                   "camtrapdp/camtrap-dp-profile.json", "platforms/libqoffscreen",
                   "platforms/libqxcb"):  # fmt: skip
        assert needed in listing, f"{needed} is not in the package"
    for unwanted in ("torch", "QtQml", "QtQuick", "QtWebEngine", "QtNetwork", "tkinter",
                     "pytest", "libpocl", "/qml/", "ocelote.po"):  # fmt: skip
        assert unwanted not in listing, f"{unwanted} should not be in the package"
    control = _run(["dpkg-deb", "--field", str(deb_file)]).stdout
    assert f"Version: {_version()}" in control
    assert "libxcb-cursor0" in control and "libegl1" in control


def test_installed_programs_work_offline(installed: Path):
    home = installed
    env = _user_env(home)
    opt_before = _listing(OPT)
    assert all(link.resolve().parent == OPT for link in LINKS)
    assert DESKTOP.is_file() and all(icon.is_file() for icon in ICONS)

    start = time.monotonic()
    done = _run(_offline(["/usr/bin/ocelote", "--version"]), env=env, cwd=home)
    FIGURES["version_s"] = round(time.monotonic() - start, 2)
    assert done.stdout.strip() == f"ocelote {_version()}"

    frozen_out, dev_out = home / "frozen", home.parent / "dev-results"
    samples = REPO / "assets" / "samples"
    start = time.monotonic()
    _run(_offline(["/usr/bin/ocelote", "classify", str(samples), "--out", str(frozen_out)]),
         env=env, cwd=home)  # fmt: skip
    FIGURES["classify_samples_s"] = round(time.monotonic() - start, 2)
    dev_env = dict(os.environ, OCELOTE_DATA_DIR=str(home.parent / "dev-data"))
    dev_cmd = [sys.executable, "-m", "engine", "classify", str(samples), "--out", str(dev_out)]
    _run(dev_cmd, cwd=REPO, env=dev_env)
    frozen, dev = _top1(frozen_out / "results.csv"), _top1(dev_out / "results.csv")
    assert len(frozen) >= 10 and frozen == dev

    _check_gui_starts(home, env)
    assert _listing(OPT) == opt_before, "the installed program wrote into /opt/ocelote"


def _check_gui_starts(home: Path, env: dict[str, str]) -> None:
    """The window comes up offscreen, offline, and keeps running; no traceback anywhere."""
    env = dict(env, QT_QPA_PLATFORM="offscreen")
    start = time.monotonic()
    pipe = subprocess.PIPE
    process = subprocess.Popen(_offline(["/usr/bin/ocelote-gui"]), env=env, cwd=home,
                               stdout=pipe, stderr=pipe, text=True)  # fmt: skip
    shown, log = None, None
    try:
        while time.monotonic() - start < 90 and process.poll() is None:
            log = next(home.rglob("ocelote.log"), None)
            text = log.read_text(errors="replace") if log else ""
            if "Ocelote window started" in text:
                shown = time.monotonic() - start
                break
            if "Traceback" in text:  # an error dialog would wait forever offscreen
                break
            time.sleep(0.05)
        time.sleep(3)  # the device probe and first paint run after the window is shown
        still_running = process.poll() is None
    finally:
        process.terminate()
        out, err = process.communicate(timeout=30)
    log_text = log.read_text(errors="replace") if log else ""
    assert shown is not None, f"no 'window started' in the log:\n{err[-3000:]}{log_text[-3000:]}"
    FIGURES["gui_window_shown_s"] = round(shown, 2)
    deadline = time.monotonic() + 20  # device probes may finish their work after the window
    while _left_running() and time.monotonic() < deadline:
        time.sleep(0.2)
    stray = _left_running()
    for pid in stray:
        os.kill(pid, 9)
    assert not stray, f"processes of /opt/ocelote still running 20 s after the window: {stray}"
    assert still_running, f"ocelote-gui exited early ({process.returncode}):\n{err[-3000:]}"
    log_text = log.read_text(errors="replace") if log else ""  # after 3 s more
    assert "Traceback" not in err + out + log_text, err[-3000:] + log_text[-3000:]


def _left_running() -> list[int]:
    """Processes of the installed program still alive (e.g. probes that start windows)."""
    pids = []
    for proc in Path("/proc").glob("[0-9]*"):
        try:
            if os.readlink(proc / "exe").startswith(str(OPT)):
                pids.append(int(proc.name))
        except OSError:
            continue
    return pids


def test_remove_leaves_nothing(installed: Path):
    _run(["dpkg", "-r", "ocelote"])
    assert not _installed()
    left = [p for p in (OPT, *LINKS, DESKTOP, *ICONS) if p.exists() or p.is_symlink()]
    assert not left, f"left behind after dpkg -r: {left}"

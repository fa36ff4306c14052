"""`ocelote devices` through a throwaway parser (the lead wires the real one)."""

import argparse
import json
from pathlib import Path

import pytest

from engine.cli import devices

DUMP = "clinfo_amd_rx570_ellesmere_amdapp3380_pal_linux.txt"


def _run(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    devices.add_parser(parser.add_subparsers())
    args = parser.parse_args(argv)
    return args.func(args)


def test_json_from_dump_has_required_keys(shared_data: Path, capsys: pytest.CaptureFixture) -> None:
    assert _run(["devices", "--from", str(shared_data / "gpu_dumps" / DUMP), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    for device in data["devices"]:
        assert {"vendor", "name", "family", "gfx", "vram_bytes", "backends"} <= set(device)
    gpu = data["devices"][0]
    assert (gpu["vendor"], gpu["family"], gpu["vram_bytes"]) == ("amd", "Polaris", 8 * 1024**3)


def test_table_from_dump(shared_data: Path, capsys: pytest.CaptureFixture) -> None:
    assert _run(["devices", "--from", str(shared_data / "gpu_dumps" / DUMP)]) == 0
    out = capsys.readouterr().out
    assert "Radeon RX 570" in out and "Polaris (gfx803)" in out and "8.0 GB" in out


def test_missing_file_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    assert _run(["devices", "--from", str(tmp_path / "nope.txt")]) == 2
    assert "nope.txt" in capsys.readouterr().err


def test_live_json(capsys: pytest.CaptureFixture) -> None:
    assert _run(["devices", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert any(d["vendor"] == "cpu" for d in data["devices"])

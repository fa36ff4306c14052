"""`ocelote devices [--json] [--from FILE]`: what this PC (or a pasted dump) has, as a table."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from engine.cli.bench_backends import format_rows, load_images
from engine.hardware.device import DeviceProfile, GpuDevice
from engine.hardware.profile import detect, profile_from_dump, to_json_dict
from engine.i18n import _, fmt_bytes
from engine.models.probe import probe
from engine.models.select import Preferences
from engine.models.store import find_card
from engine.paths import assets_dir
from engine.pipeline.plan import make_plan

EXIT_OK = 0
EXIT_USAGE = 2


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("devices", help=_("list the GPUs and CPU Ocelote can use"))
    parser.add_argument("--json", action="store_true", help=_("print JSON instead of a table"))
    parser.add_argument(
        "--from",
        dest="from_file",
        type=Path,
        metavar=_("FILE"),
        help=_("build the list from a saved clinfo, rocminfo or lspci output"),
    )
    parser.add_argument(
        "--os", choices=["linux", "windows"], help=_("the system the --from file came from")
    )
    parser.add_argument(
        "--probe", action="store_true",
        help=_("measure every backend and precision on real photos and remember the fastest"),
    )  # fmt: skip
    parser.add_argument(
        "--images", type=Path, default=assets_dir() / "samples",
        help=_("photos for --probe (default: the bundled samples)"),
    )  # fmt: skip
    parser.add_argument(
        "--include-slow", action="store_true",
        help=_("with --probe: also time OpenCV's OpenCL path (minutes on some cards)"),
    )  # fmt: skip
    parser.set_defaults(func=run)


def _probe(profile: DeviceProfile, args: argparse.Namespace) -> int:
    card = find_card()
    images = load_images(args.images, 32, card.input_size, card.preprocessing)
    if not len(images):
        print(_("No photos to measure with in {path}.").format(path=args.images), file=sys.stderr)
        return EXIT_USAGE
    print(format_rows(probe(card, profile, images, include_slow=args.include_slow)))
    print()
    print(make_plan(None, Preferences(), profile).explain())
    return EXIT_OK


def _gib(value: int | None) -> str:
    return fmt_bytes(value) if value else "?"


def _row(dev: GpuDevice) -> list[str]:
    memory = _gib(dev.vram_bytes)
    if dev.vram_free_bytes:
        memory += f" / {_gib(dev.vram_free_bytes)}"
    driver = "; ".join(x for x in (dev.driver, dev.opencl_version) if x) or "-"
    family = dev.family or "?"
    if dev.gfx:
        family += f" ({dev.gfx})"
    return [dev.name, family, memory, driver, ", ".join(dev.backends) or "-"]


def format_profile(profile: DeviceProfile) -> str:
    """A plain-text table, one row per device, then the notes a technician should read."""
    headers = [_("Device"), _("Family"), _("Memory total / free"), _("Driver / OpenCL"),
               _("Backends")]  # fmt: skip
    rows = [_row(d) for d in profile.devices]
    widths = [min(44, max(len(r[i]) for r in [headers, *rows])) for i in range(len(headers))]
    widths[-1] = max(len(r[-1]) for r in [headers, *rows])  # the backends stay whole
    lines = ["  ".join(cell[:w].ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
             for row in [headers, [""] * len(headers), *rows]]  # fmt: skip
    lines[1] = "  ".join("-" * w for w in widths)
    for dev in profile.devices:
        lines += [f"  {dev.name}: {note}" for note in dev.notes]
    if profile.notes:
        lines.append(_("Notes:"))
        lines += [f"  - {note}" for note in profile.notes]
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    """Print the profile; exit 2 when `--from` names a file that cannot be read."""
    source: Path | None = getattr(args, "from_file", None)
    if source is not None:
        try:
            text = source.read_text(encoding="utf-8", errors="replace")
        except OSError as exc:
            message = _("Cannot read {file}: {reason}. Save the output of clinfo, rocminfo or "
                        "lspci -nn to a text file and pass its path.")  # fmt: skip
            print(message.format(file=source, reason=exc.strerror or exc), file=sys.stderr)
            return EXIT_USAGE
        profile = profile_from_dump(text, getattr(args, "os", None))
    else:
        profile = detect()
    if getattr(args, "probe", False) and source is None:
        print(format_profile(profile))
        return _probe(profile, args)
    if getattr(args, "json", False):
        print(json.dumps(to_json_dict(profile), indent=2, ensure_ascii=False))
    else:
        print(format_profile(profile))
    return EXIT_OK

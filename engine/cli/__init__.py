"""The `ocelote` command: the same engine as the window, for power users, scripts and benchmarks."""

import argparse
import logging
import sys

import engine
from engine.cli import (
    argparse_i18n,
    bench,
    classify,
    devices,
    evaluate,
    export,
    models,
    optimize,
    search,
    sort,
    train,
)
from engine.i18n import _, set_language
from engine.launch import stopped

EXIT_OK = 0
EXIT_USAGE = 2


def _language_from_argv(argv: list[str]) -> str | None:
    """The language must be known before the parser's help texts are built."""
    for index, arg in enumerate(argv):
        if arg.startswith("--lang="):
            return arg.split("=", 1)[1]
        if arg == "--lang" and index + 1 < len(argv):
            return argv[index + 1]
    return None


def build_parser() -> argparse.ArgumentParser:
    argparse_i18n.install()
    parser = argparse.ArgumentParser(
        prog="ocelote",
        description=_("Classify camera-trap photos offline."),
    )
    parser.add_argument(
        "--version",
        action="version",
        version=f"ocelote {engine.__version__}",
        help=argparse_i18n.text("show program's version number and exit"),
    )
    parser.add_argument(
        "--lang", choices=["en", "es"], help=_("language of messages (default: the system's)")
    )
    subparsers = parser.add_subparsers(dest="command", metavar=_("COMMAND"))
    classify.add_parser(subparsers)
    devices.add_parser(subparsers)
    export.add_parser(subparsers)
    evaluate.add_parser(subparsers)
    sort.add_parser(subparsers)
    optimize.add_parser(subparsers)
    train.add_parser(subparsers)
    search.add_parser(subparsers)
    bench.add_parser(subparsers)
    models.add_parser(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    args_list = sys.argv[1:] if argv is None else argv
    set_language(_language_from_argv(args_list))
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    parser = build_parser()
    args = parser.parse_args(args_list)
    if not getattr(args, "func", None):
        parser.print_help()
        return EXIT_USAGE
    try:
        return int(args.func(args))
    except KeyboardInterrupt as stop:  # Ctrl+C, or SIGTERM through engine.launch
        return stopped(stop)

"""`ocelote sort RESULTS_DIR SOURCE --out DIR`: copies of the photos, sorted into folders."""

import argparse
import signal
import sys
import time
from pathlib import Path

from engine.cli.boxes import add_threshold_argument
from engine.cli.export import EXIT_FAILED, EXIT_OK, EXIT_USAGE, open_for_command
from engine.cli.progress import ProgressLine
from engine.i18n import _, fmt_number
from engine.pipeline.cancel import CancelToken
from engine.pipeline.events import Progress
from engine.results.atomic import ExportError
from engine.results.sort_copies import SORT_BY, SortReport, sort_copies

EXIT_INTERRUPTED = 130


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "sort", help=_("copy the photos into one folder per group or label")
    )
    parser.add_argument("results", type=Path, metavar="RESULTS_DIR", help=_("results folder"))
    parser.add_argument("source", type=Path, metavar="SOURCE", help=_("folder of photos"))
    parser.add_argument("--out", type=Path, required=True, help=_("folder for the copies"))
    parser.add_argument(
        "--by", choices=SORT_BY, default="group",
        help=_("one folder per group, label, box category or species"),
    )  # fmt: skip
    add_threshold_argument(parser)
    parser.set_defaults(func=run)


def _progress(line: ProgressLine):
    started = time.monotonic()

    def report(done: int, total: int) -> None:
        elapsed = max(time.monotonic() - started, 1e-6)
        rate = done / elapsed
        line.update(Progress(done, total, rate, (total - done) / rate if rate else None))

    return report


def _print_report(report: SortReport) -> None:
    print(
        _("Copied: {copied}   already there: {skipped}   failed: {failed}").format(
            copied=fmt_number(report.copied),
            skipped=fmt_number(report.skipped),
            failed=fmt_number(len(report.failed)),
        )
    )
    for rel_path, reason in report.failed:
        print(f"  {rel_path}: {reason}", file=sys.stderr)


def run(args: argparse.Namespace) -> int:
    if not args.source.is_dir():
        print(_("The folder {path} does not exist.").format(path=args.source), file=sys.stderr)
        return EXIT_USAGE
    opened = open_for_command(args.results)
    if isinstance(opened, int):
        return opened
    db, _card = opened
    token, line = CancelToken(), ProgressLine()
    previous = signal.signal(signal.SIGINT, lambda *_args: token.cancel())
    try:
        with db:
            report = sort_copies(
                db, args.source, args.out, args.by, _progress(line), token, args.threshold
            )
    except ExportError as error:
        print(str(error), file=sys.stderr)
        return EXIT_FAILED
    finally:
        signal.signal(signal.SIGINT, previous)
        line.close()
    _print_report(report)
    if report.cancelled:
        print(_("Stopped. Run the same command again to continue."), file=sys.stderr)
        return EXIT_INTERRUPTED
    return EXIT_FAILED if report.failed else EXIT_OK

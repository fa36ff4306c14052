"""`ocelote export RESULTS_DIR --format ...`: write a results folder again in another format."""

import argparse
import sqlite3
import sys
from dataclasses import replace
from pathlib import Path

from engine.cli.boxes import add_threshold_argument, check_threshold, usage_message
from engine.i18n import _
from engine.models.card import ModelCard
from engine.models.store import DEFAULT_MODEL_ID, find_card
from engine.results.atomic import ExportError
from engine.results.db import ResultsDB
from engine.results.export_camtrapdp import (
    MISSING_TIME,
    CamtrapOptions,
    export_camtrapdp,
    report_text,
)
from engine.results.export_csv import export_csv
from engine.results.exporters import FORMATS, export
from engine.results.integrity import damage

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
DB_NAME = "results.sqlite"


class UsageError(Exception):
    """The command was called wrongly; the message says how to call it."""


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("export", help=_("write the results in another format"))
    parser.add_argument("results", type=Path, metavar="RESULTS_DIR", help=_("results folder"))
    parser.add_argument("--format", required=True, choices=list(FORMATS), help=_("format"))
    parser.add_argument("--out", type=Path, help=_("file or folder to write"))
    parser.add_argument(
        "--per-frame", action="store_true",
        help=_("CSV: add a row for each sampled frame of every video"),
    )  # fmt: skip
    add_threshold_argument(parser)
    parser.add_argument(
        "--source", type=Path, metavar="SOURCE",
        help=_("boxes, crops: the photos' folder (default: the one classified)"),
    )  # fmt: skip
    parser.add_argument(
        "--include-gone", action="store_true",
        help=_("also files no longer in the photo folder (status \"gone\")"),
    )  # fmt: skip
    camtrap = parser.add_argument_group(_("Camtrap DP"))
    camtrap.add_argument(
        "--utc-offset",
        help=_("UTC offset of the cameras' clocks, written --utc-offset=-05:00 (required)"),
    )
    camtrap.add_argument("--latitude", type=float, help=_("latitude in degrees (required)"))
    camtrap.add_argument("--longitude", type=float, help=_("longitude in degrees (required)"))
    camtrap.add_argument(
        "--one-deployment", action="store_true",
        help=_("one deployment for the whole source instead of one per top-level folder"),
    )  # fmt: skip
    camtrap.add_argument(
        "--missing-time", choices=MISSING_TIME, default="file",
        help=_("date for files without a recorded time: the file's own date (file) or their "
               "deployment's first time (deployment); marked timestampIssues"),
    )  # fmt: skip
    camtrap.add_argument("--project-title", help=_("project title"))
    camtrap.add_argument(
        "--event-observations", action="store_true",
        help=_("also one observation per event (its answer smoothed over the event)"),
    )  # fmt: skip
    camtrap.add_argument("--contributor", help=_("your name or organisation"))
    parser.set_defaults(func=run)


def open_results(results: Path) -> tuple[ResultsDB, ModelCard]:
    """The results database of a folder and the card of the model that filled it."""
    if not (results / DB_NAME).is_file():
        raise UsageError(
            _("{path} is not a results folder (it has no {name}).").format(
                path=results, name=DB_NAME
            )
        )
    try:
        reason = damage(results / DB_NAME)
    except sqlite3.Error as error:
        raise ExportError(
            _("Cannot read {path} ({reason}).").format(path=results / DB_NAME, reason=error)
        ) from error
    if reason is not None:
        raise ExportError(
            _(
                "The results database in {path} is damaged ({reason}). Run the classification "
                "of the same photo folder again: it keeps the damaged file aside, rebuilds the "
                "results and recovers the reviews."
            ).format(path=results, reason=reason)
        )
    db = ResultsDB(results / DB_NAME)
    model_id = str((db.latest_run() or {}).get("model_id") or DEFAULT_MODEL_ID)
    try:
        return db, find_card(model_id)
    except KeyError:
        db.close()
        raise ExportError(
            _("The model {model} of these results is not installed.").format(model=model_id)
        ) from None


def open_for_command(results: Path) -> tuple[ResultsDB, ModelCard] | int:
    """`open_results` for a command: the pair, or the exit code after saying what is wrong."""
    try:
        return open_results(results)
    except UsageError as error:
        print(str(error), file=sys.stderr)
        return EXIT_USAGE
    except ExportError as error:
        print(str(error), file=sys.stderr)
        return EXIT_FAILED


def camtrap_options(args: argparse.Namespace) -> CamtrapOptions:
    missing = [
        flag
        for flag, value in (
            ("--utc-offset", args.utc_offset),
            ("--latitude", args.latitude),
            ("--longitude", args.longitude),
        )
        if value is None
    ]
    if missing:
        raise UsageError(
            _("Camtrap DP needs {flags}: trap clocks have no time zone and the standard "
              "requires where the cameras were. For example: "
              "--utc-offset=-05:00 --latitude 8.93 --longitude -79.56").format(
                flags=", ".join(missing))
        )  # fmt: skip
    return CamtrapOptions(
        utc_offset=args.utc_offset, latitude=args.latitude, longitude=args.longitude,
        by_folder=not args.one_deployment, project_title=args.project_title,
        contributor=args.contributor, missing_time=args.missing_time,
        event_observations=args.event_observations,
    )  # fmt: skip


def run(args: argparse.Namespace) -> int:
    chosen = FORMATS[args.format]
    try:
        options = camtrap_options(args) if chosen.needs_camtrap_options else None
        check_threshold(args.threshold)
    except UsageError as error:
        print(str(error), file=sys.stderr)
        return EXIT_USAGE
    except ValueError as error:
        print(usage_message(error), file=sys.stderr)
        return EXIT_USAGE
    opened = open_for_command(args.results)
    if isinstance(opened, int):
        return opened
    db, card = opened
    db.include_gone = args.include_gone
    out = args.out or args.results / chosen.default_name
    try:
        with db:
            if args.format == "csv" and getattr(args, "per_frame", False):
                written = export_csv(db, card, out, per_frame=True, threshold=args.threshold)
            elif options is not None:
                camtrap = replace(options, threshold=args.threshold)
                report = export_camtrapdp(db, card, out, camtrap)
                print(report_text(report, options))
                return EXIT_OK
            else:
                written = export(
                    args.format, db, card, out, camtrap=options, threshold=args.threshold,
                    source=args.source,
                )  # fmt: skip
    except (ExportError, OSError) as error:
        print(_("Export failed: {reason}").format(reason=error), file=sys.stderr)
        return EXIT_FAILED
    print(_("Written: {path}").format(path=written))
    return EXIT_OK

"""`ocelote evaluate RESULTS_DIR [--truth LABELS.csv]`: how the answers compare with a person's."""

import argparse
import sys
from pathlib import Path

from engine.cli.export import DB_NAME
from engine.evaluate.truth import TruthError
from engine.events.answer import MOTION_THRESHOLD
from engine.i18n import _

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "evaluate", help=_("compare the answers with a person's: accuracy, recall, per folder")
    )
    parser.add_argument("results", type=Path, metavar="RESULTS_DIR", help=_("results folder"))
    parser.add_argument(
        "--truth", type=Path, metavar="LABELS.csv",
        help=_("labels: file, four_way (empty/animal/person/vehicle), optional species;"
               " default: the photos a person reviewed"),
    )  # fmt: skip
    parser.add_argument(
        "--threshold", type=float, default=MOTION_THRESHOLD,
        help=_("confidence a box needs to count (default: {value})").format(
            value=MOTION_THRESHOLD),
    )  # fmt: skip
    parser.add_argument(
        "--tuning-sources", default="", metavar="FOLDER[,FOLDER]",
        help=_("folders (as stored, comma separated) the rules were chosen on: their photos"
               " and the others are also reported apart"),
    )  # fmt: skip
    parser.add_argument("--json", action="store_true", help=_("print the figures as JSON"))
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    # scikit-learn takes about a second to import: only this command pays it, not every start
    from engine.evaluate.report import json_report, text_report
    from engine.evaluate.run import evaluate

    if not (args.results / DB_NAME).is_file():
        print(_("{path} is not a results folder (it has no {name}).").format(
            path=args.results, name=DB_NAME), file=sys.stderr)  # fmt: skip
        return EXIT_USAGE
    if not 0.0 <= args.threshold <= 1.0:
        print(_("The threshold must be between 0 and 1."), file=sys.stderr)
        return EXIT_USAGE
    try:
        tuning = tuple(part.strip() for part in args.tuning_sources.split(",") if part.strip())
        evaluation = evaluate(args.results, args.truth, args.threshold, tuning)
    except TruthError as error:
        print(str(error), file=sys.stderr)
        return EXIT_USAGE
    if evaluation.scores["per_frame"].n == 0:
        print(_("None of the labelled photos is in these results."), file=sys.stderr)
        return EXIT_FAILED
    print(json_report(evaluation) if args.json else text_report(evaluation))
    return EXIT_OK

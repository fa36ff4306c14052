"""`ocelote search (--results DIR | --folders ROOT) --budget SECONDS`: the architecture that
fits this PC, measured on the user's own photos."""

from __future__ import annotations

import argparse
import sys

from engine.cli.progress import ProgressLine
from engine.cli.train import (
    EXIT_FAILED,
    EXIT_OK,
    add_source_arguments,
    install_or_save,
    load_dataset,
    print_dataset,
    progress_printer,
)
from engine.i18n import _, fmt_number


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "search", help=_("find the most accurate model for the speed this PC has")
    )
    add_source_arguments(parser)
    parser.add_argument(
        "--budget", type=float, required=True, metavar="SECONDS",
        help=_("time the search may take"),
    )  # fmt: skip
    parser.add_argument(
        "--min-photos-per-hour", type=float, default=0.0, metavar="N",
        help=_("the speed the model must reach (default: any)"),
    )  # fmt: skip
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from engine.search.nas import search
    from engine.search.report import front_text, metrics_text
    from engine.search.trainer import TrainError, train

    dataset = load_dataset(args)
    if dataset is None:
        return EXIT_FAILED
    print_dataset(dataset, args.min_photos)
    try:
        result = search(
            dataset, args.budget, args.min_photos_per_hour, min_count=args.min_photos,
            progress=progress_printer(ProgressLine()),
        )  # fmt: skip
        best = result.recommended
        print(front_text(result))
        if best is None:
            return EXIT_FAILED
        print(
            _("Recommended: {arch}, {head}, {photos} photos per hour.").format(
                arch=best.arch.label(), head=best.head.label(),
                photos=fmt_number(best.photos_per_hour),
            )
        )  # fmt: skip
        trained = train(dataset, best.head, best.arch, min_count=args.min_photos)
    except TrainError as error:
        print(str(error), file=sys.stderr)
        return EXIT_FAILED
    print(metrics_text(trained.dataset, trained.metrics))
    build = {"images_per_s": round(best.images_per_s, 2), "search_budget_s": args.budget}
    install_or_save(trained, args, build)
    return EXIT_OK

"""`ocelote optimize PHOTOS --method …` (the classifier) or `--detector ID` (INT8 of a detector):
make a variant, print its measured figures, keep it?"""

from __future__ import annotations

import argparse
from pathlib import Path

from engine.i18n import _
from engine.models.store import DEFAULT_MODEL_ID, find_card
from engine.optimize.make import METHODS, NoPhotos, Request, discard, keep, make_variant
from engine.optimize.table import format_candidate


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "optimize", help=_("make a smaller or faster model variant from your photos")
    )
    parser.add_argument("source", type=Path, metavar="SOURCE_IMAGES")
    which = parser.add_mutually_exclusive_group(required=True)
    which.add_argument("--method", choices=METHODS, help=_("how to change the classifier"))
    which.add_argument(
        "--detector", metavar="ID",
        help=_("make INT8 of this installed detector, calibrated and checked on your photos"),
    )  # fmt: skip
    parser.add_argument(
        "--sparsity",
        type=float,
        default=0.3,
        help=_("share of weights or channels removed from each pruned layer (0-0.9)"),
    )
    parser.add_argument("--model", default=DEFAULT_MODEL_ID)
    parser.add_argument(
        "--from",
        dest="source_variant",
        default="fp32",
        help=_("the variant to start from (default: fp32)"),
    )
    parser.add_argument(
        "--results", type=Path, help=_("a results folder whose reviews count as labels")
    )
    parser.add_argument(
        "--images", type=int,
        help=_("at most this many photos (default: 32; with --detector 100, half of them to "
               "check)"),
    )  # fmt: skip
    parser.add_argument(
        "--seconds", type=float, default=3.0, help=_("time spent measuring the speed of each model")
    )
    parser.add_argument("--keep", action="store_true", help=_("add the variant to the model store"))
    parser.set_defaults(func=run_optimize)


def run_optimize(args: argparse.Namespace) -> int:
    if args.detector is not None:
        from engine.cli.optimize_detector import run_detector

        return run_detector(args)
    if not 0.0 <= args.sparsity <= 0.9:
        print(_("--sparsity must be between 0 and 0.9"))
        return 2
    card = find_card(args.model)
    request = Request(
        args.method,
        args.source,
        args.sparsity,
        args.source_variant,
        args.results,
        args.images or 32,
        args.seconds,
    )
    try:
        candidate = make_variant(card, request)
    except NoPhotos:
        print(_("No readable images in {source}").format(source=args.source))
        return 1
    print(format_candidate(candidate))
    if args.keep:
        keep(card, candidate)
        print(_("Kept as {id} in the model store.").format(id=candidate.variant_id))
    else:
        discard(candidate)
        print(_("Not kept (add --keep to keep it)."))
    return 0

"""`ocelote train (--results DIR | --folders ROOT)`: a classifier for the park's own species."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from engine.cli.progress import ProgressLine
from engine.i18n import _, fmt_duration, fmt_number
from engine.pipeline.events import Progress

EXIT_OK, EXIT_FAILED = 0, 1


def add_source_arguments(parser: argparse.ArgumentParser) -> None:
    """The labelled photos: reviewed results, a folder sorted by species, or both."""
    parser.add_argument(
        "--results", type=Path, metavar="DIR", help=_("results folder with reviewed photos")
    )
    parser.add_argument(
        "--folders", type=Path, metavar="ROOT",
        help=_("folder with one subfolder of photos per species"),
    )  # fmt: skip
    parser.add_argument(
        "--min-photos", type=int, default=5, metavar="N",
        help=_("leave out classes with fewer photos (default: 5)"),
    )  # fmt: skip
    parser.add_argument("--name", help=_("name of the new model"))
    parser.add_argument(
        "--install", action="store_true", help=_("add the new model to the model store")
    )


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("train", help=_("train a classifier on your labelled photos"))
    add_source_arguments(parser)
    parser.add_argument(
        "--head", choices=["logreg", "mlp"], default="logreg",
        help=_("logistic regression or a small neural network (default: logreg)"),
    )  # fmt: skip
    parser.set_defaults(func=run)


def load_dataset(args: argparse.Namespace):  # noqa: ANN201 - Dataset | None
    """The dataset named by --results and/or --folders, or None after printing why not."""
    from engine.search.dataset import from_folders, from_results

    if not (args.results or args.folders):
        print(_("Give --results DIR or --folders ROOT."), file=sys.stderr)
        return None
    try:
        parts = []
        if args.results:
            parts.append(from_results(args.results))
        if args.folders:
            parts.append(from_folders(args.folders))
    except OSError as error:
        print(str(error), file=sys.stderr)
        return None
    dataset = parts[0]
    for other in parts[1:]:
        dataset = dataset.merged(other)
    return dataset


def progress_printer(line: ProgressLine):  # noqa: ANN201 - (done, total) -> None
    def report(done: int, total: int) -> None:
        line.update(Progress(done, total, 0.0, None))

    return report


def print_dataset(dataset, min_count: int) -> None:  # noqa: ANN001
    from engine.search.dataset import small_classes_message
    from engine.search.report import counts_text

    print(counts_text(dataset, min_count))
    message = small_classes_message(dataset, min_count)
    if message:
        print(message)


def install_or_save(result, args, build: dict | None = None) -> None:  # noqa: ANN001
    from engine.search.trainer import export

    name = args.name or _("Park model")
    folder, card = export(result, name, build=build, install_now=args.install)
    if card is not None:
        print(
            _("Installed as {model}: ocelote classify --model {model} SOURCE").format(model=card.id)
        )
    else:
        print(_("Model written to {path} (add --install to use it).").format(path=folder))


def run(args: argparse.Namespace) -> int:
    from engine.search.head import HeadSpec
    from engine.search.report import metrics_text
    from engine.search.trainer import TrainError, train

    dataset = load_dataset(args)
    if dataset is None:
        return EXIT_FAILED
    print_dataset(dataset, args.min_photos)
    spec = HeadSpec("mlp", 128) if args.head == "mlp" else HeadSpec()
    try:
        result = train(
            dataset, spec, min_count=args.min_photos, progress=progress_printer(ProgressLine())
        )
    except TrainError as error:
        print(str(error), file=sys.stderr)
        return EXIT_FAILED
    for path, reason in result.failed.items():
        print(_("Skipped {path}: {reason}").format(path=path, reason=reason), file=sys.stderr)
    print(metrics_text(result.dataset, result.metrics))
    print(
        _("Trained on {count} photos in {time}.").format(
            count=fmt_number(len(result.dataset.examples)), time=fmt_duration(result.seconds)
        )
    )
    install_or_save(result, args)
    return EXIT_OK

"""`ocelote classify SOURCE --out DIR`: the main job from a terminal."""

import argparse
import signal
import sys
from collections.abc import Callable
from pathlib import Path

import platformdirs

from engine.cli.progress import ProgressLine
from engine.errors import describe
from engine.i18n import _, fmt_duration, fmt_number, language
from engine.models.store import DEFAULT_MODEL_ID, ModelFileError, find_card
from engine.pipeline.events import Event, FileDone, Finished, Progress, Started
from engine.pipeline.job import ClassifyJob, JobError, JobSettings
from engine.results.db import ResultsDB
from engine.results.export_csv import export_csv
from engine.results.export_megadetector import export_megadetector
from engine.results.summary import Summary

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("classify", help=_("classify every photo under a folder"))
    parser.add_argument("source", type=Path, metavar="SOURCE", help=_("folder of photos"))
    parser.add_argument(
        "--out", type=Path, help=_("folder for the results (default: in your Documents)")
    )
    parser.add_argument("--model", default=DEFAULT_MODEL_ID, help=_("model id"))
    parser.add_argument(
        "--variant", default="auto", choices=["auto", "fp32", "fp16", "int8"],
        help=_("model variant (default: chosen for this PC)"),
    )  # fmt: skip
    parser.add_argument("--threads", type=int, help=_("CPU threads (default: all cores)"))
    parser.add_argument("--batch", type=int, default=16, help=_("images per batch"))
    parser.add_argument(
        "--no-resume", action="store_true", help=_("classify again files already done")
    )
    parser.set_defaults(func=run)


def default_out_dir(source: Path) -> Path:
    documents = Path(platformdirs.user_documents_dir())
    return documents / "Ocelote" / (source.resolve().name or "results")


def _printer(progress: ProgressLine) -> Callable[[Event], None]:
    def on_event(event: Event) -> None:
        if isinstance(event, Started):
            print(
                _("Model: {model}, variant {variant} on {backend} ({reason})").format(
                    model=event.model, variant=event.variant, backend=event.backend,
                    reason=event.reason,
                ),
                file=sys.stderr,
            )  # fmt: skip
            if event.already_done:
                print(
                    _("Resuming: {count} files were already done.").format(
                        count=fmt_number(event.already_done)
                    ),
                    file=sys.stderr,
                )
        elif isinstance(event, Progress):
            progress.update(event)
        elif isinstance(event, FileDone | Finished):
            return

    return on_event


def format_summary(summary: Summary) -> str:
    card = find_card()
    lines = [
        _("Files: {files}   classified: {classified}   errors: {errors}").format(
            files=fmt_number(summary.files),
            classified=fmt_number(summary.classified),
            errors=fmt_number(sum(summary.errors.values())),
        ),
        _("This run: {count} files in {time}, {rate} images/s").format(
            count=fmt_number(summary.processed_this_run),
            time=fmt_duration(summary.seconds),
            rate=fmt_number(summary.images_per_second, 1),
        ),
    ]
    if summary.groups:
        lines.append(_("Per group:"))
        for group, count in summary.groups.most_common():
            lines.append(f"  {card.group_text(group, language()):<32} {fmt_number(count):>8}")
    if summary.errors:
        lines.append(_("Errors:"))
        for code, count in summary.errors.most_common():
            lines.append(f"  {fmt_number(count):>6}  {describe(code)}")
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    source: Path = args.source
    if not source.exists():
        print(_("The folder {path} does not exist.").format(path=source), file=sys.stderr)
        return EXIT_USAGE
    out = args.out or default_out_dir(source)
    settings = JobSettings(
        source=source, out_dir=out, model_id=args.model, variant=args.variant,
        threads=args.threads, batch_size=args.batch, resume=not args.no_resume,
    )  # fmt: skip
    progress = ProgressLine()
    job = ClassifyJob(settings, on_event=_printer(progress))
    previous = signal.signal(signal.SIGINT, lambda *_args: job.cancel())
    try:
        summary = job.run()
    except (JobError, ModelFileError) as error:
        print(str(error), file=sys.stderr)
        return EXIT_FAILED
    finally:
        signal.signal(signal.SIGINT, previous)
        progress.close()
    with ResultsDB(out / "results.sqlite") as db:
        card = find_card(args.model)
        export_csv(db, card, out / "results.csv")
        export_megadetector(db, card, out / "results.json")
    print(format_summary(summary))
    print(_("Results: {path}").format(path=out))
    if summary.status == "cancelled":
        print(_("Stopped. Run the same command again to continue."), file=sys.stderr)
        return EXIT_INTERRUPTED
    return EXIT_OK

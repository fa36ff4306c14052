"""`ocelote classify SOURCE --out DIR`: the main job from a terminal."""

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from engine.cli.boxes import add_threshold_argument, check_threshold, threshold_lines, usage_message
from engine.cli.progress import ProgressLine
from engine.cli.stopping import StopRequests
from engine.cluster import entry as cluster
from engine.cluster.events import WorkerSeen
from engine.cluster.target import ClusterError
from engine.detection.choose import DetectorChoiceError, installed_detectors, pick_detector
from engine.detection.country import CountryError, normalise_country
from engine.detection.measured import latest_measurements
from engine.detection.plan import (
    DetectorPlan,
    catalog_detectors,
    explain,
    from_card,
    plan_detectors,
)
from engine.errors import describe
from engine.events.grouping import DEFAULT_GAP_S
from engine.hardware.profile import profile_from_dump
from engine.i18n import _, fmt_duration, fmt_number, language
from engine.media.discover import Found, discover
from engine.models.card import ModelCard
from engine.models.select import Preferences
from engine.models.store import DEFAULT_MODEL_ID, ModelFileError, find_card
from engine.paths import default_results_dir
from engine.pipeline.cancel import CancelToken
from engine.pipeline.errors import UsageError
from engine.pipeline.events import BackendDropped, Event, FileDone, Finished, Progress, Started
from engine.pipeline.job import ClassifyJob, JobError, JobSettings
from engine.pipeline.notices import Notice, describe_event
from engine.pipeline.plan import live_profile, make_plan
from engine.pipeline.results_folder import check_out_dir
from engine.results.atomic import ExportError, replacing_together
from engine.results.boxes import counts_at, run_models
from engine.results.db import ResultsDB
from engine.results.export_csv import export_csv
from engine.results.export_megadetector import export_megadetector
from engine.results.summary import Summary

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
"""Also 130 (Ctrl+C) and 143 (SIGTERM): engine.launch."""
PLAN_PHOTOS = 10_000


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("classify", help=_("classify every photo under a folder"))
    parser.add_argument(
        "source", type=Path, nargs="?", metavar="SOURCE", help=_("folder of photos")
    )
    parser.add_argument(
        "--out", type=Path, help=_("folder for the results (default: in your Documents)")
    )
    parser.add_argument(
        "--model", "--classifier", dest="model", default=DEFAULT_MODEL_ID,
        help=_("classifier id: labels whole photos, or the animals the detector boxed"),
    )  # fmt: skip
    parser.add_argument(
        "--detector", metavar="ID",
        help=_("detector id, or none (default: the installed detector that suits this PC)"),
    )  # fmt: skip
    add_threshold_argument(parser)
    parser.add_argument(
        "--country", metavar="ISO3",
        help=_("country of the cameras, e.g. COL, for classifiers that know where species live"),
    )  # fmt: skip
    parser.add_argument(
        "--variant", default="auto", choices=["auto", "fp32", "fp16", "int8"],
        help=_("model variant (default: chosen for this PC)"),
    )  # fmt: skip
    parser.add_argument("--threads", type=int, help=_("CPU threads (default: all cores)"))
    parser.add_argument(
        "--batch", type=int, help=_("images per batch (default: chosen for this PC)")
    )
    parser.add_argument(
        "--no-resume", action="store_true", help=_("classify again files already done")
    )
    parser.add_argument(
        "--backend", default="auto", help=_("inference backend (default: chosen for this PC)")
    )
    parser.add_argument(
        "--no-motion", action="store_true",
        help=_("do not look for what moved between a camera's photos (no motion boxes)"),
    )  # fmt: skip
    parser.add_argument(
        "--event-gap", type=float, default=DEFAULT_GAP_S, metavar="SECONDS",
        help=_("photos of one camera closer in time than this are one event (default: 60)"),
    )  # fmt: skip
    parser.add_argument(
        "--explain-plan", action="store_true", help=_("print the plan for this PC and stop")
    )
    parser.add_argument(
        "--from", dest="dump", type=Path, metavar="FILE",
        help=_("with --explain-plan: the plan for the PC of a saved clinfo/rocminfo/lspci output"),
    )  # fmt: skip
    parser.add_argument("--os", choices=["linux", "windows"], help=_("the system of --from"))
    cluster.add_arguments(parser)
    parser.set_defaults(func=run)


def _explain(args: argparse.Namespace) -> int:
    profile = None
    if args.dump:
        try:
            text = args.dump.read_text(encoding="utf-8", errors="replace")
        except OSError as error:
            print(_("Cannot read {file}: {reason}").format(file=args.dump, reason=error))
            return EXIT_USAGE
        profile = profile_from_dump(text, args.os)
    prefs = Preferences(args.variant, args.backend, args.threads, args.batch)
    plan = make_plan(args.model, prefs, profile)
    print(plan.explain())
    try:
        detector = pick_detector(args.detector, profile or live_profile())
    except DetectorChoiceError as error:
        print(str(error), file=sys.stderr)
        return EXIT_USAGE
    photos = _photo_count(args.source)
    measured = latest_measurements() if profile is None else None  # a dump: not this PC
    if detector is None:
        print(_("Detector: none (a first sort without boxes)"))
        if args.detector is None:
            print(_("If one were installed from the store (ocelote models):"))
            plans = plan_detectors(catalog_detectors(), profile or live_profile(), measured)
            print("\n".join("  " + line for line in explain(_extremes(plans), photos)))
        return EXIT_OK
    cards = [detector] if args.detector else installed_detectors()
    plans = plan_detectors([from_card(card) for card in cards], profile or live_profile(), measured)
    print("\n".join(explain(plans, photos)))
    return EXIT_OK


def _extremes(plans: list[DetectorPlan]) -> list[DetectorPlan]:
    """The chosen catalog detector, then the fastest or the most accurate as its alternative."""
    ends = sorted(plans, key=lambda plan: plan.photos_per_second)
    return [plans[0], *(plan for plan in (ends[0], ends[-1]) if plan is not plans[0])][:2]


def _photo_count(source: Path | None) -> int:
    """Photos and videos under SOURCE for the estimate; without one, a round 10,000."""
    if source is None or not source.exists():
        return PLAN_PHOTOS
    return sum(isinstance(item, Found) for item in discover(source))


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
            if event.estimate_seconds:
                print(
                    _("Estimate before the run: ≈ {time} for {count} files on this PC; the "
                      "run measures its own speed and refines it.").format(
                        time=fmt_duration(event.estimate_seconds), count=fmt_number(event.total)
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
        elif isinstance(event, BackendDropped):
            print(
                _("{backend} was set aside for this session: {reason}").format(
                    backend=event.backend, reason=event.reason
                ),
                file=sys.stderr,
            )
        elif isinstance(event, Notice):
            print(describe_event(event), file=sys.stderr)
        elif isinstance(event, WorkerSeen):
            print(cluster.describe_worker(event), file=sys.stderr)
        elif isinstance(event, FileDone | Finished):
            return

    return on_event


def write_exports(db: ResultsDB, card: ModelCard, out: Path) -> None:
    """results.csv and results.json, replaced together: they never disagree."""
    with replacing_together([out / "results.csv", out / "results.json"]) as (csv, json):
        export_csv(db, card, csv)
        export_megadetector(db, card, json)


def format_summary(summary: Summary, card: ModelCard, boxes: bool = False) -> str:
    """The run's summary; with `boxes` (a detector ran) the frame-level groups are left out:
    the counts at a threshold say what the boxes hold."""
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
    if summary.groups and not boxes:
        lines.append(_("Per group:"))
        for group, count in summary.groups.most_common():
            lines.append(f"  {card.group_text(group, language()):<32} {fmt_number(count):>8}")
    lines += _video_lines(summary, card)
    if summary.errors:
        lines.append(_("Errors:"))
        for code, count in summary.errors.most_common():
            lines.append(f"  {fmt_number(count):>6}  {describe(code)}")
    return "\n".join(lines)


def _video_lines(summary: Summary, card: ModelCard, most: int = 8) -> list[str]:
    """Videos and the labels seen in their frames (a label counts once per video)."""
    if not summary.videos:
        return []
    seen = summary.video_labels.most_common()
    lang = language()
    shown = ", ".join(
        f"{card.label_text(index, lang)} ({fmt_number(count)})" for index, count in seen[:most]
    )
    if len(seen) > most:
        shown += ", …"
    return [
        _("Videos: {videos} ({frames} frames classified), labels seen: {labels}").format(
            videos=fmt_number(summary.videos), frames=fmt_number(summary.video_frames),
            labels=shown or "-",
        )
    ]  # fmt: skip


def run(args: argparse.Namespace) -> int:
    if args.explain_plan:
        return _explain(args)
    source: Path | None = args.source
    if source is None:
        print(_("Name the folder of photos to classify."), file=sys.stderr)
        return EXIT_USAGE
    if not source.exists():
        print(_("The folder {path} does not exist.").format(path=source), file=sys.stderr)
        return EXIT_USAGE
    token = CancelToken()
    with StopRequests(token.cancel) as stop:
        try:
            return _classify(args, source, token, stop)
        except UsageError as error:
            print(str(error), file=sys.stderr)
            return EXIT_USAGE


def _classify(
    args: argparse.Namespace, source: Path, token: CancelToken, stop: StopRequests
) -> int:
    out = args.out or default_results_dir(source)
    try:
        country = normalise_country(args.country)
        check_threshold(args.threshold)
    except (CountryError, ValueError) as error:
        print(usage_message(error), file=sys.stderr)
        return EXIT_USAGE
    check_out_dir(source, out)
    settings = JobSettings(
        source=source, out_dir=out, model_id=args.model, variant=args.variant,
        threads=args.threads, batch_size=args.batch, resume=not args.no_resume,
        backend=args.backend, detector=args.detector, country=country,
        motion=not args.no_motion, event_gap_s=args.event_gap,
    )  # fmt: skip
    progress = ProgressLine()
    try:
        job = (
            cluster.cluster_job(args, settings, _printer(progress), token)
            if args.ray
            else ClassifyJob(settings, on_event=_printer(progress), cancel=token)
        )
    except ClusterError as error:
        print(str(error), file=sys.stderr)
        return EXIT_USAGE
    try:
        summary = job.run()
    except UsageError:
        raise
    except (JobError, ModelFileError, DetectorChoiceError, ClusterError) as error:
        print(str(error), file=sys.stderr)
        return EXIT_FAILED
    finally:
        progress.close()
    card = find_card(args.model)
    try:
        with ResultsDB(out / "results.sqlite") as db:
            write_exports(db, card, out)
            models = run_models(db, card)
            threshold = args.threshold if args.threshold is not None else models.typical
            box_lines = threshold_lines(counts_at(db, models, threshold), models)
    except ExportError as error:
        print(str(error), file=sys.stderr)
        print(_("The results are safe in {path}.").format(path=out / "results.sqlite"))
        return EXIT_FAILED
    print(format_summary(summary, card, models.boxes_decide))
    print("\n".join(box_lines))
    print(_("Results: {path}").format(path=out))
    if summary.status == "cancelled":
        print(_("Stopped. Run the same command again to continue."), file=sys.stderr)
    return stop.exit_code or EXIT_OK

"""`ocelote bench …`: throughput measurements printed as figures and ratios from one run."""

import argparse
import sys
from pathlib import Path

from engine.bench import history
from engine.bench.detect import (
    NoDetectorError,
    detector_card,
    format_detect_bench,
    run_detect_bench,
)
from engine.bench.opencl_micro import format_device_bench, run_device_bench
from engine.bench.pipeline import format_pipeline_bench, run_pipeline_bench
from engine.bench.video import format_video_bench, run_video_bench
from engine.cli.bench_backends import add_backends_parser
from engine.detection.choose import DetectorChoiceError
from engine.i18n import _


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("bench", help=_("measure how fast this PC classifies"))
    kinds = parser.add_subparsers(dest="bench", metavar=_("BENCHMARK"), required=True)
    pipeline = kinds.add_parser("pipeline", help=_("decode, inference and the whole pipeline"))
    pipeline.add_argument("source", type=Path, metavar="SOURCE")
    pipeline.add_argument("--variant", default="auto", choices=["auto", "fp32", "fp16", "int8"])
    pipeline.add_argument(
        "--backend", default="auto", help=_("inference backend (default: chosen for this PC)")
    )
    pipeline.add_argument("--threads", type=int)
    pipeline.add_argument("--batch", type=int)
    pipeline.add_argument(
        "--repeat", type=int, default=3, help=_("passes over the images (more is steadier)")
    )
    pipeline.add_argument(
        "--no-motion", action="store_true", help=_("the job without the motion step")
    )
    pipeline.add_argument(
        "--motion", type=int, default=0, metavar="ROUNDS",
        help=_("also run the job without and with the motion step, ROUNDS times each, and "
               "print the ratio of their rates"),
    )  # fmt: skip
    pipeline.set_defaults(func=_run_pipeline)
    add_detect_parser(kinds)
    video = kinds.add_parser("video", help=_("video decoding and the whole job on video clips"))
    video.add_argument("source", type=Path, metavar="SOURCE")
    video.add_argument("--variant", default="int8", choices=["fp32", "fp16", "int8"])
    video.add_argument("--threads", type=int)
    video.add_argument(
        "--repeat", type=int, default=3, help=_("passes over the images (more is steadier)")
    )
    video.set_defaults(func=_run_video)
    add_backends_parser(kinds)
    device = kinds.add_parser(
        "device", help=_("OpenCL memory bandwidth and GFLOP/s against the card's paper peak")
    )
    device.set_defaults(func=_run_device)


def add_detect_parser(kinds: argparse._SubParsersAction) -> None:
    detect = kinds.add_parser(
        "detect", help=_("the detector path: decode, inference, pipeline and a one-by-one tool")
    )
    detect.add_argument("source", type=Path, metavar="SOURCE")
    which = detect.add_mutually_exclusive_group()
    which.add_argument("--detector", metavar="ID", help=_("an installed detector"))
    which.add_argument(
        "--stand-in", choices=["mdv5a", "light"],
        help=_("a stand-in with the real architecture and random weights (speed only)"),
    )  # fmt: skip
    detect.add_argument(
        "--backend",
        default="auto",
        help=_(
            "inference backend: auto (chosen for this PC), onnxruntime-cpu, "
            "onnxruntime-cuda, ncnn-vulkan or ncnn-cpu"
        ),
    )
    detect.add_argument("--threads", type=int)
    detect.add_argument("--batch", type=int)
    detect.add_argument(
        "--repeat", type=int, default=2, help=_("passes over the images (more is steadier)")
    )
    detect.add_argument("--limit", type=int, help=_("use only the first N photos"))
    detect.add_argument(
        "--precision", choices=["fp32", "fp16"], default="fp32",
        help=_("arithmetic on ncnn-vulkan (FP16 pays off on cards with fast FP16)"),
    )  # fmt: skip
    detect.set_defaults(func=_run_detect)


def _run_detect(args: argparse.Namespace) -> int:
    if not args.source.is_dir():
        print(_("The folder {path} does not exist.").format(path=args.source))
        return 2
    try:
        card = detector_card(args.detector, args.stand_in)
    except (NoDetectorError, DetectorChoiceError) as exc:
        print(exc)
        return 2
    result = run_detect_bench(
        args.source, card, threads=args.threads, batch=args.batch, repeat=args.repeat,
        backend=args.backend, limit=args.limit, on_drop=_say_dropped, precision=args.precision,
    )  # fmt: skip
    print(format_detect_bench(result))
    if result.images and result.pipeline > 0:
        history.save_run("detect", result)
        print(_("Saved: plans and time estimates on this PC now use this speed for {backend}.")
              .format(backend=result.backend))  # fmt: skip
    return 0 if result.images else 1


def _say_dropped(backend: str, reason: str) -> None:
    text = _("{backend} was set aside for this session: {reason}")
    print(text.format(backend=backend, reason=reason), file=sys.stderr)


def _run_device(_args: argparse.Namespace) -> int:
    records = run_device_bench()
    print(format_device_bench(records))
    return 0 if records and not all(record.error for record in records) else 1


def _run_video(args: argparse.Namespace) -> int:
    result = run_video_bench(args.source, args.threads, args.variant, args.repeat)
    print(format_video_bench(result))
    return 0 if result.videos else 1


def _run_pipeline(args: argparse.Namespace) -> int:
    result = run_pipeline_bench(
        args.source, variant=args.variant, threads=args.threads, batch=args.batch,
        repeat=args.repeat, backend_name=args.backend, motion=not args.no_motion,
        motion_rounds=args.motion,
    )  # fmt: skip
    print(format_pipeline_bench(result))
    return 0

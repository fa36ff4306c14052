"""`ocelote bench backends SOURCE`: img/s of every backend x precision here, CPU = 1.0."""

import argparse
import json
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict
from pathlib import Path

import numpy as np

from engine.backends.measure import Row, default_routes, measure_all
from engine.errors import MediaError
from engine.i18n import _, fmt_number
from engine.media.decode import decode_for_model
from engine.media.discover import Found, discover
from engine.models.store import find_card


def add_backends_parser(bench_subparsers: argparse._SubParsersAction) -> None:
    parser = bench_subparsers.add_parser(
        "backends", help=_("inference speed of every backend and precision on this PC")
    )
    parser.add_argument("source", type=Path, metavar="SOURCE")
    parser.add_argument(
        "--backends", help=_("comma-separated backend[:precision] list (default: all present)")
    )
    parser.add_argument("--images", type=int, default=64, help=_("at most this many images"))
    parser.add_argument(
        "--batch", type=int, help=_("images per batch (default: what a job uses on each backend)")
    )
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--seconds", type=float, default=20.0, help=_("time limit of each backend's timed passes")
    )
    parser.add_argument("--threads", type=int)
    parser.add_argument("--extractors", type=int, help=_("parallel ncnn extractors"))
    parser.add_argument("--json", type=Path, help=_("also write the rows to this JSON file"))
    parser.set_defaults(func=run_backends_bench)


def _routes(text: str | None) -> list[tuple[str, str]]:
    if not text:
        return default_routes()
    routes = []
    for item in text.split(","):
        name, _sep, variant = item.strip().partition(":")
        routes.append((name, variant or "fp32"))
    return routes


def load_images(source: Path, limit: int, size: int, prep) -> np.ndarray:  # noqa: ANN001
    found = [f.path for f in discover(source) if isinstance(f, Found) and f.kind == "image"]

    def decode(path: Path) -> np.ndarray | None:
        try:
            return decode_for_model(path, prep).tensor
        except MediaError:
            return None

    with ThreadPoolExecutor() as pool:
        tensors = [t for t in pool.map(decode, found[: limit * 2]) if t is not None][:limit]
    return np.stack(tensors) if tensors else np.zeros((0, 3, size, size), np.float32)


def format_rows(rows: list[Row]) -> str:
    names = (_("backend"), _("precision"), _("img/s"), _("x CPU"), _("RSS MB"),
             _("VRAM budget MB"), _("top-1"), _("max |d|"), _("device / problem"))  # fmt: skip
    lines = ["{:20} {:7} {:>9} {:>7} {:>8} {:>15}  {:5}  {:7}  {}".format(*names)]
    for r in rows:
        budget = fmt_number(r.vram_budget_mb) if r.vram_budget_mb is not None else "-"
        lines.append(
            f"{r.backend:20} {r.variant:7} {fmt_number(r.images_per_s, 1):>9} "
            f"{fmt_number(r.ratio_to_cpu, 2):>7} {fmt_number(r.peak_rss_mb):>8} {budget:>15}"
            f"  {r.top1:5.3f}  {r.max_abs_diff:7.3g}  {r.problem or r.device}"
        )
    return "\n".join(lines)


def run_backends_bench(args: argparse.Namespace) -> int:
    card = find_card()
    images = load_images(args.source, args.images, card.input_size, card.preprocessing)
    if not len(images):
        print(_("No readable images in {source}").format(source=args.source))
        return 1
    if args.batch:
        print(_("{count} images, batch {batch}").format(count=len(images), batch=args.batch))
    else:
        print(_("{count} images, each backend in the batches a job gives it").format(
            count=len(images)))  # fmt: skip
    rows = measure_all(card, images, _routes(args.backends), args.batch, args.repeat,
                       args.seconds, args.threads, args.extractors)  # fmt: skip
    print(format_rows(rows))
    if args.json:
        args.json.write_text(json.dumps([asdict(r) for r in rows], indent=2), encoding="utf-8")
    return 0

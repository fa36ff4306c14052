"""`ocelote optimize PHOTOS --detector ID [--images N] [--keep]`: INT8 of a detector, made on
the user's photos; the figures, a plain verdict, and the variant kept only when offered."""

from __future__ import annotations

import argparse
import sys

from engine.i18n import _
from engine.models.store import ModelFileError, find_card
from engine.optimize.detector.make import (
    DetectorRequest,
    discard_detector_int8,
    keep_detector_int8,
    make_detector_int8,
)
from engine.optimize.detector.words import figures, step_text, verdict
from engine.optimize.sample import NoPhotos

CLASSIFIER_ONLY = {"sparsity": 0.3, "source_variant": "fp32", "results": None}
EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
# Half check: 50 photos hold enough detections that 98 % means something (one box in 50).
DETECTOR_PHOTOS = 100


def run_detector(args: argparse.Namespace) -> int:
    given = [name for name, default in CLASSIFIER_ONLY.items() if getattr(args, name) != default]
    if given:
        print(_("--sparsity, --from and --results are for --method, not --detector."))
        return EXIT_USAGE
    if not args.source.is_dir():
        print(_("{source} is not a folder of photos.").format(source=args.source))
        return EXIT_USAGE
    try:
        card = find_card(args.detector)
    except KeyError:
        print(_("No installed detector “{id}” (see `ocelote models list`).").format(
            id=args.detector))  # fmt: skip
        return EXIT_FAILED
    except ModelFileError as error:
        print(error)
        return EXIT_FAILED
    if card.kind != "detector":
        print(_("“{id}” is a classifier; use --method for classifiers.").format(id=card.id))
        return EXIT_USAGE
    request = DetectorRequest(args.source, args.images or DETECTOR_PHOTOS, args.seconds)
    try:
        candidate = make_detector_int8(
            card, request, lambda step: print(step_text(step), file=sys.stderr, flush=True)
        )
    except MemoryError:
        print(_("Not enough memory on this PC to make INT8 of “{id}”; try fewer photos "
                "(--images).").format(id=card.id))  # fmt: skip
        return EXIT_FAILED
    except NoPhotos:
        print(_("Too few readable photos in {source}: at least two are needed, one to "
                "calibrate and one to check.").format(source=args.source))  # fmt: skip
        return EXIT_FAILED
    print("\n".join(figures(candidate.measurement)))
    print(verdict(candidate.measurement))
    if not candidate.measurement.offered:
        discard_detector_int8(candidate)
        print(_("Nothing kept: detection jobs keep FP32."))
        return EXIT_FAILED if args.keep else EXIT_OK
    if args.keep:
        keep_detector_int8(candidate)
        print(_("Kept as {id} in the model store with its measurement; detection jobs on this "
                "PC use it.").format(id=candidate.measurement.variant_id))  # fmt: skip
    else:
        discard_detector_int8(candidate)
        print(_("Not kept (add --keep to keep it)."))
    return EXIT_OK

"""FP32 against INT8 of a detector on this PC, measured in one run (prints figures; asserts
nothing). INT8 is made exactly as `ocelote optimize --detector` makes it: half the photos
calibrate, the other half check agreement and speed.

    PYTHONPATH=. python benchmarks/detector_int8.py [--stand-in trained|light|mdv5a]
        [--photos 32] [--seconds 5] [--quantize-head]

- trained: the stand-in trained on synthetic scenes (tests/data/models/standin-det-trained);
  the photos are generated scenes, so the agreement means something.
- light / mdv5a: the real architectures (YOLOv5s at 640, YOLOv5x6 at 1280) with RANDOM weights
  from engine/bench/standins: speed only; their agreement is printed but means nothing.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from engine.bench.standins.store import ensure_standin  # noqa: E402
from engine.models.card import load_card  # noqa: E402
from engine.optimize.detector.make import (  # noqa: E402
    DetectorRequest,
    discard_detector_int8,
    make_detector_int8,
)
from engine.optimize.detector.words import figures, verdict  # noqa: E402
from tests.engine.optimize.scenes import write_photos  # noqa: E402

TRAINED = REPO / "tests" / "data" / "models" / "standin-det-trained"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stand-in", default="trained", choices=["trained", "light", "mdv5a"])
    parser.add_argument("--photos", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--quantize-head", action="store_true", help="quantize the head too")
    args = parser.parse_args()
    folder = TRAINED if args.stand_in == "trained" else ensure_standin(args.stand_in)
    card = load_card(folder)
    print(f"{card.name} ({card.input_size} px)")
    if args.stand_in != "trained":
        print("RANDOM weights: speed only; the agreement below means nothing.")
    with tempfile.TemporaryDirectory(prefix="ocelote-int8-bench-") as work:
        photos = Path(work) / "photos"
        write_photos(photos, args.photos, seed=99)
        request = DetectorRequest(
            photos, args.photos, args.seconds, head_in_fp32=not args.quantize_head
        )
        candidate = make_detector_int8(card, request)
        try:
            m = candidate.measurement
            print("\n".join(figures(m)))
            print(verdict(m))
            print(f"FP32 {m.fp32_images_per_second:.2f} img/s  INT8 "
                  f"{m.int8_images_per_second:.2f} img/s  ratio {m.ratio:.2f}  "
                  f"detections {m.detection_rate:.4f}  calls {m.call_rate:.4f}  "
                  f"({m.cpu}, onnxruntime {m.onnxruntime}, batch {m.batch})")  # fmt: skip
        finally:
            discard_detector_int8(candidate)


if __name__ == "__main__":
    main()

"""How much reduced JPEG decoding saves a detector, and what the detect-then-classify stage
costs per photo, on real trap photos (prints figures; asserts nothing).

    PYTHONPATH=. python benchmarks/detector_decode.py [PHOTOS_DIR] [--side 1280]

Per photo: full decode + EXIF orientation + the same resize and letterbox (what a detector
without reduced decoding does), the detector's reduced decode (JPEG draft, long side >= side,
then brought to side) with its letterbox, and the stand-in detector's session
on the letterboxed inputs (the stand-ins are tiny graphs: this times Ocelote's own work around
a detector, not MegaDetector's network).
"""

import argparse
import statistics
import time
from pathlib import Path

import numpy as np
from PIL import Image, ImageOps

from engine.detection.letterbox import letterbox_pixels
from engine.detection.runtime import DetectorRuntime
from engine.detection.stage import decode_for_detector, fit_long_side
from engine.models.card import load_card

PACKS = Path(__file__).resolve().parent.parent / "tests" / "data" / "models"


def _ms(times: list[float]) -> str:
    return f"{statistics.median(times) * 1000:7.1f} ms (median of {len(times)})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("photos", type=Path, nargs="?", default=Path("../shared/data/camera_traps"))
    parser.add_argument("--side", type=int, default=1280)
    args = parser.parse_args()
    photos = sorted(p for p in args.photos.rglob("*") if p.suffix.lower() in (".jpg", ".jpeg"))
    card = load_card(PACKS / "standin-det-yolov5")
    runtime = DetectorRuntime(card, card.variant("fp32"))
    full, reduced, detect, sizes = [], [], [], []
    for photo in photos:
        try:
            start = time.perf_counter()
            with Image.open(photo) as image:
                upright = ImageOps.exif_transpose(image).convert("RGB")
            letterbox_pixels(fit_long_side(np.asarray(upright), args.side), runtime.spec)
            full.append(time.perf_counter() - start)
            start = time.perf_counter()
            decoded = decode_for_detector(photo, runtime.spec, args.side)
            reduced.append(time.perf_counter() - start)
        except OSError:
            continue
        sizes.append(max(upright.size))
        start = time.perf_counter()
        runtime.detect([decoded.tensor], [decoded.placement])
        detect.append(time.perf_counter() - start)
    big = [i for i, side in enumerate(sizes) if side >= 2 * args.side]
    print(f"photos: {len(full)}, long side median {statistics.median(sizes):.0f} px")
    print(f"full decode + letterbox ({args.side} px):    {_ms(full)}")
    print(f"reduced decode + letterbox ({args.side} px): {_ms(reduced)}")
    if big:
        print(f"  photos whose long side >= {2 * args.side} px (JPEG draft can halve them):")
        print(f"  full:    {_ms([full[i] for i in big])}")
        print(f"  reduced: {_ms([reduced[i] for i in big])}")
    print(f"stand-in yolov5 session + decode + NMS:  {_ms(detect)}")


if __name__ == "__main__":
    main()

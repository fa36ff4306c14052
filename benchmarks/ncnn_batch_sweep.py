"""ncnn throughput over images per pass x parallel extractors: the evidence for the defaults.

engine.backends.ncnn_vulkan runs 16 images per pass on 4 extractors on Vulkan. This measures
img/s of `NcnnBackend.run` for each combination, on the bundled model, with one pass-per-image
FP32 run as the reference for agreement (max |d| and top-1 on 32 inputs) and for the speed-up.
Inputs are random tensors: ncnn's work does not depend on pixel values.

    python benchmarks/ncnn_batch_sweep.py [--cpu] [--per-pass 1 8 16 32] [--extractors 1 4 8]
"""

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from engine.backends.ncnn_vulkan import NcnnBackend  # noqa: E402
from engine.models.store import find_card  # noqa: E402


def throughput(backend: NcnnBackend, inputs: np.ndarray, seconds: float) -> float:
    backend.run(inputs)
    done, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        backend.run(inputs)
        done += len(inputs)
    return done / (time.perf_counter() - start)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cpu", action="store_true", help="ncnn on the CPU instead of Vulkan")
    parser.add_argument("--per-pass", type=int, nargs="+", default=[1, 8, 16, 32])
    parser.add_argument("--extractors", type=int, nargs="+", default=[1, 2, 4, 8, 16])
    parser.add_argument("--precisions", nargs="+", default=["fp32", "fp16"])
    parser.add_argument("--seconds", type=float, default=1.5)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    card = find_card()
    variant = card.variants_in("ncnn")[0]
    vulkan = not args.cpu
    inputs = np.random.default_rng(0).random((32, 3, card.input_size, card.input_size))
    inputs = inputs.astype(np.float32)

    def load(precision: str, per_pass: int, extractors: int) -> NcnnBackend:
        return NcnnBackend(card, variant, vulkan=vulkan, precision=precision,
                           extractors=extractors, images_per_pass=per_pass)  # fmt: skip

    reference_backend = load("fp32", 1, 1)
    reference = reference_backend.run(inputs)
    baseline = throughput(reference_backend, inputs[:1], args.seconds)
    print(f"{reference_backend.info.device}: one image per pass, 1 extractor, FP32: "
          f"{baseline:.1f} img/s")  # fmt: skip
    rows = []
    for precision in args.precisions:
        for per_pass in args.per_pass:
            for extractors in args.extractors:
                started = time.perf_counter()
                backend = load(precision, per_pass, extractors)
                loaded = time.perf_counter() - started
                logits = backend.run(inputs)
                batch = np.concatenate([inputs] * max(1, per_pass * extractors // len(inputs)))
                rate = throughput(backend, batch, args.seconds)
                backend.close()
                row = {
                    "precision": precision, "images_per_pass": backend.images_per_pass,
                    "extractors": extractors, "images_per_s": round(rate, 1),
                    "vs_baseline": round(rate / baseline, 2), "load_s": round(loaded, 2),
                    "max_abs_diff": float(np.abs(logits - reference).max()),
                    "top1": float((logits.argmax(1) == reference.argmax(1)).mean()),
                }  # fmt: skip
                rows.append(row)
                print(" ".join(f"{key}={value}" for key, value in row.items()), flush=True)
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

#!/usr/bin/env bash
# GPU backends on the lent NVIDIA machine (no internet; Python 3.12 with onnxruntime CPU and
# opencv-python-headless): register the NVIDIA OpenCL and Vulkan drivers, install the carried
# wheels, then run the backend agreement tests and `bench backends` on the GPU. Every step goes
# on after a failure; outputs land in $OUT (or ./device_out). See ../shared/NOTES-gpu.md.
#
# Carry `device_wheels` (cp312 wheels: ncnn, pyopencl, pytools, siphash24, platformdirs; and
# deb/libvulkan1_*.deb; 12 MB). The machine already has numpy, pillow, psutil, pytest, tqdm,
# typing-extensions; babel is replaced by an English-only stand-in below. From the repo root:
#   bash benchmarks/device_gpu_check.sh [IMAGES_DIR]        (about 4-5 minutes)
# IMAGES_DIR defaults to ../shared/data/camera_traps; where that is missing (it does not travel)
# it is linked to assets/samples, which the agreement tests then read too.
set -x
cd "$(dirname "$0")/.." || exit 1
OUT="${OUT:-$PWD/device_out}"
mkdir -p "$OUT"
exec > >(tee "$OUT/device_gpu_check.log") 2>&1
# 1-2. Drivers and wheels.
source benchmarks/device_setup.sh

# 3. Which backends are usable (a session on a tiny model, in child processes, time-boxed).
"$PY" - <<'PY' | tee "$OUT/usable_backends.txt"
from engine.backends.registry import usable_backends
for item in usable_backends(timeout=60):
    print(f"{item.name:22} {'yes' if item.usable else 'no ':3} {item.device} {item.reason}")
PY

# 4. Agreement on real trap photos. ../shared does not travel to this machine: the tests' trap
#    photos then come from the bundled samples (assets/samples, real trap photos too).
if [ ! -d ../shared/data/camera_traps ]; then
    mkdir -p ../shared/data && ln -sfn "$PWD/assets/samples" ../shared/data/camera_traps
fi
IMAGES="${1:-../shared/data/camera_traps}"
echo "images: $IMAGES"; ls "$IMAGES" | head
if "$PY" -c "import pytest" 2>/dev/null; then
    OPENCV_OPENCL_DEVICE=":GPU:" timeout 200 "$PY" -m pytest -p no:cacheprovider -q -rA -s \
        tests/engine/backends/ 2>&1 | tee "$OUT/agreement_tests.txt"
else
    echo "pytest is not installed here: the agreement check below runs without it"
fi
OPENCV_OPENCL_DEVICE=":GPU:" "$PY" - "$IMAGES" <<'PY' | tee "$OUT/agreement.txt"
import sys
from pathlib import Path
from engine.backends.agreement import compare
from engine.backends.registry import make_backend
from engine.cli.bench_backends import load_images
from engine.models.store import find_card
card = find_card()
images = load_images(Path(sys.argv[1]), 48, card.input_size, card.preprocessing)
reference = make_backend("onnxruntime-cpu", card, "fp32").run(images)
n = len(images)
for name, variant, count in [("ncnn-vulkan", "fp32", n), ("ncnn-vulkan", "fp16", n),
                             ("ncnn-cpu", "fp32", n), ("opencv-cpu", "fp32", n),
                             ("opencv-opencl", "fp32", 8), ("opencv-opencl", "fp16", 8)]:
    try:
        backend = make_backend(name, card, variant)
        result = compare(backend.run(images[:count]), reference[:count], variant)
        print(f"{name:14} {variant} {backend.info.device}: {count} images, top-1 "
              f"{result.top1:.3f}, max |d| {result.max_abs_diff:.3g} {result.problem}")
    except Exception as error:
        print(f"{name:14} {variant} FAILED: {error!r}")
PY

# 5. Throughput, CPU = 1.0. First ncnn on Vulkan over images per pass x extractors (the
#    evidence for ncnn_vulkan's defaults), then every backend. The samples are few: they are
#    copied 40 times over (device_setup.sh). The parser is called directly (no console script is installed here).
timeout 300 "$PY" benchmarks/ncnn_batch_sweep.py --per-pass 1 8 16 32 --extractors 1 2 4 8 \
    --json "$OUT/ncnn_batch_sweep.json" || echo "ncnn sweep failed: $?"
cat > /tmp/ocelote_bench.py <<'PY'
import argparse, sys
sys.path.insert(0, ".")
from engine.cli.bench_backends import add_backends_parser
parser = argparse.ArgumentParser()
add_backends_parser(parser.add_subparsers())
args = parser.parse_args(["backends", *sys.argv[1:]])
sys.exit(args.func(args))
PY
export OPENCV_OPENCL_DEVICE=":GPU:"
timeout 300 "$PY" /tmp/ocelote_bench.py "$BENCH_DIR" --images 256 --seconds 8 --repeat 5 \
    --json "$OUT/bench_backends.json" || echo "bench failed: $?"
"$PY" -m engine bench backends --help >/dev/null 2>&1 && echo "ocelote bench backends is wired in"
echo "done; outputs in $OUT"

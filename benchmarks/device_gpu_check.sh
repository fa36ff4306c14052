#!/usr/bin/env bash
# GPU backends on the lent NVIDIA machine (no internet; Python 3.12 with onnxruntime CPU and
# opencv-python-headless): register the NVIDIA OpenCL and Vulkan drivers, install the carried
# wheels, then run the backend agreement tests and `bench backends` on the GPU. Every step goes
# on after a failure; outputs land in $OUT (or ./device_out). See ../shared/NOTES-gpu.md.
#
# Carry `device_wheels` (cp312 wheels: ncnn, pyopencl, pytools, siphash24, platformdirs; and
# deb/libvulkan1_*.deb; 12 MB). The machine already has numpy, pillow, psutil, pytest, tqdm,
# typing-extensions; babel is replaced by an English-only stand-in below. From the repo root:
#   bash benchmarks/device_gpu_check.sh [IMAGES_DIR]        (about 6-8 minutes)
# IMAGES_DIR defaults to ../shared/data/camera_traps; where that is missing (it does not travel)
# it is linked to assets/samples, which the agreement tests then read too.
set -x
cd "$(dirname "$0")/.." || exit 1
OUT="${OUT:-$PWD/device_out}"
mkdir -p "$OUT"
exec > >(tee "$OUT/device_gpu_check.log") 2>&1
WHEELS="${WHEELS:-device_wheels}"
PY="${PYTHON:-python3}"
export PYTHONUNBUFFERED=1

# 1. Vulkan loader (Debian libvulkan1, unpacked into /) and the NVIDIA ICDs.
# The NVIDIA Vulkan driver needs the GL dispatch libraries (glvnd) beside the loader.
for deb in "$WHEELS"/deb/*.deb; do dpkg -x "$deb" /; done
ldconfig
EGL_VENDOR=/usr/local/nvidia/share/glvnd/egl_vendor.d/10_nvidia.json
[ -e "$EGL_VENDOR" ] && export __EGL_VENDOR_LIBRARY_FILENAMES="$EGL_VENDOR"
ldconfig -p | grep libvulkan
if [ -z "${VK_DRIVER_FILES:-}" ]; then
    ICD=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json
    [ -e "$ICD" ] || ICD="$(find /usr/local/nvidia /usr/share/vulkan /etc/vulkan \
        -name 'nvidia_icd*.json' 2>/dev/null | head -n 1)"
    [ -n "$ICD" ] && export VK_DRIVER_FILES="$ICD"
fi
echo "VK_DRIVER_FILES=${VK_DRIVER_FILES:-unset, default search}"
mkdir -p /etc/OpenCL/vendors
if [ -e /usr/local/nvidia/lib64/libnvidia-opencl.so.1 ]; then
    echo /usr/local/nvidia/lib64/libnvidia-opencl.so.1 > /etc/OpenCL/vendors/nvidia.icd
fi
cat /etc/OpenCL/vendors/*.icd
nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv

# 2. Wheels, offline, into a private folder (leaves the system's packages alone).
SITE=/tmp/ocelote-site
"$PY" -m pip install -q --no-index --no-deps --no-compile --target "$SITE" "$WHEELS"/*.whl
export PYTHONPATH="$SITE:$PWD${PYTHONPATH:+:$PYTHONPATH}"
# Babel (10 MB) does not fit the 64 MiB carry limit beside the models. English-only stand-in,
# only where it is missing: the engine needs its names, these runs never switch language.
if ! "$PY" -c "import babel" 2>/dev/null; then
    mkdir -p "$SITE/babel/messages"
    cat > "$SITE/babel/__init__.py" <<'SHIM'
class Locale:
    @staticmethod
    def parse(code):
        return code
SHIM
    printf '%s\n' 'def format_timedelta(delta, **kw): return f"{delta.total_seconds():.0f} s"' \
        'def format_datetime(moment, *a, **kw): return moment.isoformat(sep=" ")' \
        > "$SITE/babel/dates.py"
    echo 'def format_decimal(value, format=None, locale=None): return f"{value:,.2f}"' \
        > "$SITE/babel/numbers.py"
    touch "$SITE/babel/messages/__init__.py"
    echo 'def write_mo(*a, **k): raise RuntimeError("babel stand-in")' > "$SITE/babel/messages/mofile.py"
    echo 'def read_po(*a, **k): raise RuntimeError("babel stand-in")' > "$SITE/babel/messages/pofile.py"
fi
"$PY" - <<'PY'
import importlib, platform
print("python", platform.python_version())
for name in ("numpy", "onnxruntime", "cv2", "ncnn", "pyopencl", "PIL", "psutil", "babel",
             "platformdirs", "pytest"):
    try:
        module = importlib.import_module(name)
        print(f"{name:12} {getattr(module, '__version__', '?')}")
    except Exception as error:
        print(f"{name:12} MISSING: {error!r}")
PY
"$PY" -c "import ncnn; n = ncnn.get_gpu_count(); print('ncnn Vulkan devices:', n);
[print(i, ncnn.get_gpu_info(i).device_name(), ncnn.get_gpu_device(i).get_heap_budget(), 'MB')
 for i in range(n)]"
"$PY" -c "import cv2; print('OpenCL', cv2.ocl.haveOpenCL(), cv2.ocl.Device.getDefault().name())"

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

# 5. Throughput, CPU = 1.0: ncnn Vulkan with 1, 4, 8 and 16 extractors, then every backend.
#    The images are copied 8 times (the samples are few). The parser is called directly, so
#    this works whether or not `ocelote bench backends` is wired into engine/cli/bench.py yet.
cat > /tmp/ocelote_bench.py <<'PY'
import argparse, sys
sys.path.insert(0, ".")
from engine.cli.bench_backends import add_backends_parser
parser = argparse.ArgumentParser()
add_backends_parser(parser.add_subparsers())
args = parser.parse_args(["backends", *sys.argv[1:]])
sys.exit(args.func(args))
PY
BENCH_DIR=/tmp/ocelote-bench-images
mkdir -p "$BENCH_DIR"
for copy in 1 2 3 4 5 6 7 8; do
    mkdir -p "$BENCH_DIR/c$copy" && cp -rL "$IMAGES"/. "$BENCH_DIR/c$copy/" 2>/dev/null
done
export OPENCV_OPENCL_DEVICE=":GPU:"
for n in 1 4 8 16; do
    timeout 120 "$PY" /tmp/ocelote_bench.py "$BENCH_DIR" --images 256 --batch 16 \
        --backends ncnn-vulkan:fp32,ncnn-vulkan:fp16 --extractors "$n" --repeat 20 --seconds 8 \
        --json "$OUT/bench_ncnn_x$n.json" || echo "bench with $n extractors failed: $?"
done
timeout 300 "$PY" /tmp/ocelote_bench.py "$BENCH_DIR" --images 256 --batch 16 --seconds 10 --repeat 5 \
    --extractors 8 --json "$OUT/bench_backends.json" || echo "bench failed: $?"
"$PY" -m engine bench backends --help >/dev/null 2>&1 && echo "ocelote bench backends is wired in"
echo "done; outputs in $OUT"

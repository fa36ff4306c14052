#!/usr/bin/env bash
# On the lent GPU machine (set up by device_setup.sh, which this sources; carry device_wheels,
# which must hold the onnx wheel, and onnxruntime-gpu for a CUDA run): `bench detect` on both
# stand-in detectors with the backend this PC gets unasked, then the light one on the CPU.
# The stand-ins are built on the machine (random weights; ~560 MB for the YOLOv5x6).
set -x
cd "$(dirname "$0")/.." || exit 1
OUT="${OUT:-$PWD/device_out}"
mkdir -p "$OUT"
exec > >(tee "$OUT/device_detect_check.log") 2>&1
source benchmarks/device_setup.sh  # drivers and wheels; quick where already done
IMAGES="${1:-/tmp/ocelote-bench-images}"
[ -d "$IMAGES" ] || IMAGES=assets/samples
"$PY" -c "import onnx, onnxruntime as ort; print('onnx', onnx.__version__, ort.get_available_providers())"
for standin in light mdv5a; do
    timeout 280 "$PY" -m engine --lang en bench detect "$IMAGES" --stand-in "$standin" \
        --repeat 2 | tee "$OUT/detect_${standin}_auto.txt"
done
timeout 120 "$PY" -m engine --lang en bench detect "$IMAGES" --stand-in light --limit 64 \
    --backend onnxruntime-cpu | tee "$OUT/detect_light_cpu.txt"
nvidia-smi --query-gpu=name,memory.used,memory.total --format=csv
echo done

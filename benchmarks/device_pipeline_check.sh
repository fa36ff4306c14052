#!/usr/bin/env bash
# On the lent GPU machine (set up by device_setup.sh, which this sources; carry device_wheels):
# the plan this PC gets without being told, the pipeline benchmark on that plan and on the CPU,
# and the OpenCL micro-benchmarks against the card's paper peak. Outputs land in $OUT.
set -x
cd "$(dirname "$0")/.." || exit 1
OUT="${OUT:-$PWD/device_out}"
mkdir -p "$OUT"
exec > >(tee "$OUT/device_pipeline_check.log") 2>&1
source benchmarks/device_setup.sh  # drivers and wheels; quick where already done
IMAGES="${1:-/tmp/ocelote-bench-images}"
[ -d "$IMAGES" ] || IMAGES=assets/samples
"$PY" -m engine --lang en devices | tee "$OUT/devices.txt"
"$PY" -m engine --lang en classify --explain-plan | tee "$OUT/plan.txt"
timeout 240 "$PY" -m engine --lang en bench pipeline "$IMAGES" --repeat 3 | tee "$OUT/pipeline_auto.txt"
timeout 180 "$PY" -m engine --lang en bench pipeline "$IMAGES" --repeat 2 \
    --backend onnxruntime-cpu | tee "$OUT/pipeline_cpu.txt"
timeout 120 "$PY" -m engine --lang en bench device | tee "$OUT/bench_device.txt"
echo done

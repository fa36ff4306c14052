#!/usr/bin/env bash
# On the lent GPU machine, after device_gpu_check.sh has set it up (same call or same machine):
# the plan this PC gets without being told, the pipeline benchmark on that plan and on the CPU,
# and the OpenCL micro-benchmarks against the card's paper peak. Outputs land in $OUT.
set -x
cd "$(dirname "$0")/.." || exit 1
OUT="${OUT:-$PWD/device_out}"
mkdir -p "$OUT"
exec > >(tee "$OUT/device_pipeline_check.log") 2>&1
PY="${PYTHON:-python3}"
export PYTHONUNBUFFERED=1 PYTHONPATH="/tmp/ocelote-site:$PWD${PYTHONPATH:+:$PYTHONPATH}"
ICD=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json
[ -e "$ICD" ] && export VK_DRIVER_FILES="$ICD"
IMAGES="${1:-/tmp/ocelote-bench-images}"
[ -d "$IMAGES" ] || IMAGES=assets/samples
"$PY" -m engine --lang en devices | tee "$OUT/devices.txt"
"$PY" -m engine --lang en classify --explain-plan | tee "$OUT/plan.txt"
timeout 240 "$PY" -m engine --lang en bench pipeline "$IMAGES" --repeat 3 | tee "$OUT/pipeline_auto.txt"
timeout 180 "$PY" -m engine --lang en bench pipeline "$IMAGES" --repeat 2 \
    --backend onnxruntime-cpu | tee "$OUT/pipeline_cpu.txt"
timeout 120 "$PY" -m engine --lang en bench device | tee "$OUT/bench_device.txt"
echo done

#!/usr/bin/env bash
# On the lent GPU machine: `bench detect` on the ncnn path (issue 16), through the vendor's
# Vulkan driver. Carry device_wheels with the cp312 wheels ncnn, pnnx (its converter binary runs
# without torch), onnx (+ protobuf, ml_dtypes if missing there) and the libvulkan1 .deb under
# device_wheels/deb (see device_setup.sh). The stand-ins are built on the machine, converted
# once by pnnx into $OCELOTE_DATA_DIR/cache/ncnn, and their first batch is checked against
# onnxruntime CPU before any figure is taken.
set -x
cd "$(dirname "$0")/.." || exit 1
OUT="${OUT:-$PWD/device_out}"
mkdir -p "$OUT"
exec > >(tee "$OUT/device_ncnn_detect_check.log") 2>&1
source benchmarks/device_setup.sh  # drivers and wheels; quick where already done
chmod +x "$SITE/pnnx/pnnx" 2>/dev/null
export OCELOTE_DATA_DIR="${OCELOTE_DATA_DIR:-/tmp/ocelote-data}"
IMAGES="${1:-/tmp/ocelote-bench-images}"
[ -d "$IMAGES" ] || IMAGES=assets/samples
# GPU memory in use, sampled twice a second while the benches run (peak printed at the end)
nvidia-smi --query-gpu=memory.used --format=csv,noheader,nounits -lms 500 > "$OUT/vram_mib.txt" &
SAMPLER=$!
# within one 600 s call: ~1 min to build the YOLOv5x6 stand-in, ~1 min for pnnx to convert it
timeout 120 "$PY" -m engine --lang en bench detect "$IMAGES" --stand-in light \
    --backend ncnn-vulkan --repeat 1 | tee "$OUT/detect_light_ncnn_vulkan.txt"
timeout 270 "$PY" -m engine --lang en bench detect "$IMAGES" --stand-in mdv5a \
    --backend ncnn-vulkan --repeat 1 --limit 120 | tee "$OUT/detect_mdv5a_ncnn_vulkan.txt"
timeout 50 "$PY" -m engine --lang en bench detect "$IMAGES" --stand-in light --limit 64 \
    --backend ncnn-cpu | tee "$OUT/detect_light_ncnn_cpu.txt"
timeout 50 "$PY" -m engine --lang en bench detect "$IMAGES" --stand-in light --limit 64 \
    --backend onnxruntime-cpu | tee "$OUT/detect_light_ort_cpu.txt"
kill "$SAMPLER"
echo "peak GPU memory in use during the benches: $(sort -n "$OUT/vram_mib.txt" | tail -n 1) MiB"
nvidia-smi --query-gpu=name,memory.used,memory.total --format=csv
echo done

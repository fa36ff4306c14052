# Sourced by the device scripts, from the repo root, on the lent NVIDIA machine: registers the
# NVIDIA Vulkan and OpenCL drivers, installs the carried wheels (device_wheels) into a private
# folder and sets PY and PYTHONPATH. Idempotent: a second source on a warm machine is quick.
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
    echo 'def format_decimal(value, format=None, locale=None): return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"' \
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


# 3. Photos for the benchmarks: the bundled samples are few (../shared does not travel), so
#    they are copied 40 times over into BENCH_DIR.
BENCH_DIR=/tmp/ocelote-bench-images
if [ ! -d "$BENCH_DIR" ]; then
    for copy in $(seq 1 40); do
        mkdir -p "$BENCH_DIR/c$copy" && cp -rL assets/samples/. "$BENCH_DIR/c$copy/"
    done
fi

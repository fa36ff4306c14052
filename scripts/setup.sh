#!/usr/bin/env bash
# Make the project's virtual environment (.venv) and the system packages it needs, where missing.
# Idempotent: a second run only checks. Used by both Quick start commands and by CI.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON="${PYTHON:-python3}"
SYSTEM_PACKAGES=(
    mesa-vulkan-drivers libvulkan1 ocl-icd-libopencl1 pocl-opencl-icd nsis
   libegl1 libgl1 libglib2.0-0 libfontconfig1 libfreetype6 libdbus-1-3 libxkbcommon0 libxkbcommon-x11-0 libx11-xcb1 libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-randr0 libxcb-render-util0 libxcb-shape0 libxcb-shm0 libxcb-sync1 libxcb-xfixes0 libxcb-xkb1 libwayland-client0 libwayland-cursor0 fonts-dejavu-core)

missing_system_packages() {
    local missing=()
    command -v dpkg-query >/dev/null || return 0
    for package in "${SYSTEM_PACKAGES[@]}"; do
        dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" \
            || missing+=("$package")
    done
    echo "${missing[@]:-}"
}

install_system_packages() {
    local missing
    missing="$(missing_system_packages)"
    [ -z "$missing" ] && return 0
    local sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo"
    echo "Installing system packages: $missing"
    $sudo apt-get update -qq
    # shellcheck disable=SC2086
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $missing
}

install_python_packages() {
    local stamp=.venv/.ocelote-installed
    local wanted
    wanted="$(cat pyproject.toml scripts/setup.sh | sha256sum | cut -d' ' -f1)"
    if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$wanted" ]; then
        return 0
    fi
    [ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
    .venv/bin/python -m pip install -qq --upgrade pip
    .venv/bin/python -m pip install -qq -e ".[dev,md-tools,cluster]"
    # MegaDetector's validator for the tests, without the second OpenCV it asks for
    .venv/bin/python -m pip install -qq --no-deps "megadetector-utils==10.0.28"
    # pnnx converts detectors for ncnn on Vulkan on this PC: its wheel declares torch, but its
    # converter binary reads ONNX without it (engine/detection/ncnn_convert.py)
    .venv/bin/python -m pip install -qq --no-deps "pnnx==20261020"
    echo "$wanted" > "$stamp"
}

install_system_packages
install_python_packages

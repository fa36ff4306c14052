#!/usr/bin/env bash
# Build the PyInstaller bundle dist/ocelote/ (programs `ocelote` and `ocelote-gui`), then the
# .deb unless --bundle-only. A rebuild is skipped when nothing that goes into the bundle changed
# (sources, assets, catalogs, spec, installed packages): PyInstaller takes minutes on 2 cores.
#   bash packaging/build_linux.sh [--force] [--bundle-only]
set -euo pipefail
cd "$(dirname "$0")/.."

PY="${PYTHON:-.venv/bin/python}"
FORCE=0
BUNDLE_ONLY=0
for arg in "$@"; do
    case "$arg" in
        --force) FORCE=1 ;;
        --bundle-only) BUNDLE_ONLY=1 ;;
        *) echo "unknown option: $arg" >&2; exit 2 ;;
    esac
done

fingerprint() {
    {
        find engine gui assets locales packaging/pyinstaller pyproject.toml -type f \
            -not -path '*/__pycache__/*' -print0 | sort -z | xargs -0 sha256sum
        "$PY" -m pip freeze --all 2>/dev/null
    } | sha256sum | cut -d' ' -f1
}

STAMP=build/ocelote-bundle.stamp
WANTED="$(fingerprint)"
if [ "$FORCE" = 0 ] && [ -x dist/ocelote/ocelote ] && [ -f "$STAMP" ] \
    && [ "$(cat "$STAMP")" = "$WANTED" ]; then
    echo "Bundle dist/ocelote is up to date (build/ocelote-bundle.stamp)."
else
    rm -f "$STAMP"
    start=$(date +%s)
    "$PY" -m PyInstaller --noconfirm --log-level WARN --distpath dist \
        --workpath build/pyinstaller packaging/pyinstaller/ocelote.spec
    echo "PyInstaller build: $(($(date +%s) - start)) s, $(du -sh dist/ocelote | cut -f1)"
    mkdir -p build
    echo "$WANTED" > "$STAMP"
fi

if [ "$BUNDLE_ONLY" = 0 ]; then
    bash installer/linux/build_deb.sh "$("$PY" packaging/version.py)"
fi

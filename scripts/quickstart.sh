#!/usr/bin/env bash
# Quick start, first command: install everything, then classify the bundled sample photos.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/ocelote classify assets/samples --out output/samples "$@"

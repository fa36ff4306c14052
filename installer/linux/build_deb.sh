#!/usr/bin/env bash
# dist/ocelote_<version>_<arch>.deb from the PyInstaller bundle dist/ocelote/:
#   /opt/ocelote/ (the bundle), /usr/bin/ocelote{,-gui} links, desktop entry and icons.
#   bash installer/linux/build_deb.sh VERSION    (VERSION: python packaging/version.py)
# DEB_COMPRESSION=xz (default, smallest; what we ship) | gzip | none (fast, for tests).
set -euo pipefail
cd "$(dirname "$0")/../.."

VERSION="${1:?usage: build_deb.sh VERSION (python packaging/version.py)}"
BUNDLE="${BUNDLE:-dist/ocelote}"
COMPRESSION="${DEB_COMPRESSION:-xz}"
PY="${PYTHON:-.venv/bin/python}"
HERE=installer/linux

[ -x "$BUNDLE/ocelote" ] && [ -x "$BUNDLE/ocelote-gui" ] \
    || { echo "no bundle at $BUNDLE: run packaging/build_linux.sh first" >&2; exit 1; }
PYPROJECT_VERSION="$("$PY" packaging/version.py)"
[ "$VERSION" = "$PYPROJECT_VERSION" ] \
    || { echo "version $VERSION differs from pyproject.toml's $PYPROJECT_VERSION" >&2; exit 1; }

ARCH="$(dpkg --print-architecture)"
ROOT="build/deb/ocelote_${VERSION}_${ARCH}"
OUT="dist/ocelote_${VERSION}_${ARCH}.deb"
rm -rf "$ROOT"
mkdir -p "$ROOT/DEBIAN" "$ROOT/opt" "$ROOT/usr/bin" "$ROOT/usr/share/applications" \
    "$ROOT/usr/share/icons/hicolor/256x256/apps" "$ROOT/usr/share/icons/hicolor/scalable/apps"

cp -a "$BUNDLE" "$ROOT/opt/ocelote"
find "$ROOT/opt/ocelote" -name '__pycache__' -type d -prune -exec rm -rf {} +
chmod -R u+rwX,go+rX,go-w "$ROOT/opt/ocelote"  # readable by every user, writable by none
ln -s /opt/ocelote/ocelote "$ROOT/usr/bin/ocelote"
ln -s /opt/ocelote/ocelote-gui "$ROOT/usr/bin/ocelote-gui"
install -m 644 "$HERE/ocelote.desktop" "$ROOT/usr/share/applications/ocelote.desktop"
install -m 644 assets/icons/ocelote.png "$ROOT/usr/share/icons/hicolor/256x256/apps/ocelote.png"
install -m 644 assets/icons/ocelote.svg "$ROOT/usr/share/icons/hicolor/scalable/apps/ocelote.svg"
for script in postinst prerm postrm; do
    install -m 755 "$HERE/$script" "$ROOT/DEBIAN/$script"
done

DEPENDS="$(grep -v '^#' "$HERE/depends.txt" | grep . | paste -sd, - | sed 's/,/, /g')"
"$PY" packaging/version.py render "$HERE/control.in" "$ROOT/DEBIAN/control" \
    ARCH="$ARCH" DEPENDS="$DEPENDS" INSTALLED_SIZE="$(du -sk --exclude=DEBIAN "$ROOT" | cut -f1)"

mkdir -p dist
# --root-owner-group: files owned by root in the package without fakeroot (dpkg >= 1.19)
dpkg-deb --root-owner-group -Z"$COMPRESSION" --build "$ROOT" "$OUT" >/dev/null
echo "$OUT: $(du -h "$OUT" | cut -f1)"

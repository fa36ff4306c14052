"""The version, read from `pyproject.toml` (the one place it lives), and installer templates.

    python packaging/version.py                      -> 0.1.0
    python packaging/version.py --windows            -> 0.1.0.0 (NSIS VIProductVersion)
    python packaging/version.py render IN OUT [KEY=VALUE ...]

`render` replaces `@VERSION@`, `@VERSION_WIN@` and every `@KEY@` given; a placeholder left
over is an error, so a template and its generator cannot drift apart silently.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = ROOT / "pyproject.toml"
_PLACEHOLDER = re.compile(r"@([A-Z][A-Z0-9_]*)@")


def project_version(pyproject: Path = PYPROJECT) -> str:
    text = pyproject.read_text(encoding="utf-8")
    try:
        import tomllib  # Python 3.11+

        return str(tomllib.loads(text)["project"]["version"])
    except ModuleNotFoundError:  # Python 3.10: the [project] table's version line
        section = text.split("[project]", 1)[1].split("\n[", 1)[0]
        found = re.search(r'^version\s*=\s*"([^"]+)"', section, re.MULTILINE)
        if not found:
            raise SystemExit(f"no [project] version in {pyproject}") from None
        return found.group(1)


def windows_version(version: str) -> str:
    """Four dotted integers, as Windows version resources demand ("0.1.0rc1" -> "0.1.0.0")."""
    numbers = [int(part) for part in re.findall(r"\d+", version.split("+")[0])[:3]]
    return ".".join(str(n) for n in (numbers + [0, 0, 0, 0])[:4])


def render(template: str, values: dict[str, str]) -> str:
    version = project_version()
    values = {"VERSION": version, "VERSION_WIN": windows_version(version), **values}
    missing = sorted({m for m in _PLACEHOLDER.findall(template) if m not in values})
    if missing:
        raise SystemExit(f"template placeholders without a value: {', '.join(missing)}")
    return _PLACEHOLDER.sub(lambda m: values[m.group(1)], template)


def main(argv: list[str]) -> int:
    if not argv:
        print(project_version())
        return 0
    if argv == ["--windows"]:
        print(windows_version(project_version()))
        return 0
    if argv[0] == "render" and len(argv) >= 3:
        pairs = dict(item.split("=", 1) for item in argv[3:])
        text = render(Path(argv[1]).read_text(encoding="utf-8"), pairs)
        Path(argv[2]).parent.mkdir(parents=True, exist_ok=True)
        # makensis reads UTF-8 only with a BOM (the Spanish strings have accents)
        encoding = "utf-8-sig" if argv[2].endswith(".nsi") else "utf-8"
        Path(argv[2]).write_text(text, encoding=encoding)
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

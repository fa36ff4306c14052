"""Peak memory of `ocelote classify` on a large card: N hard links to real trap photos.

    .venv/bin/python benchmarks/peak_memory.py ../shared/data/camera_traps --files 20000

Prints the files, images/s and the peak resident memory (RSS) of the classify process.
"""

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from engine.bench.copies import link_or_copy

PHOTO_SUFFIXES = {".jpg", ".jpeg", ".png"}


def make_card(source: Path, folder: Path, files: int) -> None:
    """`files` links to the photos under source, 500 per folder like a camera's DCIM."""
    photos = sorted(p for p in source.rglob("*") if p.suffix.lower() in PHOTO_SUFFIXES)
    for index in range(files):
        photo = photos[index % len(photos)]
        target = folder / f"DCIM{index // 500:03d}" / f"IMG_{index:06d}{photo.suffix}"
        target.parent.mkdir(parents=True, exist_ok=True)
        link_or_copy(photo, target)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path)
    parser.add_argument("--files", type=int, default=20000)
    parser.add_argument("--variant", default="auto")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="ocelote-rss-") as temp:
        card = Path(temp) / "card"
        make_card(args.source, card, args.files)
        command = [sys.executable, "-m", "engine", "--lang", "en", "classify", str(card)]
        command += ["--out", str(Path(temp) / "out"), "--variant", args.variant]
        start = time.perf_counter()
        result = subprocess.run(command, capture_output=True, text=True, check=False)
        seconds = time.perf_counter() - start
        peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(result.stdout)
    print(f"{args.files} files in {seconds:.0f} s ({args.files / seconds:.1f} files/s wall)")
    print(f"peak RSS {peak_kib / 1024:.0f} MiB (exit {result.returncode})")
    return result.returncode


if __name__ == "__main__":
    sys.exit(main())

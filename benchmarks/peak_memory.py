"""Peak memory of `ocelote classify` on a large card: N hard links to real trap photos, and
large pictures (89-MP PNGs, 108-MP JPEGs, made from a real trap photo) on many threads.

    .venv/bin/python benchmarks/peak_memory.py ../shared/data/camera_traps --files 20000
    .venv/bin/python benchmarks/peak_memory.py ../shared/data/camera_traps --files 0 \
        --large-png 12 --large-jpeg 4 --threads 12

Prints the files, images/s and the peak resident memory (RSS) of the classify process.
"""

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from PIL import Image

from engine.bench.copies import link_or_copy

PHOTO_SUFFIXES = {".jpg", ".jpeg", ".png"}
LARGE_PNG = (9_990, 8_950)  # 89.4 MP, just under Pillow's own limit: the fault drill's 2.29 GB
LARGE_JPEG = (12_000, 9_000)  # 108 MP: a panorama-sized photo


def make_card(source: Path, folder: Path, files: int) -> None:
    """`files` links to the photos under source, 500 per folder like a camera's DCIM."""
    photos = sorted(p for p in source.rglob("*") if p.suffix.lower() in PHOTO_SUFFIXES)
    for index in range(files):
        photo = photos[index % len(photos)]
        target = folder / f"DCIM{index // 500:03d}" / f"IMG_{index:06d}{photo.suffix}"
        target.parent.mkdir(parents=True, exist_ok=True)
        link_or_copy(photo, target)


def make_large(source: Path, path: Path, size: tuple[int, int], **save: object) -> None:
    """A real trap photo in the middle of a `size` canvas of its mean colour."""
    with Image.open(source) as photo:
        photo = photo.convert("RGB")
        mean = photo.resize((1, 1)).getpixel((0, 0))
        canvas = Image.new("RGB", size, mean)
        canvas.paste(photo.resize((size[0] // 2, size[1] // 2)), (size[0] // 4, size[1] // 4))
    canvas.save(path, **save)


def add_large(source: Path, folder: Path, pngs: int, jpegs: int) -> None:
    """`pngs` links to one large PNG and `jpegs` to one large JPEG, in their own folder."""
    photo = sorted(p for p in source.rglob("*.jpg"))[0]
    large = folder / "LARGE"
    large.mkdir(parents=True, exist_ok=True)
    for count, size, suffix, save in (
        (pngs, LARGE_PNG, ".png", {"compress_level": 1}),
        (jpegs, LARGE_JPEG, ".jpg", {"quality": 85}),
    ):
        if count:
            first = large / f"PANO_0000{suffix}"
            make_large(photo, first, size, **save)
            for index in range(1, count):
                link_or_copy(first, large / f"PANO_{index:04d}{suffix}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path)
    parser.add_argument("--files", type=int, default=20000)
    parser.add_argument("--variant", default="auto")
    parser.add_argument("--large-png", type=int, default=0, help="links to one 89-MP PNG")
    parser.add_argument("--large-jpeg", type=int, default=0, help="links to one 108-MP JPEG")
    parser.add_argument("--threads", type=int, help="decode threads (default: all cores)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="ocelote-rss-") as temp:
        card = Path(temp) / "card"
        make_card(args.source, card, args.files)
        add_large(args.source, card, args.large_png, args.large_jpeg)
        total = args.files + args.large_png + args.large_jpeg
        command = [sys.executable, "-m", "engine", "--lang", "en", "classify", str(card)]
        command += ["--out", str(Path(temp) / "out"), "--variant", args.variant]
        command += ["--threads", str(args.threads)] if args.threads else []
        start = time.perf_counter()
        result = subprocess.run(command, capture_output=True, text=True, check=False)
        seconds = time.perf_counter() - start
        peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(result.stdout)
    print(f"{total} files ({args.large_png} PNGs of {LARGE_PNG[0] * LARGE_PNG[1] / 1e6:.1f} MP, "
          f"{args.large_jpeg} JPEGs of {LARGE_JPEG[0] * LARGE_JPEG[1] / 1e6:.0f} MP, "
          f"threads {args.threads or 'all cores'}) in {seconds:.0f} s "
          f"({total / seconds:.1f} files/s wall)")  # fmt: skip
    print(f"peak RSS {peak_kib / 1024:.0f} MiB (exit {result.returncode})")
    return result.returncode


if __name__ == "__main__":
    sys.exit(main())

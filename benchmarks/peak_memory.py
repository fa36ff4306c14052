"""Peak memory of `ocelote classify` on a large card: N hard links to real trap photos, and
large pictures (89-MP PNGs, 108-MP JPEGs, made from a real trap photo) on many threads.

    .venv/bin/python benchmarks/peak_memory.py ../shared/data/camera_traps --files 20000
    .venv/bin/python benchmarks/peak_memory.py ../shared/data/camera_traps --files 0 \
        --large-png 12 --large-jpeg 4 --threads 12

    .venv/bin/python benchmarks/peak_memory.py ../shared/data/camera_traps --files 20000 \
        --detector-pack tests/data/models/standin-det-yolov5
    .venv/bin/python benchmarks/peak_memory.py ../shared/data/camera_traps --files 300 \
        --stand-in mdv5a

Prints the files, images/s, the peak resident memory (RSS) of the classify process and its RSS
at each quarter of the run: flat memory means the last quarter is no higher than the first.
With a detector, the pack is imported into a throw-away model store (OCELOTE_DATA_DIR), so the
user's own store is never touched; `--stand-in` builds the real-architecture stand-in there.
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from PIL import Image

from engine.bench.copies import link_card, link_or_copy
from engine.bench.standins.store import ensure_standin

LARGE_PNG = (9_990, 8_950)  # 89.4 MP, just under Pillow's own limit: the fault drill's 2.29 GB
LARGE_JPEG = (12_000, 9_000)  # 108 MP: a panorama-sized photo


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


def rss_kib(pid: int) -> int | None:
    """The process's resident memory now, or None once it has ended."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    lines = [line for line in status.splitlines() if line.startswith("VmRSS:")]
    return int(lines[0].split()[1]) if lines else None


def run_sampled(command: list[str], env: dict[str, str]) -> tuple[str, int, list[int]]:
    """Run `command`, sampling its RSS every half second: (stdout, exit code, samples in KiB)."""
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, text=True)
    samples: list[int] = []

    def sample() -> None:
        start = time.perf_counter()
        while process.poll() is None:
            value = rss_kib(process.pid)
            if value:
                samples.append(value)
                if len(samples) % 120 == 0:  # a line a minute: the trend shows on long runs
                    minutes = (time.perf_counter() - start) / 60
                    print(f"  {minutes:.0f} min: RSS {value / 1024:.0f} MiB", flush=True)
            time.sleep(0.5)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    stdout = process.stdout.read() if process.stdout else ""
    code = process.wait()
    sampler.join()
    return stdout, code, samples


def quarters(samples: list[int]) -> str:
    """The highest RSS in each quarter of the run, in MiB."""
    if len(samples) < 4:
        return "too short to sample"
    size = len(samples) // 4
    parts = [samples[i * size : (i + 1) * size if i < 3 else None] for i in range(4)]
    return " / ".join(f"{max(part) / 1024:.0f}" for part in parts) + " MiB"


def detector_store(env: dict[str, str], pack: Path | None, stand_in: str | None) -> str | None:
    """Import the detector into the throw-away store named by env; its id."""
    if stand_in:
        pack = ensure_standin(stand_in, Path(env["OCELOTE_DATA_DIR"]) / "standins")
    if pack is None:
        return None
    command = [sys.executable, "-m", "engine", "--lang", "en", "models", "import", str(pack)]
    subprocess.run(command, env=env, check=True, capture_output=True)
    return json.loads((pack / "card.json").read_text())["id"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path)
    parser.add_argument("--files", type=int, default=20000)
    parser.add_argument("--variant", default="auto")
    parser.add_argument("--large-png", type=int, default=0, help="links to one 89-MP PNG")
    parser.add_argument("--large-jpeg", type=int, default=0, help="links to one 108-MP JPEG")
    parser.add_argument("--threads", type=int, help="decode threads (default: all cores)")
    parser.add_argument("--detector-pack", type=Path, help="a detector pack folder to run")
    parser.add_argument("--stand-in", choices=["mdv5a", "light"], help="real-architecture detector")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="ocelote-rss-") as temp:
        env = {**os.environ, "OCELOTE_DATA_DIR": str(Path(temp) / "data")}
        detector = detector_store(env, args.detector_pack, args.stand_in)
        card = Path(temp) / "card"
        link_card(args.source, card, args.files, "DCIM", 500)
        add_large(args.source, card, args.large_png, args.large_jpeg)
        total = args.files + args.large_png + args.large_jpeg
        command = [sys.executable, "-m", "engine", "--lang", "en", "classify", str(card)]
        command += ["--out", str(Path(temp) / "out"), "--variant", args.variant]
        command += ["--threads", str(args.threads)] if args.threads else []
        command += ["--detector", detector or "none"]
        start = time.perf_counter()
        stdout, code, samples = run_sampled(command, env)
        seconds = time.perf_counter() - start
        peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(stdout)
    print(f"{total} files ({args.large_png} PNGs of {LARGE_PNG[0] * LARGE_PNG[1] / 1e6:.1f} MP, "
          f"{args.large_jpeg} JPEGs of {LARGE_JPEG[0] * LARGE_JPEG[1] / 1e6:.0f} MP, "
          f"threads {args.threads or 'all cores'}) in {seconds:.0f} s "
          f"({total / seconds:.1f} files/s wall)")  # fmt: skip
    print(f"detector {detector or 'none'}; RSS peak per quarter of the run {quarters(samples)}")
    print(f"peak RSS {peak_kib / 1024:.0f} MiB (exit {code})")
    return code


if __name__ == "__main__":
    sys.exit(main())

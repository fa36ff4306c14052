"""How long Ocelote takes to verify a large model before a job (the SHA-256 of every file).

Writes a model folder with a 500 MB weights file (random bytes: hashing does not care what
they mean), its card and manifest, then times what `make_plan` runs (`verify(variant)`) and
what `ocelote models verify` runs (`verify_folder`: every file, the weights included). The
first run after writing is from the page cache; pass --drop-caches (root, Linux) for a read
from disk as after a reboot.

    PYTHONPATH=. python benchmarks/verify_model.py [--size-mb 500] [--drop-caches]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from engine.hashing import sha256_of  # noqa: E402
from engine.models.card import load_card  # noqa: E402
from engine.models.store import verify  # noqa: E402
from engine.store.manifest import write_manifest  # noqa: E402
from engine.store.verify import verify_folder  # noqa: E402


def make_folder(folder: Path, size_mb: int) -> None:
    weights = folder / "model.onnx"
    with weights.open("wb") as handle:
        for _ in range(size_mb):
            handle.write(os.urandom(1 << 20))
    card = {
        "schema": 2, "id": "bench-500", "kind": "detector", "name": "Benchmark model",
        "input": {"name": "images", "size": 1280}, "output": {"name": "output0"},
        "license": {"spdx": "MIT", "attribution": "benchmark"},
        "variants": [{"id": "fp32", "precision": "fp32", "file": weights.name,
                      "sha256": sha256_of(weights), "size_bytes": weights.stat().st_size}],
    }  # fmt: skip
    (folder / "card.json").write_text(json.dumps(card), encoding="utf-8")
    write_manifest(folder)


def drop_caches() -> bool:
    subprocess.run(["sync"], check=False)
    try:
        Path("/proc/sys/vm/drop_caches").write_text("3\n")
        return True
    except OSError:
        return False


def timed(label: str, work) -> float:  # noqa: ANN001
    start = time.perf_counter()
    work()
    seconds = time.perf_counter() - start
    print(f"{label}: {seconds:.2f} s")
    return seconds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-mb", type=int, default=500)
    parser.add_argument("--drop-caches", action="store_true")
    parser.add_argument("--dir", type=Path, help="where to write (default: a temporary folder)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(dir=args.dir) as tmp:
        folder = Path(tmp) / "bench-500"
        folder.mkdir()
        make_folder(folder, args.size_mb)
        card = load_card(folder)
        print(f"model file: {args.size_mb} MB in {folder}")
        for run in (1, 2):
            if args.drop_caches and not drop_caches():
                print("could not drop the page cache (needs root on Linux)")
            seconds = timed(
                f"run {run}: verify(variant) before a job", lambda: verify(card.variants[0], card)
            )
            print(f"  = {args.size_mb / seconds:.0f} MB/s")
            if args.drop_caches:
                drop_caches()
            timed(
                f"run {run}: verify_folder (ocelote models verify)", lambda: verify_folder(folder)
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())

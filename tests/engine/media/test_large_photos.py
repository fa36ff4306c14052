"""Real large photos decode, within a memory budget, whatever the thread count.

Made from a real trap photo, upscaled: a 108-MP JPEG (a panorama-sized photo) and 50-MP PNGs.
"""

import subprocess
import sys
import warnings
from pathlib import Path

import pytest
from PIL import Image

from engine.bench.copies import link_or_copy
from engine.errors import ErrorCode, MediaError
from engine.media.budget import DecodeBudget
from engine.media.decode import decode_for_model
from engine.models.store import find_card
from engine.store.importing import import_path
from tests.engine.media.corpus import REAL_PHOTO, write_png_header_only

REPO = Path(__file__).resolve().parents[3]
GIB = 1024**3


def large_copy(trap_images: Path, path: Path, size: tuple[int, int], **save) -> Path:
    """The trap photo in the middle of a `size` canvas of its own mean colour: real content,
    written quickly."""
    with Image.open(trap_images / REAL_PHOTO) as photo:
        photo = photo.convert("RGB")
        canvas = Image.new(
            "RGB", size, tuple(int(v) for v in photo.resize((1, 1)).getpixel((0, 0)))
        )
        scaled = photo.resize((size[0] // 2, size[1] // 2), Image.Resampling.BILINEAR)
        canvas.paste(scaled, (size[0] // 4, size[1] // 4))
    canvas.save(path, **save)
    return path


def test_a_108_megapixel_jpeg_is_classified_not_refused_and_pillow_stays_quiet(
    tmp_path, trap_images
):
    """Item 11: real photos over ~89 MP were refused as "possible decompression bomb", and
    Pillow's warning leaked to stderr."""
    path = large_copy(trap_images, tmp_path / "panorama.jpg", (12_000, 9_000), quality=85)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        decoded = decode_for_model(path, find_card().preprocessing)
    assert (decoded.width, decoded.height) == (12_000, 9_000)
    assert decoded.tensor.shape == (3, 224, 224)
    assert not [w for w in caught if issubclass(w.category, Image.DecompressionBombWarning)]
    budget = DecodeBudget()
    decode_for_model(path, find_card().preprocessing, budget)
    assert budget.peak < 108_000_000 * 4 // 32  # held at 1/8 of each side, not at full size


def test_a_header_claiming_far_more_pixels_than_its_bytes_is_still_refused(tmp_path):
    """Item 11: only files whose header claims an absurd size for their bytes are refused."""
    write_png_header_only(tmp_path / "liar.png", 20_000, 20_000)
    with pytest.raises(MediaError) as refused:
        decode_for_model(tmp_path / "liar.png", find_card().preprocessing)
    assert refused.value.code == ErrorCode.TOO_LARGE


MEASURE = """
import sys
from pathlib import Path
from engine.pipeline.job import ClassifyJob, JobSettings
settings = JobSettings(
    source=Path(sys.argv[1]), out_dir=Path(sys.argv[2]), threads=8, detector=sys.argv[3]
)
summary = ClassifyJob(settings).run()
# VmHWM, the peak of this program's own memory: ru_maxrss would also count the test process
# this one was forked from, before it became this program
peak = next(line for line in open("/proc/self/status") if line.startswith("VmHWM:"))
print(summary.classified, int(peak.split()[1]) * 1024)
"""


@pytest.mark.slow
@pytest.mark.parametrize("detector", ["none", "standin-det-yolov5"])
def test_memory_stays_bounded_with_large_pngs_and_many_threads(
    tmp_path, trap_images, monkeypatch, detector
):
    """Item 10: decode concurrency was threads x picture size: twelve 89-MP PNGs took 2.29 GB.
    Eight 50-MP PNGs on eight threads must stay under 1 GiB, on the whole-frame path and with
    a detector (whose whole-frame decode has no JPEG draft for a PNG)."""
    monkeypatch.setenv("OCELOTE_DATA_DIR", str(tmp_path / "user-data"))
    if detector != "none":
        import_path(REPO / "tests" / "data" / "models" / detector)
    card = tmp_path / "card"
    card.mkdir()
    one = large_copy(trap_images, tmp_path / "large.png", (8_200, 6_100), compress_level=1)
    for index in range(8):
        link_or_copy(one, card / f"PANO_{index}.png")
    result = subprocess.run(
        [sys.executable, "-c", MEASURE, str(card), str(tmp_path / "out"), detector],
        capture_output=True, text=True, check=False, cwd=REPO,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    classified, peak = map(int, result.stdout.split())
    assert classified == 8
    assert peak < GIB, f"peak RSS {peak / 2**20:.0f} MiB"

"""Memory stays flat with the kept frames: the motion step reads back only a window of a
camera's frames at a time, so three times the photos of one camera cost it the same peak
memory (measured: 40 MiB for 140 photos, 38 for 420; 29 for 70, while the crop batches' shapes
still grow the inference arena).

Measured in a process of its own on the real job: the job stops after its last photo is
stored (frames kept, motion step not run); the peak is then reset (`/proc/self/clear_refs`)
and the motion step's own rise above the memory already in use is read from VmHWM.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from engine.bench.copies import link_or_copy
from tests.engine.events.trap_run import SQUIRRELS

REPO = Path(__file__).resolve().parents[3]
MEASURE = """
import sys
from pathlib import Path

from engine.motion.stage import MotionPass
from engine.pipeline.events import FileDone
from engine.pipeline.job import ClassifyJob, JobSettings

photos = int(sys.argv[3])
settings = JobSettings(source=Path(sys.argv[1]), out_dir=Path(sys.argv[2]), threads=2)
done = []
def stop_after_the_last(event):
    if isinstance(event, FileDone):
        done.append(event)
        if len(done) == photos:
            job.cancel()
job = ClassifyJob(settings, on_event=stop_after_the_last)
job.run()
plan, backend = job.load()

def status(key):
    line = next(line for line in open("/proc/self/status") if line.startswith(key))
    return int(line.split()[1]) * 1024

with open("/proc/self/clear_refs", "w") as refs:
    refs.write("5")  # VmHWM back to the memory in use now
before = status("VmRSS:")
report = MotionPass(settings.out_dir / "results.sqlite", settings.source, plan.card, backend,
                    batch=8, threads=2).run()
print(report.photos, report.kept_frames, status("VmHWM:") - before)
"""


def _motion_rise(shared: Path, root: Path, copies: int) -> tuple[int, int, int]:
    """(photos decided, frames read from the kept ones, peak rise in bytes) of the motion step
    on `copies` × the squirrel sequence, all in one camera's folder."""
    card = root / "card" / "cam"
    card.mkdir(parents=True)
    for copy in range(copies):
        for photo in sorted((shared / SQUIRRELS).glob("*.jpg")):
            link_or_copy(photo, card / f"{copy:03d}_{photo.name}")
    result = subprocess.run(
        [sys.executable, "-c", MEASURE, str(card.parent), str(root / "results"), str(14 * copies)],
        capture_output=True, text=True, check=False, cwd=REPO,
        env={**os.environ, "OCELOTE_DATA_DIR": str(root / "data")},  # not other tests' store
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    photos, kept, rise = map(int, result.stdout.split())
    return photos, kept, rise


@pytest.mark.slow
def test_three_times_the_photos_of_one_camera_take_the_same_memory(shared_data, tmp_path):
    few = _motion_rise(shared_data, tmp_path / "few", 10)
    many = _motion_rise(shared_data, tmp_path / "many", 30)
    assert few[:2] == (140, 140) and many[:2] == (420, 420)
    # 280 more frames of 240 × 135 held at once would be 27 MiB more; the window holds 48
    assert many[2] - few[2] < 8 * 2**20, (few[2] >> 20, many[2] >> 20)

"""Video benchmark: how fast clips are read and sampled, and how fast the whole job does them.

Measured in one run on the same clips: decode-only (engine.media.video on a thread pool: frames
the decoder delivered per second, frames sampled per second, videos per minute) and the whole
job (discovery, decode, inference, database) in videos per minute and classified frames per
second. Clips are hard-linked `repeat` times into a temporary folder, never copied or changed.
"""

import os
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from engine.bench.pipeline import _link_copies
from engine.errors import MediaError
from engine.i18n import _, fmt_number
from engine.media.discover import Found, discover
from engine.media.video import DecodedVideo, decode_video
from engine.models.store import find_card
from engine.pipeline.job import ClassifyJob, JobSettings
from engine.results.db import ResultsDB


@dataclass(frozen=True)
class VideoBench:
    videos: int
    threads: int
    decoded_fps: float  # frames delivered by the decoder per second, decode-only
    sampled_fps: float  # sampled frames per second, decode-only
    decode_videos_per_min: float
    job_videos_per_min: float
    job_frames_per_s: float  # classified frames per second in the whole job


def _per(count: float, seconds: float, unit: float = 1.0) -> float:
    return count * unit / seconds if seconds > 0 else 0.0


def _try_decode(item: Found) -> DecodedVideo | None:
    try:
        return decode_video(item.path, find_card().preprocessing)
    except MediaError:
        return None


def run_video_bench(
    source: Path, threads: int | None = None, variant: str = "int8", repeat: int = 3
) -> VideoBench:
    threads = threads or os.cpu_count() or 1
    clips = [item for item in discover(source) if isinstance(item, Found) and item.kind == "video"]
    start = time.perf_counter()
    with ThreadPoolExecutor(threads) as pool:
        decoded = [video for video in pool.map(_try_decode, clips * repeat) if video]
    decode_seconds = time.perf_counter() - start
    with tempfile.TemporaryDirectory(prefix="ocelote-bench-video-") as temp:
        folder = Path(temp) / "videos"
        _link_copies(clips, repeat, folder)
        out = Path(temp) / "out"
        settings = JobSettings(folder, out, variant=variant, threads=threads, resume=False)
        summary = ClassifyJob(settings).run()
        with ResultsDB(out / "results.sqlite") as db:
            videos, frames = db.video_counts()
    return VideoBench(
        videos=len(clips),
        threads=threads,
        decoded_fps=_per(sum(video.frames_read for video in decoded), decode_seconds),
        sampled_fps=_per(sum(len(video.frames) for video in decoded), decode_seconds),
        decode_videos_per_min=_per(len(decoded), decode_seconds, 60),
        job_videos_per_min=_per(videos, summary.seconds, 60),
        job_frames_per_s=_per(frames, summary.seconds),
    )


def format_video_bench(result: VideoBench) -> str:
    def rate(value: float) -> str:
        return fmt_number(value, 1)

    lines = [
        _("{videos} videos, {threads} threads").format(
            videos=result.videos, threads=result.threads
        ),
        f"  {_('decode only'):<34} {rate(result.decoded_fps):>9} frames/s decoded, "
        f"{rate(result.sampled_fps)} sampled/s, {rate(result.decode_videos_per_min)} videos/min",
        f"  {_('Ocelote pipeline'):<34} {rate(result.job_frames_per_s):>9} frames/s classified, "
        f"{rate(result.job_videos_per_min)} videos/min",
    ]
    return "\n".join(lines)

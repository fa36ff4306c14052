"""Which frames of a clip the model sees: a regular grid plus the frames where most moves.

The stream is read once. Every `probe` frame is scored for motion against the previous probe
(small blurred grey frames, share of pixels that changed), the grid frames are kept, and the
`motion_frames` highest-motion probes off the grid are kept in a small heap. When a clip turns
out longer than its metadata said, the grid is thinned (every other frame dropped, the step
doubled), so at most `max_frames` frames are ever held, whatever the length of the file.
"""

import heapq
from collections.abc import Callable
from dataclasses import dataclass

import cv2
import numpy as np


@dataclass(frozen=True)
class VideoSampling:
    """How a clip is sampled; the defaults suit trap clips of 5 s to a few minutes."""

    every_s: float = 1.0  # the grid: one frame per second
    max_frames: int = 60  # per clip, grid and motion frames together
    motion_frames: int = 10  # extra frames at the highest-motion points, off the grid
    probes_per_sample: int = 4  # motion is measured this many times per grid step
    motion_width: int = 64  # px width of the grey frames motion is measured on
    motion_threshold: int = 20  # grey-level change that counts as a moving pixel
    min_motion: float = 0.01  # share of moving pixels below which no extra frame is added
    assumed_fps: float = 30.0  # when the file reports no usable frame rate


@dataclass(frozen=True)
class SampledFrame:
    frame_number: int  # 0-based index in the decoded stream
    time_s: float  # frame_number / frame rate
    motion: float  # share of pixels that changed since the previous probe (0..1)
    pixels: np.ndarray  # uint8 RGB, the model's crop (crop, crop, 3)


class FrameSampler:
    """Decides per decoded frame whether to look at it, and keeps what it picked (bounded)."""

    def __init__(self, sampling: VideoSampling, fps: float, expected_frames: int) -> None:
        self.sampling = sampling
        self.fps = fps
        self._grid_cap = max(1, sampling.max_frames - sampling.motion_frames)
        interval_s = sampling.every_s
        if expected_frames > 0:  # spread the grid over the whole clip (a 2-hour file)
            interval_s = max(interval_s, expected_frames / fps / self._grid_cap)
        self.grid_step = max(1, round(interval_s * fps))
        self.probe_step = max(1, self.grid_step // max(1, sampling.probes_per_sample))
        self._grid: dict[int, SampledFrame] = {}
        self._heap: list[tuple[float, int, SampledFrame]] = []
        self._previous: np.ndarray | None = None

    def wants(self, frame_number: int) -> bool:
        """Whether this frame is a probe (to be retrieved and scored); others are only grabbed."""
        return frame_number % self.probe_step == 0 or frame_number % self.grid_step == 0

    def offer(self, frame_number: int, bgr: np.ndarray, make: Callable[[], np.ndarray]) -> None:
        """Score a probe frame; `make` builds the model crop, called only for frames kept."""
        motion = self._motion(bgr)
        if frame_number % self.grid_step == 0:
            self._grid[frame_number] = self._frame(frame_number, motion, make())
            if len(self._grid) > self._grid_cap:
                self._thin()
        elif self._would_keep(motion):
            self._push(self._frame(frame_number, motion, make()))

    def frames(self) -> tuple[SampledFrame, ...]:
        """Grid and motion frames in clip order."""
        picked = dict(self._grid)
        for _motion, number, frame in self._heap:
            picked.setdefault(number, frame)
        return tuple(picked[number] for number in sorted(picked))

    def _frame(self, number: int, motion: float, pixels: np.ndarray) -> SampledFrame:
        return SampledFrame(number, round(number / self.fps, 3), round(motion, 4), pixels)

    def _motion(self, bgr: np.ndarray) -> float:
        height, width = bgr.shape[:2]
        small_w = min(self.sampling.motion_width, width)
        small_h = max(1, round(height * small_w / width))
        small = cv2.resize(bgr, (small_w, small_h), interpolation=cv2.INTER_AREA)
        grey = cv2.GaussianBlur(cv2.cvtColor(small, cv2.COLOR_BGR2GRAY), (5, 5), 0)
        previous, self._previous = self._previous, grey
        if previous is None:
            return 0.0
        changed = cv2.absdiff(previous, grey) > self.sampling.motion_threshold
        return float(np.count_nonzero(changed)) / changed.size

    def _would_keep(self, motion: float) -> bool:
        if self.sampling.motion_frames <= 0 or motion < self.sampling.min_motion:
            return False
        return len(self._heap) < self.sampling.motion_frames or motion > self._heap[0][0]

    def _push(self, frame: SampledFrame) -> None:
        entry = (frame.motion, frame.frame_number, frame)
        if len(self._heap) < self.sampling.motion_frames:
            heapq.heappush(self._heap, entry)
        elif self._heap and entry[:2] > self._heap[0][:2]:
            heapq.heapreplace(self._heap, entry)

    def _thin(self) -> None:
        """Longer than announced: keep every other grid frame, the dropped ones may still
        count as motion frames."""
        self.grid_step *= 2
        self.probe_step *= 2
        for number in [n for n in self._grid if n % self.grid_step]:
            frame = self._grid.pop(number)
            if self._would_keep(frame.motion):
                self._push(frame)

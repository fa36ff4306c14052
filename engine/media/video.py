"""Video clip -> a bounded set of model-ready frames, streamed with OpenCV, never written to disk.

Trap clips lie: 0 fps, negative frame counts, a missing end after a bad copy. So the frame rate
is trusted only when plausible (else `VideoSampling.assumed_fps`), the frame count only to
spread the sampling grid, and the stream is read until the decoder stops. Frames that are not
looked at are only `grab()`bed (demuxed and decoded, never converted); those looked at are
shrunk at once to the model's size. What was decodable before damage is kept; a file with no
decodable frame is a named error. `cancelled` is checked between frames.
"""

import os
import stat
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

# FFmpeg and OpenCV print every damaged packet to stderr; the job names the problem instead.
os.environ.setdefault("OPENCV_FFMPEG_LOGLEVEL", "-8")
os.environ.setdefault("OPENCV_LOG_LEVEL", "ERROR")

import cv2  # noqa: E402
import numpy as np  # noqa: E402

from engine.errors import ErrorCode, MediaError  # noqa: E402
from engine.media.preprocess import Preprocessing  # noqa: E402
from engine.media.video_sampling import FrameSampler, SampledFrame, VideoSampling  # noqa: E402

__all__ = ["DecodedVideo", "SampledFrame", "VideoCancelled", "VideoSampling", "decode_video"]
_MAX_FPS = 1000.0
_MAX_FRAMES = 10**8
_SEEK_GAP = 120  # frames: farther than this, seeking beats grabbing (thumbnails only)


class VideoCancelled(Exception):
    """The job was cancelled while this clip was being read."""


@dataclass(frozen=True)
class DecodedVideo:
    frames: tuple[SampledFrame, ...]  # in clip order, at most VideoSampling.max_frames
    fps: float  # the rate used for times: the file's when plausible, else the assumed one
    reported_fps: float  # what the file says (0, negative, NaN happen)
    frames_read: int  # frames the decoder delivered, the real length
    width: int
    height: int

    @property
    def duration_s(self) -> float:
        return round(self.frames_read / self.fps, 3)


def decode_video(
    path: Path,
    prep: Preprocessing,
    sampling: VideoSampling | None = None,
    cancelled: Callable[[], bool] = lambda: False,
    pixels: Callable[[np.ndarray], np.ndarray] | None = None,
) -> DecodedVideo:
    """Sampled frames of a clip. Raises MediaError (EMPTY_FILE, UNREADABLE, NOT_MEDIA,
    TRUNCATED, VIDEO_CODEC, VIDEO_NO_FRAMES) or VideoCancelled.

    `pixels(bgr)` makes a kept frame's pixels; by default the classifier's centre crop
    (`model_pixels`), a detector asks for the whole frame instead."""
    sampling = sampling or VideoSampling()
    capture = open_capture(path)
    try:
        fps, reported, expected = _metadata(capture, sampling)
        sampler = FrameSampler(sampling, fps, expected)
        make = pixels or (lambda bgr: model_pixels(bgr, prep))
        frames_read, size = _stream(capture, sampler, make, cancelled)
    finally:
        capture.release()
    frames = sampler.frames()
    if not frames:
        raise MediaError(ErrorCode.VIDEO_NO_FRAMES, f"{frames_read} frames decoded")
    return DecodedVideo(frames, fps, reported, frames_read, *size)


def open_capture(path: Path) -> cv2.VideoCapture:
    """An opened capture, or the MediaError that names why not (checked before OpenCV,
    which only says 'cannot open')."""
    try:
        st = os.stat(path)
        with open(path, "rb") as handle:
            head = handle.read(64)
    except OSError as exc:
        raise MediaError(ErrorCode.UNREADABLE, f"{type(exc).__name__}: {exc}") from exc
    if not stat.S_ISREG(st.st_mode):
        raise MediaError(ErrorCode.NOT_MEDIA, "not a regular file")
    if st.st_size == 0:
        raise MediaError(ErrorCode.EMPTY_FILE, "0 bytes")
    capture = cv2.VideoCapture(str(path), cv2.CAP_FFMPEG)
    if capture.isOpened():
        return capture
    capture.release()
    if head[4:8] == b"ftyp" and not _has_mp4_index(path, st.st_size):
        raise MediaError(ErrorCode.TRUNCATED, "no 'moov' index (incomplete copy)")
    raise MediaError(ErrorCode.VIDEO_CODEC, "OpenCV/FFmpeg cannot open it")


def _has_mp4_index(path: Path, size: int) -> bool:
    """Whether an MP4/MOV holds its 'moov' box; cameras write it last, so a cut copy lacks it."""
    offset = 0
    with open(path, "rb") as handle:
        while offset + 8 <= size:
            handle.seek(offset)
            header = handle.read(16)
            length, kind = int.from_bytes(header[:4], "big"), header[4:8]
            if kind == b"moov":
                return True
            if length == 1 and len(header) == 16:
                length = int.from_bytes(header[8:16], "big")
            if length < 8:
                return False
            offset += length
    return False


def _metadata(capture: cv2.VideoCapture, sampling: VideoSampling) -> tuple[float, float, int]:
    """(fps to use, fps reported, frame count to expect or 0 when unknown)."""
    reported = float(capture.get(cv2.CAP_PROP_FPS) or 0.0)
    fps = reported if 0 < reported <= _MAX_FPS else sampling.assumed_fps
    count = capture.get(cv2.CAP_PROP_FRAME_COUNT)
    expected = int(count) if np.isfinite(count) and 0 < count < _MAX_FRAMES else 0
    return fps, reported, expected


def _stream(
    capture: cv2.VideoCapture,
    sampler: FrameSampler,
    make: Callable[[np.ndarray], np.ndarray],
    cancelled: Callable[[], bool],
) -> tuple[int, tuple[int, int]]:
    """Feed the sampler every probe frame; returns (frames read, (width, height))."""
    number, size = 0, (0, 0)
    while True:
        if cancelled():
            raise VideoCancelled
        if not _grab(capture):
            break
        if sampler.wants(number):
            ok, bgr = capture.retrieve()
            if ok and bgr is not None and bgr.size:
                size = (bgr.shape[1], bgr.shape[0])
                sampler.offer(number, bgr, lambda image=bgr: make(image))
        number += 1
    return number, size


def _grab(capture: cv2.VideoCapture) -> bool:
    try:
        return bool(capture.grab())
    except cv2.error:  # a damaged packet deep in the file: keep what came before
        return False


def model_pixels(bgr: np.ndarray, prep: Preprocessing) -> np.ndarray:
    """Shorter side to `resize_shorter`, centre crop, RGB: `to_tensor`'s steps done by OpenCV
    on the decoder's array (no PIL round trip per frame)."""
    height, width = bgr.shape[:2]
    scale = prep.resize_shorter / min(width, height)
    size = (max(prep.crop, round(width * scale)), max(prep.crop, round(height * scale)))
    shrinking = scale < 1
    resized = cv2.resize(bgr, size, interpolation=cv2.INTER_AREA if shrinking else cv2.INTER_CUBIC)
    left, top = (size[0] - prep.crop) // 2, (size[1] - prep.crop) // 2
    crop = resized[top : top + prep.crop, left : left + prep.crop]
    return np.ascontiguousarray(cv2.cvtColor(crop, cv2.COLOR_BGR2RGB))


def frame_tensor(pixels: np.ndarray, prep: Preprocessing) -> np.ndarray:
    """The model's float32 (3, crop, crop) input from `model_pixels`, normalised as to_tensor."""
    array = pixels.astype(np.float32)
    return ((array - prep.mean) / prep.std).transpose(2, 0, 1).copy()


def read_frames(path: Path, numbers: list[int], max_side: int) -> Iterator[tuple[int, np.ndarray]]:
    """(frame number, RGB scaled to fit `max_side`) for each wanted frame, in one pass; for
    thumbnails. Far frames are reached by seeking, near ones by grabbing."""
    capture = cv2.VideoCapture(str(path), cv2.CAP_FFMPEG)
    try:
        position = 0
        for number in sorted(set(numbers)):
            if number - position > _SEEK_GAP:
                capture.set(cv2.CAP_PROP_POS_FRAMES, number)
                position = number
            while position < number and _grab(capture):
                position += 1
            ok, bgr = capture.read() if position == number else (False, None)
            if not ok or bgr is None:
                return
            position += 1
            yield number, _fit(bgr, max_side)
    finally:
        capture.release()


def _fit(bgr: np.ndarray, max_side: int) -> np.ndarray:
    height, width = bgr.shape[:2]
    scale = min(1.0, max_side / max(width, height))
    if scale < 1:
        size = (max(1, round(width * scale)), max(1, round(height * scale)))
        bgr = cv2.resize(bgr, size, interpolation=cv2.INTER_AREA)
    return np.ascontiguousarray(cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB))

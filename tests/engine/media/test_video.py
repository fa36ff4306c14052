"""Video sampling on the real trap clips and on broken copies made here."""

import shutil
import struct
from pathlib import Path

import cv2
import numpy as np
import pytest

from engine.errors import ErrorCode, MediaError
from engine.media.discover import Problem, discover
from engine.media.preprocess import Preprocessing
from engine.media.video import VideoCancelled, VideoSampling, decode_video, read_frames

PREP = Preprocessing()


@pytest.fixture(scope="module")
def clips(shared_data: Path) -> Path:
    return shared_data / "camera_trap_videos"


def write_avi(path: Path, frames: int, fps: float = 30.0, size=(64, 48), moving=None) -> Path:
    """A small MJPEG AVI; `moving` frames show a white square sliding across."""
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), fps, size)
    assert writer.isOpened()
    for index in range(frames):
        frame = np.full((size[1], size[0], 3), 40, np.uint8)
        if moving and index in moving:
            x = (index * 3) % (size[0] - 16)
            frame[10:26, x : x + 16] = 255
        writer.write(frame)
    writer.release()
    return path


def test_real_clips_are_sampled_at_one_per_second_plus_motion(clips):
    chimp = decode_video(clips / "chimp.mp4", PREP)
    assert (chimp.fps, chimp.frames_read, chimp.width, chimp.height) == (30.0, 450, 320, 180)
    numbers = [frame.frame_number for frame in chimp.frames]
    assert numbers == sorted(numbers) and len(numbers) <= 60
    assert set(range(0, 450, 30)) <= set(numbers)  # the 1 frame/s grid
    extra = [frame for frame in chimp.frames if frame.frame_number % 30]
    assert 0 < len(extra) <= VideoSampling().motion_frames
    assert all(frame.motion >= VideoSampling().min_motion for frame in extra)
    assert all(frame.pixels.shape == (224, 224, 3) for frame in chimp.frames)
    assert chimp.frames[1].time_s == pytest.approx(chimp.frames[1].frame_number / 30, abs=1e-3)
    eland = decode_video(clips / "09100029_Eland.MP4", PREP)
    assert [frame.frame_number for frame in eland.frames] == list(range(31))


def test_metadata_longer_than_the_stream_is_not_trusted(clips):
    baboon = decode_video(clips / "07120049_Baboon.AVI", PREP)  # says 61 frames, holds 60
    assert baboon.frames_read == 60 and baboon.duration_s == 60.0
    assert len(baboon.frames) <= 60


def test_truncated_copies_keep_what_was_decodable_or_say_why(clips, tmp_path):
    avi = (clips / "07120049_Baboon.AVI").read_bytes()
    (tmp_path / "cut.AVI").write_bytes(avi[: len(avi) // 2])
    cut = decode_video(tmp_path / "cut.AVI", PREP)
    assert 0 < cut.frames_read < 60
    mp4 = (clips / "chimp.mp4").read_bytes()  # the index ('moov') is at the end
    (tmp_path / "cut.mp4").write_bytes(mp4[: len(mp4) // 2])
    with pytest.raises(MediaError) as error:
        decode_video(tmp_path / "cut.mp4", PREP)
    assert error.value.code == ErrorCode.TRUNCATED


def test_zero_bytes_and_garbage_codec_data_are_named_errors(clips, tmp_path):
    (tmp_path / "empty.AVI").write_bytes(b"")
    assert [(p.rel, p.code) for p in discover(tmp_path) if isinstance(p, Problem)] == [
        ("empty.AVI", ErrorCode.EMPTY_FILE)
    ]
    with pytest.raises(MediaError) as error:
        decode_video(tmp_path / "empty.AVI", PREP)
    assert error.value.code == ErrorCode.EMPTY_FILE
    data = bytearray((clips / "07120049_Baboon.AVI").read_bytes())
    movi = data.find(b"movi") + 4  # keep the header, scramble every frame
    data[movi:] = np.random.default_rng(1).integers(0, 256, len(data) - movi, np.uint8).tobytes()
    (tmp_path / "garbage.AVI").write_bytes(bytes(data))
    with pytest.raises(MediaError) as error:
        decode_video(tmp_path / "garbage.AVI", PREP)
    assert error.value.code in (ErrorCode.VIDEO_NO_FRAMES, ErrorCode.VIDEO_CODEC)
    (tmp_path / "head.mov").write_bytes(b"\x00\x00\x00\x08wide" + b"\x11" * 200)
    with pytest.raises(MediaError) as error:
        decode_video(tmp_path / "head.mov", PREP)
    assert error.value.code == ErrorCode.VIDEO_CODEC


def _patch_avi(path: Path, rate: int, length: int) -> None:
    """Zero the frame rate and set a frame count in the AVI headers, as broken cameras do."""
    data = bytearray(path.read_bytes())
    avih = data.find(b"avih") + 8
    struct.pack_into("<I", data, avih, 0)  # dwMicroSecPerFrame
    struct.pack_into("<i", data, avih + 16, length)  # dwTotalFrames
    strh = data.find(b"strh") + 8
    struct.pack_into("<I", data, strh + 24, rate)  # dwRate (fps = rate / scale)
    struct.pack_into("<i", data, strh + 32, length)  # dwLength
    path.write_bytes(bytes(data))


def test_zero_fps_and_negative_frame_count_still_give_frames(tmp_path):
    path = write_avi(tmp_path / "wrong.avi", 90, fps=30)
    _patch_avi(path, rate=0, length=-1)
    capture = cv2.VideoCapture(str(path))
    reported = capture.get(cv2.CAP_PROP_FPS)
    capture.release()
    video = decode_video(path, PREP, VideoSampling(assumed_fps=30.0))
    assert video.frames_read == 90
    assert video.frames and video.frames[-1].time_s <= 3.0
    if not 0 < reported <= 1000:
        assert video.fps == 30.0


def test_a_long_clip_stays_within_the_frame_cap(tmp_path):
    moving = set(range(1500, 1530)) | set(range(3000, 3010))
    path = write_avi(tmp_path / "long.avi", 2 * 60 * 30, fps=30, size=(48, 32), moving=moving)
    _patch_avi(path, rate=30, length=0)  # unknown length: the grid must thin itself
    sampling = VideoSampling(max_frames=20, motion_frames=5)
    video = decode_video(path, PREP, sampling)
    assert video.frames_read == 3600
    assert len(video.frames) <= 20
    numbers = [frame.frame_number for frame in video.frames]
    assert numbers[0] == 0 and numbers[-1] >= 3000  # spread over the whole clip
    assert any(1500 <= n < 1531 or 3000 <= n < 3011 for n in numbers)  # motion found


def test_cancel_stops_between_frames(clips):
    calls = []

    def cancelled() -> bool:
        calls.append(1)
        return len(calls) > 5

    with pytest.raises(VideoCancelled):
        decode_video(clips / "chimp.mp4", PREP, cancelled=cancelled)
    assert len(calls) == 6


def test_read_frames_for_thumbnails(clips, tmp_path):
    source = tmp_path / "chimp.mp4"
    shutil.copyfile(clips / "chimp.mp4", source)
    got = dict(read_frames(source, [0, 200, 449], 100))
    assert sorted(got) == [0, 200, 449]
    assert got[200].shape == (56, 100, 3)

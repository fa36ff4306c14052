"""Real clips with a recording date in their container, made from the shared trap clips:
an MP4 remuxed by FFmpeg (PyAV) with `creation_time` in its movie header, and an AVI with the
IDIT chunk trap cameras write into its header list."""

import struct
from pathlib import Path

import av


def mp4_dated(source: Path, target: Path, when: str) -> Path:
    """The same packets, no re-encoding; the muxer writes `when` into the movie header."""
    with av.open(str(source)) as inp, av.open(str(target), "w") as out:
        out.metadata["creation_time"] = when
        stream = inp.streams.video[0]
        copy = out.add_stream_from_template(stream)
        for packet in inp.demux(stream):
            if packet.dts is not None:
                packet.stream = copy
                out.mux(packet)
    return target


def avi_with_idit(source: Path, target: Path, stamp: bytes) -> Path:
    """An IDIT chunk ("WED JUL 12 06:30:00 2017\\n") appended to the AVI's `hdrl` list."""
    data = bytearray(source.read_bytes())
    assert data[:4] == b"RIFF" and data[8:12] == b"AVI " and data[20:24] == b"hdrl"
    hdrl_size = struct.unpack_from("<I", data, 16)[0]
    chunk = b"IDIT" + struct.pack("<I", len(stamp)) + stamp + b"\0" * (len(stamp) % 2)
    data[20 + hdrl_size : 20 + hdrl_size] = chunk
    struct.pack_into("<I", data, 16, hdrl_size + len(chunk))
    struct.pack_into("<I", data, 4, struct.unpack_from("<I", data, 4)[0] + len(chunk))
    target.write_bytes(bytes(data))
    return target

"""Images per second of a model on this PC's backend, measured by running it, never estimated.

A paper FLOP count misleads on a 2-core station PC (INT8 without VNNI, depthwise convs,
memory bound layers); a few timed batches do not.
"""

from __future__ import annotations

import time

import numpy as np

BATCH = 4
MIN_SECONDS = 0.25
MIN_RUNS = 2


def images_per_second(model: bytes, resolution: int, threads: int | None = None) -> float:
    """onnxruntime CPU with the engine's session options: one warm-up batch, then timed ones."""
    from engine.optimize.onnx_tools import session

    sess = session(model, threads)
    name = sess.get_inputs()[0].name
    batch = np.random.default_rng(0).standard_normal((BATCH, 3, resolution, resolution))
    batch = batch.astype(np.float32)
    sess.run(None, {name: batch})
    times: list[float] = []
    start = time.perf_counter()
    while len(times) < MIN_RUNS or time.perf_counter() - start < MIN_SECONDS:
        begin = time.perf_counter()
        sess.run(None, {name: batch})
        times.append(time.perf_counter() - begin)
    # The fastest batch: on a shared 2-core PC other programs only ever add time.
    return BATCH / min(times)


def photos_per_hour(images_per_s: float) -> float:
    return images_per_s * 3600.0

"""Frozen-backbone embeddings of the user's photos, cached so that retraining takes seconds.

One forward pass gives every feature layer at once; decoding is shared by every backbone
variant at one resolution. The cache key is (file path, size, mtime, variant file hash,
resolution, layer): an edited photo or a new variant file is never served stale features.
"""

from __future__ import annotations

import hashlib
import sqlite3
import threading
from collections import deque
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path

import numpy as np

from engine.errors import MediaError
from engine.media.decode import decode_for_model
from engine.media.preprocess import Preprocessing
from engine.models.card import ModelCard, Variant
from engine.paths import user_data_dir
from engine.pipeline.cancel import CancelToken
from engine.search.graph import feature_model

ProgressFn = Callable[[int, int], None]
BATCH = 8


class Cancelled(Exception):
    """The user pressed Cancel: what was cached stays, nothing half-made is returned."""


def check(cancel: CancelToken | None) -> None:
    if cancel is not None and cancel.cancelled:
        raise Cancelled


def preprocessing_at(card: ModelCard, resolution: int) -> Preprocessing:
    """The card's preprocessing scaled to another crop (resize_shorter keeps its ratio)."""
    prep = card.preprocessing
    shorter = round(resolution * prep.resize_shorter / prep.crop)
    return Preprocessing(shorter, resolution, prep.mean, prep.std, prep.resample)


class EmbeddingCache:
    """SQLite in the user data folder: one row per (photo, variant, resolution, layer)."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or user_data_dir() / "search" / "embeddings.sqlite"
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._conn = sqlite3.connect(self.path, check_same_thread=False)
        self._conn.execute("PRAGMA journal_mode=WAL")
        self._conn.execute("CREATE TABLE IF NOT EXISTS emb (key TEXT PRIMARY KEY, vec BLOB)")

    @staticmethod
    def key(path: Path, variant: Variant, resolution: int, layer: str) -> str:
        stat = path.stat()
        text = f"{path.resolve()}|{stat.st_size}|{stat.st_mtime_ns}|{variant.sha256}"
        return hashlib.sha1(f"{text}|{resolution}|{layer}".encode()).hexdigest()

    def get(self, keys: Sequence[str]) -> dict[str, np.ndarray]:
        found: dict[str, np.ndarray] = {}
        with self._lock:
            for start in range(0, len(keys), 500):
                chunk = list(keys[start : start + 500])
                marks = ",".join("?" * len(chunk))
                rows = self._conn.execute(f"SELECT key, vec FROM emb WHERE key IN ({marks})", chunk)
                found.update((k, np.frombuffer(v, dtype=np.float32)) for k, v in rows)
        return found

    def put(self, items: dict[str, np.ndarray]) -> None:
        with self._lock, self._conn:
            self._conn.executemany(
                "INSERT OR REPLACE INTO emb VALUES (?, ?)",
                [(k, np.ascontiguousarray(v, np.float32).tobytes()) for k, v in items.items()],
            )

    def close(self) -> None:
        self._conn.close()


@dataclass
class Features:
    """Features of the photos that decoded, per variant id and layer, rows in `paths` order."""

    paths: list[Path]
    by_variant: dict[str, dict[str, np.ndarray]]
    failed: dict[Path, str] = field(default_factory=dict)

    def matrix(self, variant_id: str, layer: str) -> np.ndarray:
        return self.by_variant[variant_id][layer]


def _session(variant: Variant, resolution: int, layers: Sequence[str], threads: int | None):
    from engine.optimize.onnx_tools import session

    return session(feature_model(variant.file, resolution, layers), threads)


def extract(
    card: ModelCard,
    variants: Sequence[Variant],
    resolution: int,
    paths: Sequence[Path],
    layers: Sequence[str],
    cache: EmbeddingCache,
    progress: ProgressFn | None = None,
    cancel: CancelToken | None = None,
    threads: int | None = None,
) -> Features:
    """Features of `paths` for every variant and layer; decoded once, cached rows reused."""
    keys = {
        (path, v.id, layer): cache.key(path, v, resolution, layer)
        for path in paths
        for v in variants
        for layer in layers
    }
    cached = cache.get(list(keys.values()))
    missing = {path for (path, _v, _ly), key in keys.items() if key not in cached}
    todo = [path for path in paths if path in missing]
    failed: dict[Path, str] = {}
    if todo:
        sessions = {v.id: _session(v, resolution, layers, threads) for v in variants}
        prep = preprocessing_at(card, resolution)
        for done, batch in _decoded_batches(todo, prep, failed, cancel):
            fresh = _run_batch(sessions, batch, layers, keys)
            cache.put(fresh)
            cached.update(fresh)
            if progress:
                progress(done, len(todo))
    ok = [p for p in paths if p not in failed]
    by_variant = {
        v.id: {
            layer: np.stack([cached[keys[(p, v.id, layer)]] for p in ok])
            if ok
            else np.zeros((0, 0), np.float32)
            for layer in layers
        }
        for v in variants
    }
    return Features(ok, by_variant, failed)


def _decoded_batches(todo, prep, failed, cancel):  # noqa: ANN001, ANN202 - a generator
    """(done, [(path, tensor)]) per batch; two threads decode a bounded window ahead."""
    items = iter(todo)
    with ThreadPoolExecutor(max_workers=2, thread_name_prefix="search-decode") as pool:
        first = islice(items, 2 * BATCH)
        pending = deque((p, pool.submit(decode_for_model, p, prep)) for p in first)
        batch: list[tuple[Path, np.ndarray]] = []
        done = 0
        while pending:
            path, future = pending.popleft()
            if cancel is not None and cancel.cancelled:
                for _path, queued in pending:
                    queued.cancel()
                raise Cancelled
            done += 1
            try:
                batch.append((path, future.result().tensor))
            except MediaError as error:
                failed[path] = f"{error.code.value}: {error.detail}"
            pending.extend((p, pool.submit(decode_for_model, p, prep)) for p in islice(items, 1))
            if batch and (len(batch) == BATCH or not pending):
                yield done, batch
                batch = []


def _run_batch(sessions, batch, layers, keys) -> dict[str, np.ndarray]:  # noqa: ANN001
    tensors = np.stack([tensor for _path, tensor in batch])
    fresh: dict[str, np.ndarray] = {}
    for variant_id, sess in sessions.items():
        outputs = sess.run([f"features_{layer}" for layer in layers], {"input": tensors})
        for layer, values in zip(layers, outputs, strict=True):
            for (path, _tensor), row in zip(batch, values, strict=True):
                fresh[keys[(path, variant_id, layer)]] = row.astype(np.float32)
    return fresh

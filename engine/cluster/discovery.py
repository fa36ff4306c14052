"""Discovery spread over the cluster: each subfolder of the archive is walked in its own Ray task.

A million files on a network share are not listed and sniffed by one process: the driver lists
the top folder only; subfolders are split again, in parallel tasks, until there are enough of
them to keep the cluster busy, and each is then walked by one task on whichever node is free.
The results come back in `discover`'s order, filtered as the plain job filters them (nothing
inside the results folder), so the same files are found as on one PC.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import ray

from engine.media.discover import (
    Found,
    Problem,
    Subtree,
    discover_split,
    split_subtree,
    walk_subtree,
)

Item = Found | Problem
Segment = list[Item] | Subtree
MAX_SPLIT_DEPTH = 3


def discover_on_cluster(source: Path, out_dir: Path, parallel: int) -> Iterator[Item]:
    """Every item under `source` outside `out_dir`, found by up to `parallel` tasks at a time."""
    out_dir = out_dir.resolve()
    top, subtrees = discover_split(source)
    segments: list[Segment] = [_outside(top, out_dir), *subtrees]
    for _depth in range(MAX_SPLIT_DEPTH):
        folders = [segment for segment in segments if isinstance(segment, Subtree)]
        if not folders or len(folders) >= 2 * parallel:
            break
        segments = _split(segments, out_dir)
    walks = {
        id(segment): _walk_task.remote(segment, out_dir)
        for segment in segments
        if isinstance(segment, Subtree)
    }
    for segment in segments:
        yield from ray.get(walks[id(segment)]) if isinstance(segment, Subtree) else segment


def _split(segments: list[Segment], out_dir: Path) -> list[Segment]:
    """Each folder replaced by its own files and its subfolders, listed by parallel tasks."""
    refs = {
        id(segment): _split_task.remote(segment, out_dir)
        for segment in segments
        if isinstance(segment, Subtree)
    }
    result: list[Segment] = []
    for segment in segments:
        if isinstance(segment, Subtree):
            items, children = ray.get(refs[id(segment)])
            result += [items, *children]
        else:
            result.append(segment)
    return result


@ray.remote(num_cpus=1, max_retries=3)
def _split_task(subtree: Subtree, out_dir: Path) -> tuple[list[Item], list[Subtree]]:
    items, children = split_subtree(subtree)
    return _outside(items, out_dir), children


@ray.remote(num_cpus=1, max_retries=3)
def _walk_task(subtree: Subtree, out_dir: Path) -> list[Item]:
    return _outside(walk_subtree(subtree), out_dir)


def _outside(items: list[Item] | Iterator[Item], out_dir: Path) -> list[Item]:
    """Items not inside the results folder (a results folder inside the source is skipped)."""
    return [item for item in items if not item.path.resolve().is_relative_to(out_dir)]

"""Measured points of the search, the Pareto front of accuracy vs speed, and the pick for the
speed a user asks for ("at least 5,000 photos per hour")."""

from __future__ import annotations

from dataclasses import dataclass

from engine.search.export import Architecture
from engine.search.head import HeadSpec
from engine.search.speed import photos_per_hour


@dataclass(frozen=True)
class Point:
    arch: Architecture
    head: HeadSpec
    accuracy: float  # cross-validated, on `images` photos
    images_per_s: float  # the exported graph on this PC's onnxruntime CPU
    images: int
    rung: int  # 0: a subset of the photos and one head; 1: every photo, every head

    @property
    def photos_per_hour(self) -> float:
        return photos_per_hour(self.images_per_s)


def dominates(a: Point, b: Point) -> bool:
    better_or_equal = a.accuracy >= b.accuracy and a.images_per_s >= b.images_per_s
    return better_or_equal and (a.accuracy > b.accuracy or a.images_per_s > b.images_per_s)


def pareto_front(points: list[Point]) -> list[Point]:
    """Points no other point beats on both accuracy and speed, fastest first."""
    front = [p for p in points if not any(dominates(q, p) for q in points)]
    return sorted(front, key=lambda p: -p.images_per_s)


def recommend(points: list[Point], min_photos_per_hour: float) -> tuple[Point | None, bool]:
    """The most accurate point fast enough (ties: the faster); else the fastest, and False."""
    if not points:
        return None, False
    fast = [p for p in points if p.photos_per_hour >= min_photos_per_hour]
    if fast:
        return max(fast, key=lambda p: (p.accuracy, p.images_per_s)), True
    return max(points, key=lambda p: p.images_per_s), False

"""The search measures accuracy and speed, keeps to its budget, and returns a Pareto front."""

import itertools

import pytest

from engine.search.dataset import from_folders
from engine.search.export import Architecture
from engine.search.head import HeadSpec
from engine.search.nas import Space, search
from engine.search.pareto import Point, dominates, pareto_front, recommend
from engine.search.report import front_text

SMALL = Space(("fp32", "int8"), (160, 224), ("final", "block10"), (HeadSpec(), HeadSpec(c=0.1)))


def _point(acc: float, speed: float, res: int = 224) -> Point:
    return Point(Architecture("fp32", res, "final"), HeadSpec(), acc, speed, 10, 1)


def test_front_and_recommendation():
    slow_best, mid, fast, dominated = (
        _point(0.9, 2),
        _point(0.8, 5, 192),
        _point(0.6, 9, 160),
        _point(0.5, 4, 256),
    )
    points = [slow_best, mid, fast, dominated]
    assert pareto_front(points) == [fast, mid, slow_best]
    assert dominates(mid, dominated) and not dominates(fast, mid)
    assert recommend(points, 3 * 3600) == (mid, True)
    assert recommend(points, 20 * 3600) == (fast, False)


@pytest.fixture(scope="module")
def result(labelled_root):
    return search(from_folders(labelled_root), budget_s=60, min_photos_per_hour=5000, space=SMALL)


def test_search_returns_a_measured_front(result):
    assert len(result.points) >= 3
    for point in result.points:
        assert point.rung == 1 and point.images == 24 and point.images_per_s > 0
        assert point.accuracy > 0.5
    assert result.front and all(p in result.points for p in result.front)
    for a, b in itertools.permutations(result.front, 2):
        assert not dominates(a, b)
    assert result.recommended in result.points
    assert result.meets_speed == (result.recommended.photos_per_hour >= 5000)
    assert "Pareto front" in front_text(result)


def test_budget_stops_the_search(labelled_root):
    """A clock where every look costs 50 s: after the first measurement nothing else fits."""
    ticks = itertools.count(step=50.0)
    space = Space(("fp32",), (160, 192, 224), ("block10",), (HeadSpec(),))
    result = search(from_folders(labelled_root), 120, space=space, clock=lambda: next(ticks))
    measured = {p.arch.resolution for p in [*result.points, *result.partial]}
    assert measured == {160}

"""Synthetic camera-trap scenes with the boxes of what is in them: numpy and Pillow only.

Why: the INT8 agreement check needs a detector that finds real things, trained and checked on
scenes whose truth is known. `packaging/models/make_trained_detector.py` trains on them; the
tests write them as JPEG "user photos". Backgrounds are textured, noisy, shaded and lit from
bright day to dim grey night; animals are irregular brown or grey bodies with legs, a head and
a tail; people are upright figures with a head; vehicles are wide boxes with wheels. Zero to
three things per scene, of varied size and place.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

CATEGORIES = ("animal", "person", "vehicle")
SIZE = (480, 360)  # width, height: a trap camera's 4:3, small


@dataclass(frozen=True)
class Thing:
    category: str
    box: tuple[int, int, int, int]  # left, top, right, bottom in pixels

    def normalised(self, width: int, height: int) -> tuple[float, float, float, float]:
        """MegaDetector's [x, y, w, h] in [0, 1]."""
        left, top, right, bottom = self.box
        return left / width, top / height, (right - left) / width, (bottom - top) / height


@dataclass(frozen=True)
class Scene:
    rgb: np.ndarray  # (h, w, 3) uint8
    things: tuple[Thing, ...]


def _background(rng: np.random.Generator, width: int, height: int) -> np.ndarray:
    base = rng.uniform(40, 170, 3) * rng.choice([[0.7, 1.0, 0.6], [1.0, 0.9, 0.7], [1, 1, 1]])
    ys, xs = np.mgrid[0:height, 0:width].astype(np.float32)
    angle = rng.uniform(0, 2 * np.pi)
    ramp = (np.cos(angle) * xs / width + np.sin(angle) * ys / height) * rng.uniform(-60, 60)
    grid = (height // 24 + 2, width // 24 + 2)
    coarse = rng.normal(0, 1, (*grid, 1)) + rng.normal(0, 0.3, (*grid, 3))  # leaves, soil
    texture = np.asarray(
        Image.fromarray(np.uint8(np.clip(coarse * 40 + 128, 0, 255))).resize(
            (width, height), Image.Resampling.BICUBIC
        ),
        np.float32,
    )
    pixels = base + ramp[..., None] + (texture - 128) * rng.uniform(0.3, 1.0)
    stripes = rng.integers(0, 6)  # grass stems, branches
    canvas = Image.fromarray(np.uint8(np.clip(pixels, 0, 255)))
    draw = ImageDraw.Draw(canvas)
    for _ in range(stripes):
        x = int(rng.integers(0, width))
        shade = tuple(int(v) for v in np.clip(base * rng.uniform(0.5, 1.3), 0, 255))
        draw.line(
            [(x, height), (x + int(rng.integers(-80, 80)), int(rng.integers(0, height)))],
            fill=shade, width=int(rng.integers(1, 5)),
        )  # fmt: skip
    return np.asarray(canvas, np.float32)


def _colour(rng: np.random.Generator, palette: list[tuple[int, int, int]]) -> tuple[int, ...]:
    chosen = np.array(palette[int(rng.integers(len(palette)))], np.float32)
    return tuple(int(v) for v in np.clip(chosen * rng.uniform(0.75, 1.2), 0, 255))


ANIMAL_FUR = [(120, 80, 45), (95, 70, 50), (140, 110, 75), (110, 110, 105), (70, 60, 55)]
CLOTHES = [(40, 60, 120), (150, 40, 40), (60, 90, 50), (200, 170, 60), (30, 30, 30)]
SKIN = [(225, 180, 150), (160, 110, 80), (100, 70, 50)]
PAINT = [(220, 220, 225), (200, 40, 30), (30, 60, 160), (40, 40, 45), (230, 200, 40)]


def _animal(draw: ImageDraw.ImageDraw, rng: np.random.Generator, x: int, y: int, h: int) -> Thing:
    """A four-legged body seen from the side; (x, y) is the top left, h its height."""
    fur = _colour(rng, ANIMAL_FUR)
    w = int(h * rng.uniform(1.3, 2.0))
    body_top, body_bottom = y + int(h * 0.2), y + int(h * 0.65)
    points = []
    for angle in np.linspace(0, 2 * np.pi, 14, endpoint=False):
        radius = rng.uniform(0.85, 1.05)
        cx, cy = x + w * 0.5, (body_top + body_bottom) / 2
        points.append(
            (cx + np.cos(angle) * w * 0.38 * radius, cy + np.sin(angle) * h * 0.23 * radius)
        )
    draw.polygon(points, fill=fur)
    facing = rng.random() < 0.5
    head_x = x + (0 if facing else int(w * 0.72))
    draw.ellipse([head_x, y, head_x + int(w * 0.28), y + int(h * 0.38)], fill=fur)
    leg = max(2, int(w * 0.06))
    for share in (0.2, 0.32, 0.62, 0.75):
        lx = x + int(w * share)
        draw.rectangle([lx, body_bottom - 4, lx + leg, y + h], fill=fur)
    tail_x = x + (w if facing else 0)
    tail_from = x + int(w * (0.85 if facing else 0.15))
    draw.line([(tail_from, body_top + 4), (tail_x, y + int(h * 0.45))], fill=fur, width=leg)
    return Thing("animal", (x, y, x + w, y + h))


def _person(draw: ImageDraw.ImageDraw, rng: np.random.Generator, x: int, y: int, h: int) -> Thing:
    """Standing: head, torso, two legs, arms; about three times as tall as wide."""
    w = max(6, int(h * rng.uniform(0.28, 0.38)))
    shirt, trousers, skin = _colour(rng, CLOTHES), _colour(rng, CLOTHES), _colour(rng, SKIN)
    head = int(h * 0.15)
    cx = x + w // 2
    draw.ellipse([cx - head // 2, y, cx + head // 2, y + head], fill=skin)
    torso_bottom = y + int(h * 0.55)
    draw.rectangle([x + w // 6, y + head, x + w - w // 6, torso_bottom], fill=shirt)
    arm = max(2, w // 6)
    draw.rectangle([x, y + head + 2, x + arm, y + int(h * 0.5)], fill=shirt)
    draw.rectangle([x + w - arm, y + head + 2, x + w, y + int(h * 0.5)], fill=shirt)
    leg = max(2, w // 4)
    draw.rectangle([x + w // 6, torso_bottom, x + w // 6 + leg, y + h], fill=trousers)
    draw.rectangle([x + w - w // 6 - leg, torso_bottom, x + w - w // 6, y + h], fill=trousers)
    return Thing("person", (x, y, x + w, y + h))


def _vehicle(draw: ImageDraw.ImageDraw, rng: np.random.Generator, x: int, y: int, h: int) -> Thing:
    """A wide body, a cab with a window and two dark wheels."""
    paint = _colour(rng, PAINT)
    w = int(h * rng.uniform(1.8, 2.8))
    wheel = int(h * 0.32)
    body_top, body_bottom = y + int(h * 0.38), y + h - wheel // 2
    draw.rectangle([x, body_top, x + w, body_bottom], fill=paint)
    cab_left = x + int(w * rng.uniform(0.1, 0.45))
    cab_right = cab_left + int(w * 0.4)
    draw.rectangle([cab_left, y, cab_right, body_top], fill=paint)
    draw.rectangle(
        [cab_left + 3, y + 3, cab_right - 3, body_top - 2], fill=(150, 180, 200)
    )  # fmt: skip
    for share in (0.18, 0.78):
        wx = x + int(w * share)
        draw.ellipse([wx - wheel // 2, y + h - wheel, wx + wheel // 2, y + h], fill=(20, 20, 20))
    return Thing("vehicle", (x - 0, y, x + w, y + h))


DRAW = {"animal": _animal, "person": _person, "vehicle": _vehicle}
WIDTH_PER_HEIGHT = {"animal": 2.0, "person": 0.38, "vehicle": 2.8}  # the widest each can be


def _overlaps(box: tuple[int, ...], others: list[Thing]) -> bool:
    for other in others:
        ol, ot, orr, ob = other.box
        if box[0] < orr and ol < box[2] and box[1] < ob and ot < box[3]:
            return True
    return False


def scene(rng: np.random.Generator, size: tuple[int, int] = SIZE, most: int = 3) -> Scene:
    """One scene: background, 0..`most` things (a fifth of scenes empty), light and noise."""
    width, height = size
    canvas = Image.fromarray(np.uint8(np.clip(_background(rng, width, height), 0, 255)))
    draw = ImageDraw.Draw(canvas)
    things: list[Thing] = []
    count = 0 if rng.random() < 0.2 else int(rng.integers(1, most + 1))
    for _ in range(count * 4):
        if len(things) == count:
            break
        category = CATEGORIES[int(rng.integers(len(CATEGORIES)))]
        h = int(height * rng.uniform(0.12, 0.5))
        w = int(h * WIDTH_PER_HEIGHT[category]) + 2
        if w >= width - 4:
            continue
        x, y = int(rng.integers(2, width - w - 1)), int(rng.integers(2, height - h - 1))
        if _overlaps((x, y, x + w, y + h), things):
            continue
        things.append(DRAW[category](draw, rng, x, y, h))
    canvas = canvas.filter(ImageFilter.GaussianBlur(rng.uniform(0, 1.2)))
    pixels = np.asarray(canvas, np.float32) * rng.uniform(0.35, 1.25)
    if rng.random() < 0.25:  # a night photo: infrared grey
        pixels = np.repeat(pixels.mean(axis=2, keepdims=True), 3, axis=2)
    pixels += rng.normal(0, rng.uniform(2, 12), pixels.shape)
    return Scene(
        np.uint8(np.clip(pixels, 0, 255)), tuple(_clipped(t, width, height) for t in things)
    )


def _clipped(thing: Thing, width: int, height: int) -> Thing:
    left, top, right, bottom = thing.box
    return Thing(
        thing.category, (max(0, left), max(0, top), min(width, right), min(height, bottom))
    )


def write_photos(
    folder: Path, count: int, seed: int = 0, size: tuple[int, int] = SIZE, blank: bool = False
) -> dict[str, tuple[Thing, ...]]:
    """`count` JPEG scenes in `folder` (name -> what is in it); `blank` writes plain grey ones."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    truth = {}
    for index in range(count):
        name = f"IMG_{index:04d}.JPG"
        if blank:
            shown = Scene(np.full((size[1], size[0], 3), 128, np.uint8), ())
        else:
            shown = scene(rng, size)
        Image.fromarray(shown.rgb).save(folder / name, quality=90)
        truth[name] = shown.things
    return truth

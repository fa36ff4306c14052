"""Make the stand-in detector packs: real ONNX graphs, one per output layout, whose boxes are known.

Why: tests must run a detector end to end (file -> boxes in the database -> JSON) without
MegaDetector's weights, on every layout the field uses. Each graph looks at the letterboxed
input and finds, with real tensor arithmetic:
- animal: the pixels where every channel is >= 0.94 (a white patch), confidence 0.9;
- person: the pixels whose red exceeds green and blue by 0.5 (a red patch), confidence 0.8;
- vehicle: the pixels whose blue exceeds red and green by 0.5 (a blue patch), confidence 0.7;
each as the tight box around those pixels. Around the animal box it adds what a real detector
also says: a slightly larger duplicate at 0.6 (NMS removes it; the NMS-free e2e and rtdetr
layouts leave it out, as those models do), the same box as "person" at
0.03 (kept: class-wise NMS; below the typical threshold) and a box at 0.005 (below the floor).
An empty category gives confidence 0.

Run from the repository root (numpy and onnx only, no torch):

    python packaging/models/make_standin_detectors.py [--out tests/data/models]
"""

from __future__ import annotations

import argparse
import hashlib
import json
from pathlib import Path

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

OPSET = 17
CATEGORIES = ["animal", "person", "vehicle"]
SCORES = {"animal": 0.9, "person": 0.8, "vehicle": 0.7}
LAYOUTS = {  # layout -> (input size, stride, fixed shape)
    "yolov5": (1280, 64, False),
    "ultralytics": (640, 32, False),
    "e2e": (640, 32, True),
    "rtdetr": (640, 32, True),
}


class Graph:
    """A tiny ONNX graph builder: each call adds a node and returns its output name."""

    def __init__(self) -> None:
        self.nodes: list[onnx.NodeProto] = []
        self.initializers: list[onnx.TensorProto] = []
        self._count = 0

    def _name(self, hint: str) -> str:
        self._count += 1
        return f"{hint}_{self._count}"

    def const(self, value, dtype=np.float32) -> str:  # noqa: ANN001 - any array-like
        name = self._name("const")
        self.initializers.append(numpy_helper.from_array(np.asarray(value, dtype=dtype), name))
        return name

    def op(self, kind: str, *inputs: str, **attrs) -> str:  # noqa: ANN003 - ONNX attributes
        out = self._name(kind.lower())
        self.nodes.append(helper.make_node(kind, list(inputs), [out], **attrs))
        return out


def _channel(g: Graph, image: str, index: int) -> str:
    starts, ends, axes = (
        g.const([index], np.int64),
        g.const([index + 1], np.int64),
        g.const([1], np.int64),
    )
    return g.op("Slice", image, starts, ends, axes)


def _ge(g: Graph, value: str, limit: float) -> str:
    return g.op("GreaterOrEqual", value, g.const(limit))


def _masks(g: Graph, image: str) -> dict[str, str]:
    """Float 0/1 masks [B, 1, H, W] per category."""
    red, green, blue = (_channel(g, image, i) for i in range(3))
    white = _ge(g, g.op("Min", red, green, blue), 0.94)
    reddish = g.op("And", _ge(g, g.op("Sub", red, green), 0.5), _ge(g, g.op("Sub", red, blue), 0.5))
    bluish = g.op("And", _ge(g, g.op("Sub", blue, red), 0.5), _ge(g, g.op("Sub", blue, green), 0.5))
    cast = lambda mask: g.op("Cast", mask, to=TensorProto.FLOAT)  # noqa: E731
    return {"animal": cast(white), "person": cast(reddish), "vehicle": cast(bluish)}


def _extent(g: Graph, mask: str, image: str, axis: int) -> tuple[str, str, str]:
    """(first index, last index + 1, any) of the mask along image axis 2 (y) or 3 (x), [B, 1]."""
    other = 3 if axis == 2 else 2
    profile = g.op("ReduceMax", mask, axes=[1, other], keepdims=0)  # [B, L]
    length = g.op("Gather", g.op("Shape", image), g.const(axis, np.int64))
    index = g.op(
        "Cast", g.op("Range", g.const(0, np.int64), length, g.const(1, np.int64)),
        to=TensorProto.FLOAT,
    )  # fmt: skip
    end = g.op("ReduceMax", g.op("Mul", profile, g.op("Add", index, g.const(1.0))), axes=[1])
    outside = g.op("Mul", g.op("Sub", g.const(1.0), profile), g.const(1e6))
    start = g.op("ReduceMin", g.op("Add", g.op("Mul", profile, index), outside), axes=[1])
    found = g.op("ReduceMax", profile, axes=[1])
    return g.op("Mul", start, found), end, found


def _category_box(g: Graph, mask: str, image: str) -> tuple[list[str], str]:
    """([x1, y1, x2, y2] each [B, 1], any [B, 1]) in input pixels."""
    x1, x2, found = _extent(g, mask, image, 3)
    y1, y2, _found = _extent(g, mask, image, 2)
    return [x1, y1, x2, y2], found


def _rows(g: Graph, image: str) -> list[tuple[list[str], str, int]]:
    """(box, confidence [B, 1], class) per candidate row, as the module docstring says."""
    boxes = {name: _category_box(g, mask, image) for name, mask in _masks(g, image).items()}
    animal, found = boxes["animal"]

    def grow(box: list[str], d: float) -> list[str]:
        return [g.op("Add", c, g.const(v)) for c, v in zip(box, (-d, -d, d, d), strict=True)]

    def score(found: str, value: float) -> str:
        return g.op("Mul", found, g.const(value))

    rows = [
        (animal, score(found, SCORES["animal"]), 0),
        (grow(animal, 4.0), score(found, 0.6), 0),
        (animal, score(found, 0.03), 1),
        (boxes["person"][0], score(boxes["person"][1], SCORES["person"]), 1),
        (boxes["vehicle"][0], score(boxes["vehicle"][1], SCORES["vehicle"]), 2),
        (grow(animal, 20.0), score(found, 0.005), 2),
    ]
    return rows


def _centre(g: Graph, box: list[str]) -> list[str]:
    x1, y1, x2, y2 = box
    half = g.const(0.5)
    return [
        g.op("Mul", g.op("Add", x1, x2), half), g.op("Mul", g.op("Add", y1, y2), half),
        g.op("Sub", x2, x1), g.op("Sub", y2, y1),
    ]  # fmt: skip


def _class_columns(g: Graph, conf: str, cls: int, other: float = 0.001) -> list[str]:
    return [conf if i == cls else g.op("Mul", g.op("Add", conf, g.const(1.0)), g.const(other / 2))
            for i in range(len(CATEGORIES))]  # fmt: skip


def _stack_rows(g: Graph, rows: list[list[str]]) -> str:
    """[B, N, K] from N rows of K columns of [B, 1]."""
    unsqueezed = [
        g.op("Unsqueeze", g.op("Concat", *row, axis=1), g.const([1], np.int64)) for row in rows
    ]
    return g.op("Concat", *unsqueezed, axis=1)


def _outputs(g: Graph, layout: str, image: str) -> dict[str, str]:
    rows = _rows(g, image)
    if layout == "yolov5":
        table = [[*_centre(g, box), g.op("Ceil", conf), *_class_columns(g, conf, cls)]
                 for box, conf, cls in rows]  # fmt: skip
        return {"output0": _stack_rows(g, table)}
    if layout == "ultralytics":
        table = [[*_centre(g, box), *_class_columns(g, conf, cls)] for box, conf, cls in rows]
        return {"output0": g.op("Transpose", _stack_rows(g, table), perm=[0, 2, 1])}
    if layout == "e2e":
        rows = [row for index, row in enumerate(rows) if index != 1]  # NMS is in the graph
        table = [[*box, conf, g.op("Add", g.op("Mul", conf, g.const(0.0)), g.const(float(cls)))]
                 for box, conf, cls in rows]  # fmt: skip
        return {"output0": _stack_rows(g, table)}
    rows = [row for index, row in enumerate(rows) if index != 1]  # NMS-free: no duplicates
    shape = g.op("Cast", g.op("Shape", image), to=TensorProto.FLOAT)
    side = lambda i: g.op("Gather", shape, g.const([i], np.int64))  # noqa: E731
    width, height = side(3), side(2)
    boxes, logits = [], []
    for box, conf, cls in rows:
        cx, cy, w, h = _centre(g, box)
        boxes.append([g.op("Div", cx, width), g.op("Div", cy, height),
                      g.op("Div", w, width), g.op("Div", h, height)])  # fmt: skip
        safe = g.op("Clip", conf, g.const(1e-6), g.const(1 - 1e-6))
        logit = g.op("Log", g.op("Div", safe, g.op("Sub", g.const(1.0), safe)))
        absent = g.op("Add", g.op("Mul", conf, g.const(0.0)), g.const(-9.0))
        logits.append([logit if i == cls else absent for i in range(len(CATEGORIES))])
    return {"boxes": _stack_rows(g, boxes), "logits": _stack_rows(g, logits)}


def build(layout: str) -> onnx.ModelProto:
    size, _stride, fixed = LAYOUTS[layout]
    g = Graph()
    dims = ["batch", 3, size, size] if fixed else ["batch", 3, "height", "width"]
    image = helper.make_tensor_value_info("images", TensorProto.FLOAT, dims)
    outputs = _outputs(g, layout, "images")
    g.nodes += [helper.make_node("Identity", [name], [key]) for key, name in outputs.items()]
    graph = helper.make_graph(
        g.nodes, f"standin_{layout}", [image],
        [helper.make_tensor_value_info(key, TensorProto.FLOAT, ["batch", "n", "k"])
         for key in outputs],
        g.initializers,
    )  # fmt: skip
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)])
    model.ir_version = 8
    model.producer_name = "ocelote make_standin_detectors.py"
    onnx.checker.check_model(model, full_check=True)
    return model


def card(layout: str, file: Path) -> dict:
    size, stride, fixed = LAYOUTS[layout]
    output = {"name": "output0", "layout": layout}
    if layout == "rtdetr":
        output = {"name": "boxes", "layout": "rtdetr", "boxes": "boxes", "scores": "logits",
                  "scores_are": "logits"}  # fmt: skip
    data = file.read_bytes()
    return {
        "schema": 2,
        "id": f"standin-det-{layout}",
        "kind": "detector",
        "name": f"Stand-in detector ({layout} layout)",
        "version": "1.0.0",
        "purpose": {
            "en": "Test stand-in: boxes white patches as animals, red as people, blue as vehicles.",
            "es": "Sustituto de prueba: enmarca manchas blancas como animales, rojas como "
            "personas y azules como vehículos.",
        },
        "source": {"publisher": "Ocelote", "urls": [], "homepage": ""},
        "license": {
            "spdx": "MIT",
            "attribution": "Ocelote test stand-in, made by "
            "packaging/models/make_standin_detectors.py",
        },  # fmt: skip
        "input": {
            "name": "images",
            "size": size,
            "layout": "NCHW",
            "color": "RGB",
            "resize": "letterbox",
            "stride": stride,
            "fixed_shape": fixed,
            "pad_value": 114,
            "scale": 255.0,
        },  # fmt: skip
        "output": output,
        "categories": CATEGORIES,
        "thresholds": {"floor": 0.01, "typical": 0.2, "conservative": 0.05, "nms_iou": 0.45},
        "variants": [
            {
                "id": "fp32",
                "precision": "fp32",
                "format": "onnx",
                "file": file.name,
                "sha256": hashlib.sha256(data).hexdigest(),
                "size_bytes": len(data),
                "published": None,
            }  # fmt: skip
        ],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("tests/data/models"))
    args = parser.parse_args()
    for layout in LAYOUTS:
        folder = args.out / f"standin-det-{layout}"
        folder.mkdir(parents=True, exist_ok=True)
        file = folder / f"standin_{layout}.onnx"
        onnx.save(build(layout), file)
        text = json.dumps(card(layout, file), indent=2, ensure_ascii=False) + "\n"
        (folder / "card.json").write_text(text, encoding="utf-8")
        print(f"{folder}: {file.stat().st_size} bytes")


if __name__ == "__main__":
    main()

"""YOLOv5 networks built layer by layer with `onnx.helper`, with random weights.

Why: `ocelote bench detect` must measure the detector path on a fresh PC (no torch, no
MegaDetector download). Speed depends on the architecture, not the weights, so these graphs
follow Ultralytics' `yolov5x6.yaml` (MegaDetector v5a/redwood: P6, strides 8-64, depth 1.33,
width 1.25) and `yolov5s.yaml` (a light P5 detector at 640) layer for layer, with the BatchNorms
folded into the convolutions as `export.py` leaves them. The head decodes as YOLOv5's export
does: sigmoid, centre xy and wh in input pixels, objectness, class scores -> [B, N, 5 + nc].
The weights are random: these models find nothing and say so in their cards.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

OPSET = 17  # DirectML takes opset <= 17


@dataclass(frozen=True)
class Arch:
    """One YOLOv5 configuration: the yaml's multiples, levels and anchors (pixels)."""

    name: str
    depth: float
    width: float
    p6: bool
    anchors: tuple[tuple[int, ...], ...]
    classes: int = 3

    @property
    def strides(self) -> tuple[int, ...]:
        return (8, 16, 32, 64) if self.p6 else (8, 16, 32)


YOLOV5X6 = Arch(
    "yolov5x6", 1.33, 1.25, True,
    ((19, 27, 44, 40, 38, 94), (96, 68, 86, 152, 180, 137), (140, 301, 303, 264, 238, 542),
     (436, 615, 739, 380, 925, 792)),
)  # fmt: skip
YOLOV5S = Arch(
    "yolov5s", 0.33, 0.50, False,
    ((10, 13, 16, 30, 33, 23), (30, 61, 62, 45, 59, 119), (116, 90, 156, 198, 373, 326)),
)  # fmt: skip


class _Graph:
    """Nodes and random initializers, named in order of creation."""

    def __init__(self, arch: Arch, seed: int) -> None:
        self.arch = arch
        self.rng = np.random.default_rng(seed)
        self.nodes: list[onnx.NodeProto] = []
        self.inits: list[onnx.TensorProto] = []
        self.count = 0

    def name(self, prefix: str) -> str:
        self.count += 1
        return f"{prefix}_{self.count}"

    def const(self, array: np.ndarray, prefix: str = "c") -> str:
        name = self.name(prefix)
        self.inits.append(numpy_helper.from_array(np.asarray(array), name))
        return name

    def op(self, kind: str, inputs: list[str], **attrs: object) -> str:
        out = self.name(kind.lower())
        self.nodes.append(helper.make_node(kind, inputs, [out], **attrs))
        return out

    def channels(self, c: int) -> int:
        """`make_divisible(c * width, 8)`, as yolo.py scales the yaml's channels."""
        return math.ceil(c * self.arch.width / 8) * 8

    def repeats(self, n: int) -> int:
        return max(round(n * self.arch.depth), 1) if n > 1 else n

    # YOLOv5 modules (models/common.py), BatchNorm folded into the convolution.
    def conv(self, x: str, c1: int, c2: int, k: int = 1, s: int = 1, p: int | None = None,
             act: bool = True, bias: np.ndarray | None = None) -> str:  # fmt: skip
        p = k // 2 if p is None else p
        weight = self.rng.standard_normal((c2, c1, k, k), dtype=np.float32)
        weight *= np.float32(1 / math.sqrt(c1 * k * k))
        b = bias if bias is not None else np.zeros(c2, np.float32)
        y = self.op(
            "Conv", [x, self.const(weight, "w"), self.const(b.astype(np.float32), "b")],
            kernel_shape=[k, k], strides=[s, s], pads=[p] * 4,
        )  # fmt: skip
        return self.op("Mul", [y, self.op("Sigmoid", [y])]) if act else y  # SiLU

    def bottleneck(self, x: str, c1: int, c2: int, shortcut: bool) -> str:
        y = self.conv(self.conv(x, c1, c2, 1), c2, c2, 3)
        return self.op("Add", [x, y]) if shortcut and c1 == c2 else y

    def c3(self, x: str, c1: int, c2: int, n: int, shortcut: bool = True) -> str:
        c_ = c2 // 2
        a = self.conv(x, c1, c_, 1)
        for _ in range(n):
            a = self.bottleneck(a, c_, c_, shortcut)
        b = self.conv(x, c1, c_, 1)
        return self.conv(self.op("Concat", [a, b], axis=1), 2 * c_, c2, 1)

    def sppf(self, x: str, c1: int, c2: int) -> str:
        c_ = c1 // 2
        y = [self.conv(x, c1, c_, 1)]
        for _ in range(3):
            y.append(self.op("MaxPool", [y[-1]], kernel_shape=[5, 5], pads=[2] * 4, strides=[1, 1]))
        return self.conv(self.op("Concat", y, axis=1), 4 * c_, c2, 1)

    def upsample(self, x: str) -> str:
        scales = self.const(np.array([1, 1, 2, 2], np.float32), "scales")
        return self.op(
            "Resize", [x, "", scales], mode="nearest",
            coordinate_transformation_mode="asymmetric", nearest_mode="floor",
        )  # fmt: skip

    def detect(self, x: str, c1: int, level: int) -> str:
        """One Detect level: 1x1 conv, sigmoid, grid and anchors -> [B, na*ny*nx, no]."""
        arch, stride = self.arch, self.arch.strides[level]
        na, no = 3, arch.classes + 5
        bias = np.zeros((na, no), np.float32)  # Model._initialize_biases (yolo.py)
        bias[:, 4] += math.log(8 / (640 / stride) ** 2)
        bias[:, 5:] += math.log(0.6 / (arch.classes - 0.99))
        y = self.op("Sigmoid", [self.conv(x, c1, na * no, 1, act=False, bias=bias.ravel())])
        shape = self.op("Shape", [y])
        flat = self.op("Reshape", [y, self.const(np.array([0, na, no, -1], np.int64), "shape")])
        t = self.op("Transpose", [flat], perm=[0, 1, 3, 2])  # [B, na, ny*nx, no]
        ny = self.op("Gather", [shape, self.const(np.array(2, np.int64), "i")], axis=0)
        nx = self.op("Gather", [shape, self.const(np.array(3, np.int64), "i")], axis=0)
        cells = self.op("Range", [self.const(np.array(0, np.int64), "zero"),
                                  self.op("Mul", [ny, nx]),
                                  self.const(np.array(1, np.int64), "one")])  # fmt: skip
        gx = self.op("Unsqueeze", [self.op("Mod", [cells, nx]), self.const(np.array([1]))])
        gy = self.op("Unsqueeze", [self.op("Div", [cells, nx]), self.const(np.array([1]))])
        grid = self.op("Cast", [self.op("Concat", [gx, gy], axis=1)], to=TensorProto.FLOAT)
        offset = self.op("Sub", [grid, self.const(np.array(0.5, np.float32))])  # [HW, 2]
        sizes = self.const(np.array([2, 2, no - 4], np.int64), "split")
        xy, wh, conf = (self.name("split") for _ in range(3))
        self.nodes.append(helper.make_node("Split", [t, sizes], [xy, wh, conf], axis=-1))
        two = self.const(np.array(2, np.float32), "two")
        xy = self.op("Add", [self.op("Mul", [xy, two]), offset])
        xy = self.op("Mul", [xy, self.const(np.array(stride, np.float32), "stride")])
        wh = self.op("Mul", [wh, two])
        anchors = np.array(arch.anchors[level], np.float32).reshape(1, na, 1, 2)
        wh = self.op("Mul", [self.op("Mul", [wh, wh]), self.const(anchors, "anchors")])
        out = self.op("Concat", [xy, wh, conf], axis=-1)
        return self.op("Reshape", [out, self.const(np.array([0, -1, no], np.int64), "shape")])


def build(arch: Arch, seed: int = 0) -> onnx.ModelProto:
    """The whole network as yolov5x6.yaml / yolov5s.yaml lay it out (layer numbers in comments)."""
    g = _Graph(arch, seed)
    c, n = g.channels, g.repeats
    top = 1024 if not arch.p6 else 768  # P5 width of the backbone
    x = g.conv("images", 3, c(64), 6, 2, 2)  # 0-P1/2
    x = g.conv(x, c(64), c(128), 3, 2)  # 1-P2/4
    x = g.c3(x, c(128), c(128), n(3))
    x = g.conv(x, c(128), c(256), 3, 2)  # 3-P3/8
    p3 = x = g.c3(x, c(256), c(256), n(6))
    x = g.conv(x, c(256), c(512), 3, 2)  # 5-P4/16
    p4 = x = g.c3(x, c(512), c(512), n(9))
    x = g.conv(x, c(512), c(top), 3, 2)  # 7-P5/32
    p5 = x = g.c3(x, c(top), c(top), n(3))
    if arch.p6:
        x = g.conv(x, c(768), c(1024), 3, 2)  # 9-P6/64
        x = g.c3(x, c(1024), c(1024), n(3))
    x = g.sppf(x, c(1024), c(1024))
    if arch.p6:
        h6 = x = g.conv(x, c(1024), c(768), 1)
        x = g.c3(g.op("Concat", [g.upsample(x), p5], axis=1), 2 * c(768), c(768), n(3), False)
    h5 = x = g.conv(x, c(top), c(512), 1)
    x = g.c3(g.op("Concat", [g.upsample(x), p4], axis=1), 2 * c(512), c(512), n(3), False)
    h4 = x = g.conv(x, c(512), c(256), 1)
    outs = [x := g.c3(g.op("Concat", [g.upsample(x), p3], axis=1), 2 * c(256), c(256), n(3),
                      False)]  # fmt: skip
    x = g.conv(x, c(256), c(256), 3, 2)
    outs.append(x := g.c3(g.op("Concat", [x, h4], axis=1), 2 * c(256), c(512), n(3), False))
    x = g.conv(x, c(512), c(512), 3, 2)
    outs.append(x := g.c3(g.op("Concat", [x, h5], axis=1), 2 * c(512), c(top), n(3), False))
    if arch.p6:
        x = g.conv(x, c(768), c(768), 3, 2)
        outs.append(g.c3(g.op("Concat", [x, h6], axis=1), 2 * c(768), c(1024), n(3), False))
    widths = [c(256), c(512), c(top)] + ([c(1024)] if arch.p6 else [])
    levels = [g.detect(o, w, i) for i, (o, w) in enumerate(zip(outs, widths, strict=True))]
    g.nodes.append(helper.make_node("Concat", levels, ["output0"], axis=1))
    graph = helper.make_graph(
        g.nodes, arch.name,
        [helper.make_tensor_value_info("images", TensorProto.FLOAT,
                                       ["batch", 3, "height", "width"])],
        [helper.make_tensor_value_info("output0", TensorProto.FLOAT,
                                       ["batch", "boxes", arch.classes + 5])],
        g.inits,
    )  # fmt: skip
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)])
    model.ir_version = 8  # onnxruntime >= 1.14 and DirectML read it
    model.producer_name = "ocelote-standin"
    return model

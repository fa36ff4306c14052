"""A batch dimension for ncnn: the graph rewritten so that N images travel as channel groups.

Why: ncnn has no batch dimension. One image per extract leaves a GPU idle between some 70 small
dispatches, each with its barrier (an H100 did 280 img/s with one extractor, 790 with eight).
Stacking N images along the channel axis and turning every convolution into a grouped one (N
groups, the same weights in each) makes each dispatch do N images' work: the same network on
each image, with no mixing between groups. Layers that would mix images (a reshape of a
feature map, a softmax, a concat) are refused with `NotBatchable`, and the caller keeps one
image per extract.

The weights are repeated N times, read from the model file (ncnn's bin: per weight blob a
4-byte storage tag then the data; biases raw float32).
"""

import struct
from dataclasses import dataclass

FP16_TAG = 0x01306B47
FLOAT_TAG = 0
# Layers that act on each channel (or element) alone: stacking images along channels is safe.
PER_CHANNEL = frozenset(
    {"BinaryOp", "Split", "Pooling", "ReLU", "Clip", "Sigmoid", "Swish", "HardSwish",
     "HardSigmoid", "Mish", "Dropout", "Noop", "TanH", "ELU"}
)  # fmt: skip
# BatchNorm, PReLU and Scale are per-channel too, but carry weights this rewrite does not repeat;
# pnnx folds batch norms into the convolutions, so Ocelote's models do not hold them.
REWRITTEN = frozenset({"Input", "Convolution", "ConvolutionDepthWise", "InnerProduct"})


class NotBatchable(ValueError):
    """The graph holds a layer that would mix the images of a channel-stacked batch."""


@dataclass
class _Layer:
    kind: str
    name: str
    bottoms: list[str]
    tops: list[str]
    params: dict[int, str]

    def line(self) -> str:
        values = [f"{key}={value}" for key, value in self.params.items()]
        return " ".join([self.kind, self.name, str(len(self.bottoms)), str(len(self.tops)),
                         *self.bottoms, *self.tops, *values])  # fmt: skip


def _parse(param: str) -> tuple[str, list[_Layer]]:
    lines = param.split("\n")
    layers = []
    for line in lines[2:]:
        fields = line.split()
        if not fields:
            continue
        bottoms, tops = int(fields[2]), int(fields[3])
        blobs = fields[4 : 4 + bottoms + tops]
        params = dict(item.split("=", 1) for item in fields[4 + bottoms + tops :])
        layers.append(_Layer(fields[0], fields[1], blobs[:bottoms], blobs[bottoms:],
                             {int(k): v for k, v in params.items()}))  # fmt: skip
    return lines[0], layers


class _Weights:
    """Reads ncnn's bin layer by layer and writes each weight blob repeated `copies` times."""

    def __init__(self, data: bytes, copies: int) -> None:
        self._data, self._at, self._copies, self.out = data, 0, copies, bytearray()

    def _take(self, size: int) -> bytes:
        if self._at + size > len(self._data):
            raise NotBatchable("the weights end before the graph does")
        self._at += size
        return self._data[self._at - size : self._at]

    def tagged(self, count: int) -> None:
        (tag,) = struct.unpack("<I", self._take(4))
        if tag == FP16_TAG:
            size = count * 2
        elif tag == FLOAT_TAG:
            size = count * 4
        else:
            raise NotBatchable(f"weight storage tag {tag:#x}")
        body = self._take(size + (-size % 4))[:size] * self._copies
        self.out += struct.pack("<I", tag) + body + bytes(-len(body) % 4)

    def raw(self, count: int) -> None:
        self.out += self._take(count * 4) * self._copies


def _grouped(layer: _Layer, weights: _Weights, copies: int) -> _Layer:
    """A Convolution or ConvolutionDepthWise over `copies` stacked images."""
    params = dict(layer.params)
    if int(params.get(8, 0)) or int(params.get(19, 0)):
        raise NotBatchable(f"{layer.name}: int8 or dynamic weights")
    outputs, size = int(params[0]), int(params[6])
    groups = int(params.get(7, 1)) if layer.kind == "ConvolutionDepthWise" else 1
    weights.tagged(size)
    if int(params.get(5, 0)):
        weights.raw(outputs)
    params.update({0: outputs * copies, 6: size * copies, 7: groups * copies})
    return _Layer("ConvolutionDepthWise", layer.name, layer.bottoms, layer.tops, params)


def _dense(layer: _Layer, weights: _Weights, copies: int) -> list[_Layer]:
    """InnerProduct on a pooled vector: a 1x1 grouped convolution between two reshapes."""
    params = layer.params
    if int(params.get(8, 0)):
        raise NotBatchable(f"{layer.name}: int8 weights")
    outputs, size = int(params[0]), int(params[2])
    inputs = size // outputs
    weights.tagged(size)
    if int(params.get(1, 0)):
        weights.raw(outputs)
    column, flat = f"{layer.name}_column", f"{layer.name}_flat"
    conv = {0: outputs * copies, 1: 1, 5: params.get(1, 0), 6: size * copies, 7: copies}
    if 9 in params:
        conv[9] = params[9]
    if -23310 in params:
        conv[-23310] = params[-23310]
    return [
        _Layer("Reshape", f"{layer.name}_to_column", layer.bottoms, [column],
               {0: 1, 1: 1, 2: inputs * copies}),
        _Layer("ConvolutionDepthWise", layer.name, [column], [flat], conv),
        _Layer("Reshape", f"{layer.name}_to_rows", [flat], layer.tops, {0: outputs, 1: copies}),
    ]  # fmt: skip


def batched_graph(param: str, weights: bytes, copies: int) -> tuple[str, bytes]:
    """The param text and weight bytes of the same network over `copies` channel-stacked images.

    The input blob then holds (copies x channels, height, width); the output is (copies, classes).
    """
    magic, layers = _parse(param)
    for layer in layers:
        if layer.kind not in REWRITTEN and layer.kind not in PER_CHANNEL:
            raise NotBatchable(f"{layer.name}: {layer.kind}")
    reader = _Weights(weights, copies)
    rewritten: list[_Layer] = []
    for layer in layers:
        if layer.kind == "Input":  # its shape (if any) is one image's: dropped
            rewritten.append(_Layer(layer.kind, layer.name, [], layer.tops, {}))
        elif layer.kind in ("Convolution", "ConvolutionDepthWise"):
            rewritten.append(_grouped(layer, reader, copies))
        elif layer.kind == "InnerProduct":
            rewritten.extend(_dense(layer, reader, copies))
        else:
            rewritten.append(layer)
    blobs = {blob for layer in rewritten for blob in layer.bottoms + layer.tops}
    lines = [magic, f"{len(rewritten)} {len(blobs)}", *(layer.line() for layer in rewritten)]
    return "\n".join(lines) + "\n", bytes(reader.out)

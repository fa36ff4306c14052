"""Structured pruning: remove whole channels inside MBConv blocks, giving a smaller dense model.

The rewrite is self-contained: an inverted-residual block is expand 1×1 → Clip → depthwise →
Clip → project 1×1. Dropping channel c removes row c of the expand conv, channel c of the
depthwise conv and column c of the project conv; nothing outside the block changes shape.
The dropped channel's mean activation is folded into the project bias, so the block's output
keeps its average. Channels are ranked by ‖project column‖ × activation spread on the user's
photos. Kept counts round to multiples of 8 (the CPU kernels work in blocks of 8 channels).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from engine.optimize.onnx_tools import attribute, consumers, set_attribute, set_weight, weight

ROUND_TO = 8


@dataclass(frozen=True)
class Block:
    """One prunable inverted-residual block by node name; `hidden` is what project reads."""

    expand: str
    depthwise: str
    project: str
    hidden: str
    channels: int


def _sole(cons: dict, tensor: str, op: str):  # noqa: ANN202 - onnx.NodeProto | None
    nodes = cons.get(tensor, [])
    return nodes[0] if len(nodes) == 1 and nodes[0].op_type == op else None


def _is_pointwise(model, node) -> bool:  # noqa: ANN001
    if node is None or node.op_type != "Conv" or attribute(node, "group") != 1:
        return False
    return list(weight(model, node.input[1]).shape[2:]) == [1, 1]


def find_blocks(model) -> list[Block]:  # noqa: ANN001 - onnx.ModelProto
    """Every expand → Clip → depthwise → Clip → project chain whose tensors nothing else reads."""
    cons, outputs = consumers(model), {o.name for o in model.graph.output}
    blocks = []
    for node in model.graph.node:
        if not _is_pointwise(model, node) or node.output[0] in outputs:
            continue
        clip1 = _sole(cons, node.output[0], "Clip")
        depth = clip1 and _sole(cons, clip1.output[0], "Conv")
        channels = weight(model, node.input[1]).shape[0]
        if depth is None or attribute(depth, "group") != channels:
            continue
        clip2 = _sole(cons, depth.output[0], "Clip")
        project = clip2 and _sole(cons, clip2.output[0], "Conv")
        if _is_pointwise(model, project):
            blocks.append(Block(node.name, depth.name, project.name, clip2.output[0], channels))
    return blocks


@dataclass(frozen=True)
class ChannelStats:
    """Per-channel mean and standard deviation of a block's hidden activation on real photos."""

    mean: np.ndarray
    std: np.ndarray


def hidden_stats(model, blocks: list[Block], tensors: np.ndarray) -> dict[str, ChannelStats]:  # noqa: ANN001
    """Run the model once with every block's hidden tensor as an extra output."""
    import onnx

    from engine.optimize.onnx_tools import session

    probe = onnx.ModelProto()
    probe.CopyFrom(model)
    for block in blocks:
        info = onnx.helper.make_tensor_value_info(block.hidden, onnx.TensorProto.FLOAT, None)
        probe.graph.output.append(info)
    sess = session(probe.SerializeToString())
    names = [b.hidden for b in blocks]
    sums: dict[str, np.ndarray] = {}
    squares: dict[str, np.ndarray] = {}
    counts: dict[str, int] = {}
    for start in range(0, len(tensors), 8):
        values = sess.run(names, {sess.get_inputs()[0].name: tensors[start : start + 8]})
        for name, value in zip(names, values, strict=True):
            sums[name] = sums.get(name, 0.0) + value.sum(axis=(0, 2, 3), dtype=np.float64)
            squares[name] = squares.get(name, 0.0) + np.square(value, dtype=np.float64).sum(
                axis=(0, 2, 3)
            )
            counts[name] = counts.get(name, 0) + value.size // value.shape[1]
    stats = {}
    for name in names:
        mean = sums[name] / counts[name]
        std = np.sqrt(np.maximum(squares[name] / counts[name] - mean**2, 0.0))
        stats[name] = ChannelStats(mean.astype(np.float32), std.astype(np.float32))
    return stats


def kept_count(channels: int, ratio: float) -> int:
    """Channels left after removing `ratio` of them, rounded to the CPU's block of 8."""
    keep = channels * (1.0 - ratio)
    if channels >= 4 * ROUND_TO:
        keep = round(keep / ROUND_TO) * ROUND_TO
    return int(min(channels, max(ROUND_TO if channels >= ROUND_TO else 1, round(keep))))


def channels_to_keep(model, block: Block, stats: ChannelStats, ratio: float) -> np.ndarray:  # noqa: ANN001
    """The most important channels, in their original order."""
    project = weight(model, _node(model, block.project).input[1])
    importance = np.linalg.norm(project[:, :, 0, 0], axis=0) * stats.std
    keep = np.argsort(-importance, kind="stable")[: kept_count(block.channels, ratio)]
    return np.sort(keep)


def _node(model, name: str):  # noqa: ANN001, ANN202
    return next(node for node in model.graph.node if node.name == name)


def prune_block(model, block: Block, keep: np.ndarray, stats: ChannelStats) -> None:  # noqa: ANN001
    """Rewrite one block in place to keep only `keep` hidden channels."""
    drop = np.setdiff1d(np.arange(block.channels), keep)
    expand, depth, project = (
        _node(model, n) for n in (block.expand, block.depthwise, block.project)
    )
    for node in (expand, depth):
        set_weight(model, node.input[1], weight(model, node.input[1])[keep])
        if len(node.input) > 2:
            set_weight(model, node.input[2], weight(model, node.input[2])[keep])
    set_attribute(depth, "group", len(keep))
    w_project = weight(model, project.input[1])
    shift = w_project[:, drop, 0, 0] @ stats.mean[drop]  # the dropped channels' average output
    bias = weight(model, project.input[2]) if len(project.input) > 2 else np.zeros(len(w_project))
    set_weight(model, project.input[1], w_project[:, keep])
    set_weight(model, project.input[2], bias + shift.astype(np.float32))
    _forget_shapes(model, {expand.output[0], depth.input[0], depth.output[0], block.hidden})


def _forget_shapes(model, names: set[str]) -> None:  # noqa: ANN001
    """Stale channel counts in value_info would make onnxruntime refuse the graph."""
    kept = [info for info in model.graph.value_info if info.name not in names]
    del model.graph.value_info[:]
    model.graph.value_info.extend(kept)


def prune_channels(model, ratios: dict[str, float], stats: dict[str, ChannelStats]):  # noqa: ANN001, ANN201
    """A pruned copy: `ratios` maps a block's expand node name to the share of channels removed."""
    import onnx

    pruned = onnx.ModelProto()
    pruned.CopyFrom(model)
    for block in find_blocks(pruned):
        ratio = ratios.get(block.expand, 0.0)
        if ratio > 0:
            keep = channels_to_keep(pruned, block, stats[block.hidden], ratio)
            prune_block(pruned, block, keep, stats[block.hidden])
    return pruned

"""Train a small YOLO-style detector on synthetic scenes and write it as a detector pack.

Why: INT8 of a detector is only offered when it agrees with FP32 on the user's photos; that
check means something only with a detector that really finds things. This one is trained on
the scenes of tests/engine/optimize/scenes.py (animals, people, vehicles on textured, noisy,
day and night backgrounds) and exported in MegaDetector v5's output layout (`[B, N, 5 + 3]`:
centre x, y, w, h in input pixels, objectness, class scores; dynamic batch and input shape),
so the project's detector path runs it as it runs MDv5a.

A build tool, never a dependency: it needs torch (CPU) in a venv of its own:
    python3 -m venv /work/torchvenv
    /work/torchvenv/bin/pip install torch==2.13.0 numpy pillow onnx
    /work/torchvenv/bin/python packaging/models/make_trained_detector.py --minutes 6
One thread on purpose (shared build machines). Output: tests/data/models/standin-det-trained/.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import sys
import time
from pathlib import Path

import numpy as np
import torch
from PIL import Image
from torch import nn

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))
from tests.engine.optimize.scenes import CATEGORIES, scene  # noqa: E402

SIZE, STRIDE, PAD = 320, 32, 114
PACK = REPO / "tests" / "data" / "models" / "standin-det-trained"
MODEL_FILE = "standin_trained.onnx"
# Anchors (w, h) in input pixels per output level (strides 16 and 32), YOLOv5's box decoding.
ANCHORS = {
    16: ((10, 26), (30, 20), (28, 48)),
    32: ((44, 100), (80, 46), (150, 86)),
}
ANCHOR_RATIO = 4.0  # YOLOv5's anchor_t: a box matches anchors within 4x of its sides


def letterbox(rgb: np.ndarray) -> tuple[np.ndarray, float, int, int]:
    """As engine/detection/letterbox.py: long side to SIZE, centred pad to a stride multiple."""
    height, width = rgb.shape[:2]
    ratio = SIZE / max(height, width)
    new_w, new_h = int(width * ratio), int(height * ratio)
    resized = np.asarray(Image.fromarray(rgb).resize((new_w, new_h), Image.Resampling.BOX))
    in_h, in_w = (math.ceil(s / max(height, width) * SIZE / STRIDE + 0.5) * STRIDE
                  for s in (height, width))  # fmt: skip
    top, left = round((in_h - new_h) / 2 - 0.1), round((in_w - new_w) / 2 - 0.1)
    canvas = np.full((in_h, in_w, 3), PAD, np.uint8)
    canvas[top : top + new_h, left : left + new_w] = resized
    return canvas, ratio, left, top


def conv(cin: int, cout: int, stride: int = 1, k: int = 3) -> nn.Sequential:
    return nn.Sequential(
        nn.Conv2d(cin, cout, k, stride, k // 2, bias=False), nn.BatchNorm2d(cout), nn.SiLU()
    )


class Detector(nn.Module):
    """A backbone to stride 32, a top-down merge to stride 16, one 1x1 head per level."""

    def __init__(self) -> None:
        super().__init__()
        self.stem = nn.Sequential(
            conv(3, 16, 2), conv(16, 24, 2), conv(24, 32), conv(32, 48, 2), conv(48, 48)
        )
        self.p4 = nn.Sequential(conv(48, 96, 2), conv(96, 96))
        self.p5 = nn.Sequential(conv(96, 128, 2), conv(128, 128))
        self.up = nn.Upsample(scale_factor=2, mode="nearest")
        self.merge = conv(128 + 96, 96, k=1)
        self.merge2 = conv(96, 96)
        outputs = 5 + len(CATEGORIES)
        self.head16 = nn.Conv2d(96, 3 * outputs, 1)
        self.head32 = nn.Conv2d(128, 3 * outputs, 1)
        for head in (self.head16, self.head32):  # YOLOv5's prior: few objects per cell
            with torch.no_grad():
                head.bias.view(3, outputs)[:, 4] = -4.5
                head.bias.view(3, outputs)[:, 5:] = -1.0
        self.export = False

    def forward(self, x: torch.Tensor):
        p4 = self.p4(self.stem(x))
        p5 = self.p5(p4)
        p4 = self.merge2(self.merge(torch.cat([self.up(p5), p4], 1)))
        raw = [self._shape(self.head16(p4)), self._shape(self.head32(p5))]
        if not self.export:
            return raw
        return torch.cat([self._decode(r, s) for r, s in zip(raw, (16, 32), strict=True)], 1)

    @staticmethod
    def _shape(out: torch.Tensor) -> torch.Tensor:
        b, _c, h, w = out.shape
        return out.view(b, 3, 5 + len(CATEGORIES), h, w).permute(0, 1, 3, 4, 2)

    @staticmethod
    def _decode(raw: torch.Tensor, stride: int) -> torch.Tensor:
        """YOLOv5's export: xy = (2 sig - 0.5 + cell) * stride, wh = (2 sig)^2 * anchor."""
        _b, _a, h, w, k = raw.shape
        ys = torch.arange(h, dtype=torch.float32).view(1, 1, h, 1)
        xs = torch.arange(w, dtype=torch.float32).view(1, 1, 1, w)
        anchors = torch.tensor(ANCHORS[stride], dtype=torch.float32).view(1, 3, 1, 1, 2)
        s = raw.sigmoid()
        cx = (s[..., 0] * 2 - 0.5 + xs) * stride
        cy = (s[..., 1] * 2 - 0.5 + ys) * stride
        wh = (s[..., 2:4] * 2) ** 2 * anchors
        rows = torch.cat([cx.unsqueeze(-1), cy.unsqueeze(-1), wh, s[..., 4:]], -1)
        return rows.reshape(raw.shape[0], -1, k)


def batch_of(rng: np.random.Generator, count: int) -> tuple[torch.Tensor, list[np.ndarray]]:
    """Letterboxed scenes (4:3 and now and then 16:9) and their boxes in input pixels."""
    size = (480, 360) if rng.random() < 0.75 else (640, 360)
    images, targets = [], []
    for _ in range(count):
        shown = scene(rng, size)
        pixels, ratio, left, top = letterbox(shown.rgb)
        boxes = np.array(
            [[CATEGORIES.index(t.category), t.box[0] * ratio + left, t.box[1] * ratio + top,
              t.box[2] * ratio + left, t.box[3] * ratio + top] for t in shown.things],
            np.float32,
        ).reshape(-1, 5)  # fmt: skip
        if rng.random() < 0.5:  # mirror
            pixels = pixels[:, ::-1]
            width = pixels.shape[1]
            boxes[:, [1, 3]] = width - boxes[:, [3, 1]]
        images.append(pixels.transpose(2, 0, 1))
        targets.append(boxes)
    return torch.from_numpy(np.ascontiguousarray(np.stack(images))).float() / 255.0, targets


def box_iou_pairs(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    """IoU of matching rows of (cx, cy, w, h)."""
    a1, a2 = a[:, :2] - a[:, 2:] / 2, a[:, :2] + a[:, 2:] / 2
    b1, b2 = b[:, :2] - b[:, 2:] / 2, b[:, :2] + b[:, 2:] / 2
    inter = (torch.min(a2, b2) - torch.max(a1, b1)).clamp(min=0).prod(1)
    union = a[:, 2:].prod(1) + b[:, 2:].prod(1) - inter
    hull = (torch.max(a2, b2) - torch.min(a1, b1)).prod(1)
    iou = inter / (union + 1e-7)
    return iou - (hull - union) / (hull + 1e-7)  # GIoU


def loss_of(raw: list[torch.Tensor], targets: list[np.ndarray]) -> torch.Tensor:
    """YOLOv5's loss: GIoU box loss and class BCE on assigned cells (the centre cell and its two
    nearest neighbours, anchors within 4x), objectness BCE everywhere, towards 1 on assigned
    cells (not YOLOv5's IoU): decided scores, few boxes hovering near the threshold."""
    bce = nn.BCEWithLogitsLoss()
    total = torch.zeros(())
    for out, stride, balance in zip(raw, (16, 32), (4.0, 1.0), strict=True):
        _b, _a, h, w, _k = out.shape
        anchors = torch.tensor(ANCHORS[stride], dtype=torch.float32)
        picks = []  # (image, anchor, gy, gx, cls, cx, cy, bw, bh)
        for image, boxes in enumerate(targets):
            for cls, x1, y1, x2, y2 in boxes:
                cx, cy, bw, bh = (x1 + x2) / 2, (y1 + y2) / 2, x2 - x1, y2 - y1
                gx, gy = cx / stride, cy / stride
                for a, (aw, ah) in enumerate(ANCHORS[stride]):
                    if max(bw / aw, aw / bw, bh / ah, ah / bh) >= ANCHOR_RATIO:
                        continue
                    cells = {(int(gy), int(gx))}
                    cells.add((int(gy), int(gx) + (1 if gx % 1 > 0.5 else -1)))
                    cells.add((int(gy) + (1 if gy % 1 > 0.5 else -1), int(gx)))
                    for cy_, cx_ in cells:
                        if 0 <= cy_ < h and 0 <= cx_ < w:
                            picks.append((image, a, cy_, cx_, int(cls), cx, cy, bw, bh))
        obj_target = torch.zeros(out.shape[:4])
        if picks:
            index = torch.tensor([p[:4] for p in picks], dtype=torch.long)
            chosen = out[index[:, 0], index[:, 1], index[:, 2], index[:, 3]]
            s = chosen.sigmoid()
            cell_xy = index[:, [3, 2]].float()
            xy = (s[:, :2] * 2 - 0.5 + cell_xy) * stride
            pred = torch.cat([xy, (s[:, 2:4] * 2) ** 2 * anchors[index[:, 1]]], 1)
            truth = torch.tensor([p[5:] for p in picks], dtype=torch.float32)
            iou = box_iou_pairs(pred, truth)
            total = total + 0.05 * (1 - iou).mean() * 20
            cls_target = torch.zeros(len(picks), len(CATEGORIES))
            cls_target[torch.arange(len(picks)), torch.tensor([p[4] for p in picks])] = 1.0
            total = total + 0.5 * bce(chosen[:, 5:], cls_target)
            obj_target[index[:, 0], index[:, 1], index[:, 2], index[:, 3]] = 1.0
        total = total + balance * bce(out[..., 4], obj_target)
    return total


def train(minutes: float, seed: int) -> Detector:
    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    model = Detector()
    optimiser = torch.optim.AdamW(model.parameters(), lr=3e-3, weight_decay=5e-4)
    end = time.monotonic() + minutes * 60
    start, step = time.monotonic(), 0
    while time.monotonic() < end:
        progress = (time.monotonic() - start) / (minutes * 60)
        for group in optimiser.param_groups:  # cosine to a tenth, after a short warm-up
            group["lr"] = (
                3e-3 * min(1.0, (step + 1) / 50) * (0.55 + 0.45 * math.cos(math.pi * progress))
            )
        images, targets = batch_of(rng, 12)
        loss = loss_of(model(images), targets)
        optimiser.zero_grad()
        loss.backward()
        optimiser.step()
        step += 1
        if step % 25 == 0:
            print(
                f"step {step}  loss {loss.item():.3f}  {time.monotonic() - start:.0f} s", flush=True
            )
    print(f"trained {step} steps ({step * 12} scenes)")
    return model.eval()


def fused(model: Detector) -> Detector:
    """BatchNorms folded into their convolutions, as YOLOv5's export leaves them."""
    from torch.nn.utils.fusion import fuse_conv_bn_eval

    for module in model.modules():
        if (
            isinstance(module, nn.Sequential)
            and len(module) == 3
            and isinstance(module[1], nn.BatchNorm2d)
        ):
            module[0] = fuse_conv_bn_eval(module[0], module[1])
            module[1] = nn.Identity()
    return model


def export(model: Detector, target: Path) -> None:
    model.export = True
    example = torch.zeros(1, 3, 256, 352)
    torch.onnx.export(
        model, (example,), str(target), input_names=["images"], output_names=["output0"],
        opset_version=17, dynamo=False,
        dynamic_axes={
            "images": {0: "batch", 2: "height", 3: "width"}, "output0": {0: "batch", 1: "n"}
        },
    )  # fmt: skip


def card(weights: Path) -> dict:
    data = weights.read_bytes()
    return {
        "schema": 2,
        "id": "standin-det-trained",
        "kind": "detector",
        "name": "Stand-in detector trained on synthetic scenes (yolov5 layout)",
        "version": "1.0.0",
        "purpose": {
            "en": "Test stand-in: a small network trained on synthetic scenes (drawn animals, "
            "people and vehicles); it finds those, not real wildlife.",
            "es": "Sustituto de prueba: una red pequeña entrenada con escenas sintéticas "
            "(animales, personas y vehículos dibujados); encuentra esos, no fauna real.",
        },
        "trained_on": "synthetic scenes, tests/engine/optimize/scenes.py",
        "source": {"publisher": "Ocelote", "urls": [], "homepage": ""},
        "license": {
            "spdx": "MIT",
            "attribution": "Ocelote test stand-in, trained by "
            "packaging/models/make_trained_detector.py",
        },
        "input": {
            "name": "images", "size": SIZE, "layout": "NCHW", "color": "RGB",
            "resize": "letterbox", "stride": STRIDE, "fixed_shape": False, "pad_value": PAD,
            "scale": 255.0,
        },
        "output": {"name": "output0", "layout": "yolov5"},
        "categories": list(CATEGORIES),
        "thresholds": {"floor": 0.01, "typical": 0.2, "conservative": 0.05, "nms_iou": 0.45},
        "variants": [
            {
                "id": "fp32", "precision": "fp32", "format": "onnx", "file": weights.name,
                "sha256": hashlib.sha256(data).hexdigest(), "size_bytes": len(data),
                "published": None,
            }
        ],
    }  # fmt: skip


def write_pack(model: Detector) -> None:
    PACK.mkdir(parents=True, exist_ok=True)
    weights = PACK / MODEL_FILE
    export(fused(model), weights)
    (PACK / "card.json").write_text(json.dumps(card(weights), indent=2) + "\n", encoding="utf-8")
    lines = [
        f"{hashlib.sha256((PACK / name).read_bytes()).hexdigest()}  {name}\n"
        for name in sorted(("card.json", MODEL_FILE))
    ]
    (PACK / "manifest.sha256").write_text("".join(lines), encoding="utf-8")
    print(f"wrote {PACK} ({weights.stat().st_size} bytes)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=6.0)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    torch.set_num_threads(1)
    write_pack(train(args.minutes, args.seed))


if __name__ == "__main__":
    main()

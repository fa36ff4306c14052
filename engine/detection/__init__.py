"""Detectors: boxes for animals, people and vehicles, from any card-described ONNX layout.

Small pure modules: `spec` (what a card says), `letterbox` (MegaDetector's preprocessing),
`decoders` (each output layout to candidate boxes), `nms`, `runtime` (the ONNX session),
`crops` and `classify_crops` (the second stage), `rollup` and `country` (labels when reading).
"""

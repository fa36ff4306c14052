"""Inference runtimes behind one protocol (`base.Backend`), and the safety net around them.

- `registry`: backend names, their precisions, `usable_backends()`, `make_loader()`,
  `make_fallback()`.
- `fallback.FallbackBackend`: tries a plan's routes in order; checks the first batch against
  onnxruntime CPU; drops what fails with a reason (`on_drop(name, reason)`).
- Adapters: `onnxruntime_ep` (CPU, DirectML, CUDA, ROCm, MIGraphX, OpenVINO), `ncnn_vulkan`
  (Vulkan and CPU), `opencv_dnn` (OpenCL and CPU).
"""

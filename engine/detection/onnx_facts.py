"""What the plan must know of a detector's ONNX file before routing it: opset and input shape.

DirectML (onnxruntime on Windows) runs detectors only from graphs of opset <= 17 with a fixed
input height and width: newer opsets and dynamic spatial sizes fall back to the CPU inside the
session, slowly and silently. The graph's header is read, never its weights.
"""

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import onnx

DIRECTML_MAX_OPSET = 17


@dataclass(frozen=True)
class GraphFacts:
    opset: int | None  # the default domain's opset; None when the file cannot be read
    fixed_input: bool  # height and width of the first input are numbers

    @property
    def directml_ready(self) -> bool:
        return self.fixed_input and self.opset is not None and self.opset <= DIRECTML_MAX_OPSET


def graph_facts(path: Path) -> GraphFacts:
    try:
        stamp = path.stat().st_mtime_ns
    except OSError:
        return GraphFacts(None, False)
    return _read(path, stamp)


@lru_cache(maxsize=32)
def _read(path: Path, _stamp: int) -> GraphFacts:
    try:
        model = onnx.load(str(path), load_external_data=False)
    except Exception:  # noqa: BLE001 - an unreadable file qualifies for nothing
        return GraphFacts(None, False)
    opset = next((o.version for o in model.opset_import if o.domain in ("", "ai.onnx")), None)
    weights = {init.name for init in model.graph.initializer}
    inputs = [v for v in model.graph.input if v.name not in weights]
    dims = inputs[0].type.tensor_type.shape.dim if inputs else []
    fixed = len(dims) == 4 and all(d.HasField("dim_value") and d.dim_value > 0 for d in dims[2:])
    return GraphFacts(opset, fixed)

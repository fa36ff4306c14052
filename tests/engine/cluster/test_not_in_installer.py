"""Ray stays out of the desktop installer: the PyInstaller spec leaves it out unasked."""

import ast
from pathlib import Path

SPEC = Path(__file__).resolve().parents[3] / "packaging" / "pyinstaller" / "ocelote.spec"
NEEDED = {"ROOT", "SKIP", "OPTIONAL"}


def spec_namespace() -> dict:
    """The spec's imports, settings and functions, without building anything."""
    tree = ast.parse(SPEC.read_text(encoding="utf-8"))
    kept = [
        node
        for node in tree.body
        if isinstance(node, ast.Import | ast.ImportFrom | ast.FunctionDef)
        or (
            isinstance(node, ast.Assign) and {getattr(t, "id", None) for t in node.targets} & NEEDED
        )
    ]
    namespace = {"SPECPATH": str(SPEC.parent)}
    exec(compile(ast.Module(kept, []), str(SPEC), "exec"), namespace)  # noqa: S102
    return namespace


def test_ray_and_what_it_brings_are_excluded_from_the_bundle() -> None:
    excluded = set(spec_namespace()["not_runtime_modules"]())
    assert {"ray", "pyarrow", "pandas"} <= excluded
    assert not {"onnxruntime", "numpy", "PIL", "engine"} & excluded

"""Every Camtrap DP package is checked against the official 1.0.2 profile and Table Schemas
(vendored unchanged in `camtrapdp/`) before it is kept: a package GBIF or camtraptor would
refuse is never left on disk.

The descriptor goes through jsonschema with the profile; the profile's two remote references
resolve offline: the Data Package schema to the copy vendored beside it, the GeoJSON schema to
the one frictionless ships. The tables go through frictionless, resource by resource, with
the vendored Table Schemas in place of their URLs (foreign keys included).
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

SCHEMAS_DIR = Path(__file__).with_name("camtrapdp")
DATA_PACKAGE_URL = "https://specs.frictionlessdata.io/schemas/data-package.json"
GEOJSON_URL = "http://json.schemastore.org/geojson.json"
MAX_PROBLEMS = 10  # a broken column repeats on every row: the first few say enough


def _load(name: str) -> dict:
    return json.loads((SCHEMAS_DIR / name).read_text("utf-8"))


@cache
def _profile_validator():  # noqa: ANN202 - a jsonschema validator
    import frictionless
    import jsonschema
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT4

    geojson = Path(frictionless.__file__).parent / "assets" / "profiles" / "geojson.json"
    resources = [
        (DATA_PACKAGE_URL, _load("data-package.json")),
        (GEOJSON_URL, json.loads(geojson.read_text("utf-8"))),
    ]
    registry = Registry().with_resources(
        (url, Resource.from_contents(body, default_specification=DRAFT4)) for url, body in resources
    )
    return jsonschema.Draft4Validator(
        _load("camtrap-dp-profile.json"),
        registry=registry,
        format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER,
    )


def descriptor_problems(descriptor: dict) -> list[str]:
    errors = sorted(_profile_validator().iter_errors(descriptor), key=lambda e: list(e.path))
    return [
        f"datapackage.json {'/'.join(map(str, error.path)) or '(root)'}: {error.message}"
        for error in errors[:MAX_PROBLEMS]
    ]


def table_problems(folder: Path, descriptor: dict) -> list[str]:
    import frictionless

    local = dict(descriptor)
    local.pop("profile", None)
    local["resources"] = [
        {**resource, "schema": _load(f"{resource['name']}-table-schema.json")}
        for resource in descriptor.get("resources", [])
    ]
    report = frictionless.Package(local, basepath=str(folder)).validate()
    rows = report.flatten(["rowNumber", "fieldName", "type", "note"])
    names = [task.name for task in report.tasks for _error in task.errors]
    return [
        f"{name}.csv row {row}, {field}: {kind} ({note})"
        for name, (row, field, kind, note) in zip(names, rows, strict=False)
    ][:MAX_PROBLEMS]


def package_problems(folder: Path) -> list[str]:
    """What makes the package in `folder` not Camtrap DP 1.0.2; empty when it is valid."""
    descriptor = json.loads((folder / "datapackage.json").read_text("utf-8"))
    return descriptor_problems(descriptor) + table_problems(folder, descriptor)

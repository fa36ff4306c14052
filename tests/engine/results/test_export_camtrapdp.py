"""Camtrap DP 1.0 from a real run, validated offline against the vendored 1.0 schemas.

Each table is validated by frictionless with its Table Schema; the package descriptor by
jsonschema with the package-level rules of the 1.0 profile (see engine/results/camtrapdp/).
"""

import csv
import json
import shutil
from dataclasses import replace
from datetime import datetime

import frictionless
import pytest

from engine.models.store import find_card
from engine.results.atomic import ExportError
from engine.results.camtrapdp_package import PROFILE_URL
from engine.results.camtrapdp_validate import descriptor_problems
from engine.results.db import ResultsDB
from engine.results.export_camtrapdp import (
    SCHEMAS_DIR,
    CamtrapOptions,
    export_camtrapdp,
    parse_utc_offset,
)
from tests.engine.results.export_fixtures import (
    REVIEWED_ANIMAL,
    REVIEWED_EMPTY,
    classified_card,
)

BEAR = "american_black_bear.jpg"  # the sample without an EXIF time
OPTIONS = CamtrapOptions(utc_offset="-5:00", latitude=8.93, longitude=-79.56)


@pytest.fixture(scope="module")
def package(tmp_path_factory):
    """The package written once, with a scientific name known for the reviewed jaguar."""
    results = classified_card(tmp_path_factory.mktemp("camtrap"))
    options = CamtrapOptions(
        utc_offset="-5:00", latitude=8.93, longitude=-79.56,
        scientific_names={"jaguar": "Panthera onca"}, missing_time="deployment",
    )  # fmt: skip
    with ResultsDB(results.db_path) as db:
        report = export_camtrapdp(db, find_card(), results.results / "camtrap-dp", options)
    return report


def read(package, table):
    with (package.path / f"{table}.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def local_schema(table):
    return json.loads((SCHEMAS_DIR / f"{table}-table-schema.json").read_text("utf-8"))


def validate_tables(folder):
    """Every table against its vendored 1.0 Table Schema, foreign keys included.

    The descriptor as written, its remote schema URLs swapped for the vendored copies.
    """
    descriptor = json.loads((folder / "datapackage.json").read_text("utf-8"))
    descriptor.pop("profile")
    for resource in descriptor["resources"]:
        resource["schema"] = local_schema(resource["name"])
    return frictionless.Package(descriptor, basepath=str(folder)).validate()


def test_tables_are_valid_camtrap_dp_1_0(package):
    report = validate_tables(package.path)
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    assert [task.stats["rows"] for task in report.tasks] == [3, package.media, package.media]


def test_validation_catches_a_wrong_value(package, tmp_path):
    broken = tmp_path / "broken"
    shutil.copytree(package.path, broken)
    text = (broken / "observations.csv").read_text("utf-8")
    (broken / "observations.csv").write_text(text.replace(",animal,", ",bird,", 1), "utf-8")
    assert not validate_tables(broken).valid


def test_package_descriptor_follows_the_profile(package):
    descriptor = json.loads((package.path / "datapackage.json").read_text("utf-8"))
    assert descriptor_problems(descriptor) == []
    assert descriptor["profile"] == PROFILE_URL
    assert [r["name"] for r in descriptor["resources"]] == ["deployments", "media", "observations"]
    assert descriptor["temporal"] == {"start": "2006-02-10", "end": "2024-01-21"}
    assert descriptor["spatial"] == {"type": "Point", "coordinates": [-79.56, 8.93]}
    assert descriptor["taxonomic"][0]["scientificName"] == "Panthera onca"


def test_keys_link_the_tables(package):
    deployments = {row["deploymentID"] for row in read(package, "deployments")}
    media = {row["mediaID"]: row for row in read(package, "media")}
    assert deployments == {"camA", "camB", "SD card"}
    assert all(row["deploymentID"] in deployments for row in media.values())
    assert all(row["mediaID"] in media for row in read(package, "observations"))


def test_media_rows_carry_offset_time_type_and_relative_path(package):
    media = {row["filePath"]: row for row in read(package, "media")}
    assert media[REVIEWED_ANIMAL]["timestamp"] == "2006-02-10T17:06:43-05:00"
    assert media[REVIEWED_ANIMAL]["fileMediatype"] == "image/jpeg"
    assert "camB/empty.jpg" not in media  # unreadable: set aside, counted
    assert package.left_out == 1 and package.media == len(media)


def test_a_photo_without_a_time_is_exported_with_the_fallback_and_flagged(package):
    media = {row["filePath"]: row for row in read(package, "media")}
    bear = next(row for path, row in media.items() if path.endswith(BEAR))  # no EXIF time
    camera = bear["deploymentID"]
    first = min(row["timestamp"] for row in media.values() if row["deploymentID"] == camera)
    assert bear["timestamp"] == first  # the deployment's first time, as confirmed
    assert "No recorded time" in bear["mediaComments"]
    assert package.time_fallbacks == 1
    issues = {row["deploymentID"]: row["timestampIssues"] for row in read(package, "deployments")}
    assert issues == {"camA": "", "camB": "", "SD card": "", camera: "true"}


def test_the_file_time_fallback_and_export_time_validation(tmp_path):
    results = classified_card(tmp_path)
    options = CamtrapOptions(utc_offset="+01:00", latitude=8.93, longitude=-79.56)
    with ResultsDB(results.db_path) as db:
        bear = next(rel for rel in db.done_files() if rel.endswith(BEAR))
        mtime = db.done_files()[bear][1]
        report = export_camtrapdp(db, find_card(), tmp_path / "dp", options)
        bad = replace(options, coordinate_uncertainty=0)  # the 1.0.2 schema wants >= 1
        with pytest.raises(ExportError, match="Camtrap DP 1.0.2.*coordinateUncertainty"):
            export_camtrapdp(db, find_card(), tmp_path / "refused", bad)
    media = {row["filePath"]: row for row in read(report, "media")}
    expected = datetime.fromtimestamp(mtime / 1e9).isoformat(timespec="seconds") + "+01:00"
    assert media[bear]["timestamp"] == expected
    assert not (tmp_path / "refused").exists()  # an invalid package is never left on disk


def test_human_review_becomes_a_human_classification(package):
    observations = {row["mediaID"]: row for row in read(package, "observations")}
    media = {row["filePath"]: row["mediaID"] for row in read(package, "media")}
    jaguar = observations[media[REVIEWED_ANIMAL]]
    assert jaguar["classificationMethod"] == "human"
    assert (jaguar["observationType"], jaguar["scientificName"]) == ("animal", "Panthera onca")
    assert jaguar["observationTags"].startswith("machineLabel:")
    empty = observations[media[REVIEWED_EMPTY]]
    assert (empty["observationType"], empty["classificationMethod"]) == ("blank", "human")
    machine = [o for o in observations.values() if o["classificationMethod"] == "machine"]
    assert machine and all(float(o["classificationProbability"]) > 0 for o in machine)
    types = {o["observationType"] for o in observations.values()}
    assert {"animal", "vehicle", "blank"} <= types


def test_offsets_are_normalised_or_refused():
    assert parse_utc_offset("-0500") == "-05:00"
    assert parse_utc_offset("+5:30") == "+05:30"
    assert parse_utc_offset("Z") == "+00:00"
    for wrong in ("EST", "-25:00", "5"):
        with pytest.raises(ExportError):
            parse_utc_offset(wrong)


def test_bad_coordinates_and_foreign_folders_are_refused(tmp_path):
    results = classified_card(tmp_path)
    with ResultsDB(results.db_path) as db:
        with pytest.raises(ExportError):
            bad = CamtrapOptions(utc_offset="-05:00", latitude=95, longitude=0)
            export_camtrapdp(db, find_card(), tmp_path / "p", bad)
        with pytest.raises(ExportError, match="not an earlier export"):
            export_camtrapdp(db, find_card(), results.source, OPTIONS)
    assert not (tmp_path / "p").exists()

"""Events from a real run: bursts grouped by camera and time, videos alone, in the exports."""

import csv
import json
from dataclasses import replace

import frictionless

from engine.events.camera import camera_key
from engine.events.grouping import group_events
from engine.models.store import find_card
from engine.results.db import ResultsDB
from engine.results.events_store import EventsStore
from engine.results.export_camtrapdp import SCHEMAS_DIR, CamtrapOptions, export_camtrapdp
from engine.results.export_csv import export_csv
from tests.engine.events.trap_run import SERENGETI, SINGLE, VIDEO, WELLINGTON


def _events_by_file(traps):
    with EventsStore(traps.db_path) as store:
        return {rel: event.event_id for rel, (event, _s) in store.event_of_files().items()}


def test_serengeti_bursts_are_grouped_by_their_exif_times(traps):
    events = _events_by_file(traps)
    burst = lambda name: events[f"{SERENGETI}/S1_D04_R6_{name}.JPG"]  # noqa: E731
    assert burst("PICT0020") == burst("PICT0021")  # same second
    assert burst("PICT0129") == burst("PICT0130")  # one second apart
    assert len({burst("PICT0020"), burst("PICT0129"), burst("PICT0221")}) == 3  # days apart


def test_the_gap_is_a_setting(traps):
    with EventsStore(traps.db_path) as store:
        photos = [p for p in store.photos() if p.rel_path.startswith(SERENGETI)]
    assert len(group_events(photos, gap_s=60)) == 3
    assert len(group_events(photos, gap_s=0.5)) == 4  # 0129 and 0130 are 1 s apart
    assert len(group_events(photos, gap_s=10 * 86400)) == 1


def test_a_video_and_photos_without_a_time_are_events_of_their_own(traps):
    events = _events_by_file(traps)
    assert list(events.values()).count(events[VIDEO]) == 1
    wellington = [event for rel, event in events.items() if rel.startswith(WELLINGTON)]
    assert len(wellington) == len(set(wellington)) == 12


def test_the_camera_is_its_serial_else_make_model_and_folder(traps):
    with EventsStore(traps.db_path) as store:
        photos = {p.rel_path: p for p in store.photos()}
    single = photos[SINGLE]
    assert camera_key(single) == f"|{single.camera_model or ''}|camera_traps/speciesnet_test_data"
    assert camera_key(replace(single, camera_serial=" P900 ")) == "serial:P900"


def test_the_csv_carries_the_event_of_every_file(traps, tmp_path):
    with ResultsDB(traps.db_path) as db:
        export_csv(db, find_card(), tmp_path / "results.csv")
    with (tmp_path / "results.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows = {row["file"]: row for row in csv.DictReader(handle)}
    events = _events_by_file(traps)
    assert {rel: row["event_id"] for rel, row in rows.items()} == events
    burst = rows[f"{SERENGETI}/S1_D04_R6_PICT0129.JPG"]
    assert (burst["event_start"], burst["event_end"]) == (
        "2010-08-23T11:20:43",
        "2010-08-23T11:20:44",
    )
    assert all(
        row["event_label"] in ("empty", "animal", "person", "vehicle") for row in rows.values()
    )


def validate_tables(folder):
    """Every table against its vendored Camtrap DP 1.0 Table Schema, foreign keys included."""
    descriptor = json.loads((folder / "datapackage.json").read_text("utf-8"))
    descriptor.pop("profile")
    for resource in descriptor["resources"]:
        schema = SCHEMAS_DIR / f"{resource['name']}-table-schema.json"
        resource["schema"] = json.loads(schema.read_text("utf-8"))
    return frictionless.Package(descriptor, basepath=str(folder)).validate()


def test_camtrap_dp_gets_event_ids_and_event_observations(traps, tmp_path):
    options = CamtrapOptions("-05:00", 8.93, -79.56, event_observations=True)
    with ResultsDB(traps.db_path) as db:
        package = export_camtrapdp(db, find_card(), tmp_path / "dp", options)
    report = validate_tables(package.path)
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    with (package.path / "observations.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    media_level = [row for row in rows if row["observationLevel"] == "media"]
    event_level = [row for row in rows if row["observationLevel"] == "event"]
    assert all(row["eventID"] for row in media_level)
    assert {row["eventID"] for row in event_level} == {row["eventID"] for row in media_level}
    burst = next(row for row in event_level if row["eventStart"].startswith("2010-08-23"))
    assert (burst["eventStart"], burst["eventEnd"]) == (
        "2010-08-23T11:20:43-05:00",
        "2010-08-23T11:20:44-05:00",
    )
    assert json.loads((package.path / "datapackage.json").read_text("utf-8"))["resources"]


def test_the_xlsx_files_sheet_carries_the_events(traps, tmp_path):
    from openpyxl import load_workbook

    from engine.results.export_xlsx import export_xlsx

    with ResultsDB(traps.db_path) as db:
        export_xlsx(db, find_card(), tmp_path / "r.xlsx")
    sheet = load_workbook(tmp_path / "r.xlsx", read_only=True)["Files"]
    header, *rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    file_column, event_column = header.index("File"), header.index("Event")
    assert header.index("Answer smoothed over the event") > event_column
    assert {row[file_column]: row[event_column] for row in rows} == _events_by_file(traps)

"""Camtrap DP 1.0 export: the exchange format biologists load into GBIF, Agouti, camtraptor.

The package (`datapackage.json`, `deployments.csv`, `media.csv`, `observations.csv`) is written
into its own folder, whole or not at all. Choices, where the standard leaves them to us:
- a deployment per top-level folder of the source (a card's folders are usually one camera or
  one visit each), or one for the whole source; files at the source's top level belong to a
  deployment named after the source folder. Its start/end are its first/last photo's time.
- trap EXIF clocks have no time zone: every timestamp is the EXIF time plus the UTC offset the
  user confirms (`utc_offset`, e.g. "-05:00"); a video's time is the one its container holds
  (`engine.media.video_time`). Every classified file is exported: one without a time gets the
  fallback the user confirms (`missing_time`: the file's modification time, or its
  deployment's first time), its deployment `timestampIssues: true` and a media comment saying
  so. Files that could not be read are set aside and counted in the report.
- the package is validated against the official Camtrap DP 1.0.2 profile and Table Schemas
  before it is kept (`camtrapdp_validate`); an invalid one is not left on disk.
- the profile requires coordinates: the user gives them (one place for the whole card, or per
  deployment in `locations`); there is no placeholder value in the standard.
- events (engine.events): every media-level observation carries its `eventID`; with
  `event_observations` each event also gets an event-level observation (its answer smoothed
  over the event, from its first to its last photo).
- one media-level observation per file: its type from the group of the best label (background
  → blank, people → human, vehicles → vehicle, any other group → animal); a person's review
  replaces the machine's verdict there (`classificationMethod` human, `classifiedBy`
  "reviewer") while the machine's label stays in `observationTags`. `scientificName` only where
  the caller knows it (`scientific_names`, label → name): ImageNet labels are not taxa.
- when a detector ran: one observation per box at or above `threshold` (default: the
  detector's typical one), with its bbox and the scientific name from the classifier's
  taxonomy (engine.results.camtrapdp_boxes); a photo without such a box is blank.
"""

import csv
import hashlib
import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path, PurePosixPath

from engine.events.columns import events_by_file
from engine.i18n import _, fmt_number
from engine.models.card import ModelCard
from engine.results.atomic import ExportError, replacing_folder
from engine.results.boxes import run_models
from engine.results.camtrapdp_boxes import box_observations
from engine.results.camtrapdp_package import (
    SAMPLING_DESIGNS,
    Deployment,
    package_descriptor,
)
from engine.results.camtrapdp_validate import package_problems
from engine.results.db import ResultsDB
from engine.results.rows import FileRow

SCHEMAS_DIR = Path(__file__).with_name("camtrapdp")
MISSING_TIME = ("file", "deployment")  # the fallbacks a user may confirm for an undated file
_OFFSET = re.compile(r"^([+-])(\d{1,2}):?(\d{2})$")
_OBSERVATION_TYPES = {"background": "blank", "people": "human", "vehicles": "vehicle"}
_EVENT_TYPES = {"empty": "blank", "animal": "animal", "person": "human", "vehicle": "vehicle"}
_MEDIATYPES = {
    "jpeg": "image/jpeg", "png": "image/png", "tiff": "image/tiff", "bmp": "image/bmp",
    "webp": "image/webp", "gif": "image/gif", "heic": "image/heic", "avif": "image/avif",
    "avi": "video/x-msvideo", "mp4": "video/mp4", "mov": "video/quicktime",
    "mkv": "video/x-matroska", "webm": "video/webm", "wmv": "video/x-ms-wmv",
    "mpeg": "video/mpeg",
}  # fmt: skip


@dataclass(frozen=True)
class CamtrapOptions:
    """What the user must confirm (offset, place) and may add (project, names)."""

    utc_offset: str
    latitude: float
    longitude: float
    by_folder: bool = True
    locations: Mapping[str, tuple[float, float]] = field(default_factory=dict)
    coordinate_uncertainty: int | None = None
    project_title: str | None = None
    contributor: str | None = None
    sampling_design: str = "opportunistic"
    scientific_names: Mapping[str, str] = field(default_factory=dict)
    threshold: float | None = None  # boxes: the detector's typical threshold when None
    missing_time: str = "file"  # for a file without a time: "file" (its date) or "deployment"
    event_observations: bool = False  # add one event-level observation per event


@dataclass(frozen=True)
class CamtrapReport:
    path: Path
    deployments: int
    media: int
    observations: int
    left_out: int  # files that could not be read (no picture, no label)
    time_fallbacks: int = 0  # files without a time, dated by the fallback chosen


def parse_utc_offset(text: str) -> str:
    """Normalise "-5:00", "-0500" to "-05:00" ("Z" to "+00:00"); refuse anything else."""
    cleaned = text.strip().upper()
    if cleaned in ("Z", "UTC"):
        return "+00:00"
    match = _OFFSET.match(cleaned)
    if not match or int(match[2]) > 14 or int(match[3]) >= 60:
        raise ExportError(
            _("{offset} is not a UTC offset; write it like -05:00 or +01:00.").format(offset=text)
        )
    return f"{match[1]}{int(match[2]):02d}:{match[3]}"


def check_coordinates(latitude: float, longitude: float) -> None:
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        raise ExportError(
            _("Latitude must be between -90 and 90 and longitude between -180 and 180.")
        )


def field_names(table: str) -> list[str]:
    """Column order of a Camtrap DP table, from the vendored 1.0 Table Schema."""
    schema = json.loads((SCHEMAS_DIR / f"{table}-table-schema.json").read_text("utf-8"))
    return [item["name"] for item in schema["fields"]]


def _short_id(prefix: str, rel_path: str) -> str:
    return prefix + hashlib.sha1(rel_path.encode("utf-8")).hexdigest()[:16]


def deployment_of(rel_path: str, by_folder: bool, root_name: str) -> str:
    parts = PurePosixPath(rel_path).parts
    return parts[0] if by_folder and len(parts) > 1 else root_name


def observation_type(group: str, card: ModelCard) -> str:
    if group in _OBSERVATION_TYPES:
        return _OBSERVATION_TYPES[group]
    return "animal" if group in card.groups else "unknown"


class _Writer:
    """Streams media and observations rows while gathering the (few) deployments."""

    def __init__(self, db: ResultsDB, card: ModelCard, options: CamtrapOptions) -> None:
        run = db.latest_run() or {}
        self.card = card
        self.options = options
        self.root = Path(str(run.get("source") or "source")).name or "source"
        self.classified_by = f"{card.id} ({run.get('variant', '')})"
        self.machine_time = self._stamp(run.get("finished_at") or run.get("started_at"))
        self.deployments: dict[str, Deployment] = {}
        self.scientific_names: set[str] = set()
        self.written = 0
        self.observations = 0
        self.left_out = 0
        self.db = db
        self.models = run_models(db, card)
        typical = self.models.typical
        self.threshold = typical if options.threshold is None else options.threshold
        self.fallbacks = 0
        self.file_times: dict[str, int | None] = {}  # rel_path -> mtime_ns, for the fallback
        self.first_times: dict[str, str] = {}  # deployment -> its first known time
        self.events = events_by_file(db.path)
        self.event_deployments: dict[str, str] = {}
        self.event_times: dict[str, tuple[str, str]] = {}  # event -> its media's first, last

    def prepare(self, db: ResultsDB) -> None:
        """What the fallback for a file without a time needs, read before streaming."""
        self.file_times = {rel: mtime for rel, (_size, mtime) in db.done_files().items()}
        for row in db.iter_files():
            if row.status == "ok" and row.taken_at and row.predictions:
                dep_id = deployment_of(row.rel_path, self.options.by_folder, self.root)
                known = self.first_times.get(dep_id)
                self.first_times[dep_id] = min(known, row.taken_at) if known else row.taken_at

    def _fallback_time(self, row: FileRow, dep_id: str) -> str | None:
        if self.options.missing_time == "deployment" and dep_id in self.first_times:
            return self.first_times[dep_id]
        mtime = self.file_times.get(row.rel_path)
        if mtime is None:
            return None
        return datetime.fromtimestamp(mtime / 1e9).isoformat(timespec="seconds")

    @staticmethod
    def _stamp(utc_iso: object) -> str:
        return str(utc_iso).replace("+00:00", "Z") if utc_iso else ""

    def rows(self, files: Iterator[FileRow]) -> Iterator[tuple[dict, list[dict]]]:
        for row in files:
            dep_id = deployment_of(row.rel_path, self.options.by_folder, self.root)
            taken = row.taken_at or self._fallback_time(row, dep_id)
            if row.status != "ok" or not row.predictions or not taken:
                self.left_out += 1
                continue
            timestamp = taken + self.options.utc_offset
            deployment = self.deployments.setdefault(dep_id, Deployment(dep_id))
            deployment.add(timestamp, row.camera_make, row.camera_model, row.camera_serial)
            media = self._media(row, dep_id, timestamp)
            if not row.taken_at:
                self.fallbacks += 1
                deployment.timestamp_issues = True
                media["mediaComments"] = self._fallback_comment()
            self.written += 1
            observations = self._observations(row, dep_id, timestamp)
            self.observations += len(observations)
            yield media, observations

    def _observations(self, row: FileRow, dep_id: str, timestamp: str) -> list[dict[str, object]]:
        whole = self._observation(row, dep_id, timestamp)
        if not self.models.boxes_decide:
            return [whole]
        base = {key: whole[key] for key in ("deploymentID", "mediaID", "eventStart", "eventEnd",
                "eventID", "observationLevel", "classificationMethod", "classifiedBy",
                "classificationTimestamp")}  # fmt: skip
        reviews = self.db.box_reviews(row.rel_path)
        found = box_observations(
            row, reviews, self.models, self.threshold, base, str(whole["observationID"])
        )
        self.scientific_names.update(str(o["scientificName"]) for o in found
                                     if o.get("scientificName"))  # fmt: skip
        return found

    def _fallback_comment(self) -> str:
        if self.options.missing_time == "deployment":
            return "No recorded time: the deployment's first time was used."
        return "No recorded time: the file's modification time was used."

    def _media(self, row: FileRow, dep_id: str, timestamp: str) -> dict[str, object]:
        return {
            "mediaID": _short_id("m", row.rel_path),
            "deploymentID": dep_id,
            "timestamp": timestamp,
            "filePath": row.rel_path,
            "filePublic": "false",
            "fileName": PurePosixPath(row.rel_path).name,
            "fileMediatype": _MEDIATYPES.get(row.format or "", f"{row.kind}/{row.format}"),
        }

    def _observation(self, row: FileRow, dep_id: str, timestamp: str) -> dict[str, object]:
        _index, label, group, score = row.predictions[0]
        values: dict[str, object] = {
            "observationID": _short_id("o", row.rel_path),
            "deploymentID": dep_id,
            "mediaID": _short_id("m", row.rel_path),
            "eventStart": timestamp,
            "eventEnd": timestamp,
            "eventID": self._event_id(row.rel_path, dep_id, timestamp),
            "observationLevel": "media",
            "classificationMethod": "machine",
            "classifiedBy": self.classified_by,
            "classificationTimestamp": self.machine_time,
            "classificationProbability": f"{score:.4f}",
            "observationTags": f"machineLabel:{label}|machineGroup:{group}",
        }
        if row.review is not None:
            label, group = row.review.label, row.review.group
            values.update(
                classificationMethod="human",
                classifiedBy="reviewer",
                classificationTimestamp=self._stamp(row.review.created_at),
                classificationProbability="",
            )
        values["observationType"] = observation_type(group, self.card)
        scientific = self.options.scientific_names.get(label, "")
        if values["observationType"] == "animal" and scientific:
            values["scientificName"] = scientific
            self.scientific_names.add(scientific)
        return values

    def _event_id(self, rel_path: str, dep_id: str, timestamp: str) -> str:
        if rel_path not in self.events:
            return ""
        event_id = self.events[rel_path][0].event_id
        self.event_deployments.setdefault(event_id, dep_id)
        first, last = self.event_times.get(event_id, (timestamp, timestamp))
        self.event_times[event_id] = (min(first, timestamp), max(last, timestamp))
        return event_id

    def event_rows(self) -> Iterator[dict[str, object]]:
        """One event-level observation per event written: its smoothed answer, start to end."""
        seen = {info.event_id: info for info, _smoothed in self.events.values()}
        for event_id, dep_id in self.event_deployments.items():
            event = seen[event_id]
            offset = self.options.utc_offset
            start, end = (  # an undated event spans what its media were dated by (a fallback)
                (event.start + offset, (event.end or event.start) + offset)
                if event.start
                else self.event_times[event_id]
            )
            yield {
                "observationID": _short_id("e", event_id),
                "deploymentID": dep_id,
                "eventID": event_id,
                "eventStart": start,
                "eventEnd": end,
                "observationLevel": "event",
                "observationType": _EVENT_TYPES[event.label],
                "classificationMethod": "machine",
                "classifiedBy": self.classified_by,
                "classificationTimestamp": self.machine_time,
                "classificationProbability": f"{event.conf:.4f}",
                "observationTags": "smoothedOverEvent:true",
            }


def _write_csv(path: Path, table: str, rows: Iterator[dict[str, object]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=field_names(table), restval="")
        writer.writeheader()
        writer.writerows(rows)


def check_options(options: CamtrapOptions) -> None:
    """Refuse, before writing anything, what the profile would reject."""
    parse_utc_offset(options.utc_offset)
    for lat, lon in [(options.latitude, options.longitude), *options.locations.values()]:
        check_coordinates(lat, lon)
    if options.missing_time not in MISSING_TIME:
        raise ExportError(
            _("Unknown choice {name} for files without a time; use one of: {names}.").format(
                name=options.missing_time, names=", ".join(MISSING_TIME)
            )
        )
    if options.sampling_design not in SAMPLING_DESIGNS:
        raise ExportError(
            _("Unknown sampling design {name}; use one of: {names}.").format(
                name=options.sampling_design, names=", ".join(SAMPLING_DESIGNS)
            )
        )


def _write_media_and_observations(folder: Path, writer: _Writer, files: Iterator[FileRow]) -> None:
    with (
        (folder / "media.csv").open("w", encoding="utf-8", newline="") as media_file,
        (folder / "observations.csv").open("w", encoding="utf-8", newline="") as obs_file,
    ):
        media = csv.DictWriter(media_file, fieldnames=field_names("media"), restval="")
        observations = csv.DictWriter(obs_file, fieldnames=field_names("observations"), restval="")
        media.writeheader()
        observations.writeheader()
        for media_row, observation_rows in writer.rows(files):
            media.writerow(media_row)
            observations.writerows(observation_rows)
        if writer.options.event_observations:
            observations.writerows(writer.event_rows())


def export_camtrapdp(
    db: ResultsDB, card: ModelCard, path: Path, options: CamtrapOptions
) -> CamtrapReport:
    """Write the package into the folder `path` (replacing an earlier export there)."""
    check_options(options)
    options = replace(options, utc_offset=parse_utc_offset(options.utc_offset))
    writer = _Writer(db, card, options)
    writer.prepare(db)
    with replacing_folder(path, "datapackage.json") as folder:
        _write_media_and_observations(folder, writer, db.iter_files())
        deployments = list(writer.deployments.values())
        if not deployments:
            raise ExportError(_("No classified photo has a date and time; Camtrap DP needs them."))
        default = (options.latitude, options.longitude)
        places = {d.id: options.locations.get(d.id, default) for d in deployments}
        rows = (d.row(*places[d.id], options.coordinate_uncertainty) for d in deployments)
        _write_csv(folder / "deployments.csv", "deployments", rows)
        descriptor = package_descriptor(
            card, options, deployments, places, writer.root, writer.scientific_names
        )
        (folder / "datapackage.json").write_text(
            json.dumps(descriptor, indent=2, ensure_ascii=False), encoding="utf-8"
        )
        problems = package_problems(folder)
        if problems:  # raised inside: the folder is discarded, an earlier export stays
            raise ExportError(
                _("The package does not follow Camtrap DP 1.0.2, so it was not kept: {problems}")
                .format(problems="; ".join(problems))
            )  # fmt: skip
    return CamtrapReport(
        path, len(deployments), writer.written, writer.observations, writer.left_out,
        writer.fallbacks,
    )  # fmt: skip


def report_text(report: CamtrapReport, options: CamtrapOptions) -> str:
    """Every file accounted for, in words: exported, dated by a fallback, set aside."""
    parts = [
        _("Camtrap DP: {media} photos and videos in {deployments} deployments, in {path}.").format(
            media=fmt_number(report.media),
            deployments=fmt_number(report.deployments),
            path=report.path,
        )
    ]
    if report.time_fallbacks:
        how = (
            _("their deployment's first time")
            if options.missing_time == "deployment"
            else _("the file's date")
        )
        parts.append(
            _(
                "{count} had no recorded time and were dated by {how}; their deployments are "
                "marked timestampIssues."
            ).format(count=fmt_number(report.time_fallbacks), how=how)
        )
    if report.left_out:
        parts.append(
            _("{count} files that could not be read were set aside.").format(
                count=fmt_number(report.left_out)
            )
        )
    return " ".join(parts)

"""The Camtrap DP 1.0 `datapackage.json` and deployments, apart from the row streaming.

Metadata the profile requires but a classifier cannot know (project, contributors) gets
honest defaults the biologist edits: the project is titled after the source folder, its
sampling design "opportunistic" unless told, the contributor "Ocelote" unless named.
"""

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import engine
from engine.models.card import ModelCard
from engine.results.db import utc_now

if TYPE_CHECKING:
    from engine.results.export_camtrapdp import CamtrapOptions

PROFILE_URL = "https://raw.githubusercontent.com/tdwg/camtrap-dp/1.0/camtrap-dp-profile.json"
SCHEMA_URL = "https://raw.githubusercontent.com/tdwg/camtrap-dp/1.0/{table}-table-schema.json"
TABLES = ("deployments", "media", "observations")
SAMPLING_DESIGNS = (
    "simpleRandom", "systematicRandom", "clusteredRandom", "experimental", "targeted",
    "opportunistic",
)  # fmt: skip


@dataclass
class Deployment:
    """One camera's stay, as far as the photos tell: first and last time, which camera."""

    id: str
    start: str = ""
    end: str = ""
    camera_id: str = ""
    camera_model: str = ""

    def add(self, timestamp: str, make: str | None, model: str | None, serial: str | None) -> None:
        """Timestamps share one offset, so comparing the strings orders them in time."""
        self.start = min(self.start, timestamp) if self.start else timestamp
        self.end = max(self.end, timestamp)
        self.camera_id = self.camera_id or serial or ""
        if not self.camera_model and (make or model):
            self.camera_model = "-".join(part for part in (make, model) if part)

    def row(self, latitude: float, longitude: float, uncertainty: int | None) -> dict[str, object]:
        return {
            "deploymentID": self.id,
            "locationName": self.id,
            "latitude": latitude,
            "longitude": longitude,
            "coordinateUncertainty": uncertainty if uncertainty is not None else "",
            "deploymentStart": self.start,
            "deploymentEnd": self.end,
            "cameraID": self.camera_id,
            "cameraModel": self.camera_model,
            "deploymentComments": f"Photos of the folder '{self.id}', dated by their EXIF clock.",
        }


def _spatial(places: Mapping[str, tuple[float, float]]) -> dict[str, object]:
    """GeoJSON of the deployments: a point for one place, else their bounding box."""
    lats = [lat for lat, _lon in places.values()]
    lons = [lon for _lat, lon in places.values()]
    if len(set(places.values())) == 1:
        return {"type": "Point", "coordinates": [lons[0], lats[0]]}
    west, east, south, north = min(lons), max(lons), min(lats), max(lats)
    ring = [[west, south], [east, south], [east, north], [west, north], [west, south]]
    return {"type": "Polygon", "coordinates": [ring]}


def _taxonomic(card: ModelCard, names: Mapping[str, str], used: set[str]) -> list[dict]:
    by_key = {label.en: label for label in card.labels}
    known = {label.en: label.taxonomy.scientific_name for label in card.labels
             if label.taxonomy.scientific_name}  # fmt: skip
    taxa = []
    for key, scientific in sorted({**known, **names}.items()):
        if scientific not in used:
            continue
        entry: dict[str, object] = {"scientificName": scientific}
        if key in by_key:
            entry["vernacularNames"] = {"eng": by_key[key].en, "spa": by_key[key].es}
        taxa.append(entry)
        used.discard(scientific)
    taxa += [{"scientificName": name} for name in sorted(used)]  # rolled up: a genus, family…
    return taxa


def package_name(text: str) -> str:
    """A Data Package `name`: lowercase letters, digits and `-._/` only."""
    return re.sub(r"[^a-z0-9._-]+", "-", text.lower()).strip("-") or "ocelote-export"


def package_descriptor(
    card: ModelCard,
    options: "CamtrapOptions",
    deployments: Sequence[Deployment],
    places: Mapping[str, tuple[float, float]],
    root: str,
    used_names: set[str],
) -> dict[str, object]:
    title = options.project_title or root
    return {
        "name": package_name(title),
        "title": title,
        "description": (
            f"Classified offline by Ocelote with {card.name}. Timestamps are the cameras' EXIF "
            f"clocks taken as UTC{options.utc_offset}, as confirmed by the user."
        ),
        "profile": PROFILE_URL,
        "created": utc_now().replace("+00:00", "Z"),
        "contributors": [{"title": options.contributor or "Ocelote", "role": "contributor"}],
        "sources": [{"title": "Ocelote", "version": engine.__version__}],
        "project": {
            "title": title,
            "samplingDesign": options.sampling_design,
            "captureMethod": ["activityDetection"],
            "individualAnimals": False,
            "observationLevel": ["media"],
        },
        "spatial": _spatial(places),
        "temporal": {
            "start": min(d.start for d in deployments)[:10],
            "end": max(d.end for d in deployments)[:10],
        },
        "taxonomic": _taxonomic(card, options.scientific_names, set(used_names)),
        "resources": [
            {
                "name": table,
                "path": f"{table}.csv",
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": SCHEMA_URL.format(table=table),
            }
            for table in TABLES
        ],
    }

"""Country filter for classifiers that know where their species live (SpeciesNet's geofence).

A card may name `geofence_file`: a CSV `index,countries` where `countries` lists the ISO 3166-1
alpha-3 codes a label occurs in, separated by spaces (blank: anywhere). With a country set
(Colombia: COL), labels that do not occur there get probability 0 and the rest are
renormalised, so "ocelot" is not pushed aside by an African cat.
"""

import csv
import re

import numpy as np

from engine.models.card import ModelCard

_ISO3 = re.compile(r"^[A-Z]{3}$")


class CountryError(ValueError):
    """A country code that is not three letters (ISO 3166-1 alpha-3, e.g. COL)."""


def normalise_country(code: str | None) -> str | None:
    """'col' -> 'COL'; None or '' -> None; anything else raises CountryError."""
    if not code:
        return None
    upper = code.strip().upper()
    if not _ISO3.match(upper):
        raise CountryError(code)
    return upper


def knows_countries(card: ModelCard) -> bool:
    return bool(card.raw.get("geofence_file"))


def allowed_mask(card: ModelCard, country: str | None) -> np.ndarray | None:
    """Per label, whether it may be given in `country`; None when no filter applies."""
    if country is None or not knows_countries(card):
        return None
    mask = np.ones(len(card.labels), dtype=bool)
    path = card.folder / card.raw["geofence_file"]
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            codes = (row.get("countries") or "").split()
            if codes:
                mask[int(row["index"])] = country in codes
    return mask


def apply_mask(probs: np.ndarray, mask: np.ndarray | None) -> np.ndarray:
    """Rows of probabilities with disallowed labels at 0, renormalised (unchanged if none left)."""
    if mask is None:
        return probs
    kept = probs * mask
    totals = kept.sum(axis=1, keepdims=True)
    return np.where(totals > 0, kept / np.where(totals > 0, totals, 1), probs)

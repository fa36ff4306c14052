"""The second stage's pieces: crops as the card says, the country filter, the rollup to a
broader taxon, and reduced decoding for the detector."""

import numpy as np
import pytest

from engine.detection.country import CountryError, allowed_mask, apply_mask, normalise_country
from engine.detection.crops import CropSpec, crop_pixels
from engine.detection.rollup import identify
from engine.detection.runtime import DetectorRuntime
from engine.detection.stage import decode_for_detector
from engine.media.decode import decode_upright
from engine.models.card import load_card
from tests.engine.detection.standin_packs import PACKS, SPECIES, make_species_classifier, scene

BOX = (0.25, 0.5, 0.5, 0.25)


def test_exact_crop_is_the_box_and_a_margin_widens_it_inside_the_photo():
    assert crop_pixels(BOX, 400, 200, CropSpec("exact")) == (100, 100, 300, 150)
    assert crop_pixels(BOX, 400, 200, CropSpec("margin", 0.1)) == (80, 95, 320, 155)
    assert crop_pixels((0.9, 0.9, 0.5, 0.5), 100, 100, CropSpec("margin", 0.5)) == (
        65,
        65,
        100,
        100,
    )
    assert crop_pixels((0.5, 0.5, 0.0, 0.0), 100, 100, CropSpec("exact")) == (50, 50, 51, 51)


@pytest.fixture
def species(tmp_path):
    return load_card(make_species_classifier(tmp_path / "tiny"))


def test_country_codes_are_three_letters():
    assert normalise_country(" col ") == "COL" and normalise_country("") is None
    with pytest.raises(CountryError):
        normalise_country("Colombia")


def test_country_filter_zeroes_species_that_do_not_live_there(species):
    mask = allowed_mask(species, "COL")
    names = [row[0] for row in SPECIES]
    assert [names[i] for i in np.flatnonzero(~mask)] == ["lion"]  # puma: no list, anywhere
    probs = np.array([[0.2, 0.1, 0.1, 0.1, 0.0, 0.5]])
    filtered = apply_mask(probs, mask)
    assert filtered[0, 5] == 0 and filtered.sum() == pytest.approx(1.0)
    assert filtered[0, 0] == pytest.approx(0.4)
    assert allowed_mask(species, None) is None
    assert apply_mask(probs, allowed_mask(species, "NZL"))[0, 5] == 0  # nothing but the puma
    assert allowed_mask(load_card(PACKS / "standin-det-e2e"), "COL") is None  # no geofence


def top(*pairs):
    return tuple((index, SPECIES[index][0], SPECIES[index][2], score) for index, score in pairs)


def test_rollup_to_genus_family_or_animal(species):
    sure = identify(top((0, 0.7), (1, 0.2)), species)
    assert (sure.label, sure.rank, sure.scientific_name) == (
        "ocelot",
        "label",
        "Leopardus pardalis",
    )
    genus = identify(top((0, 0.4), (1, 0.3), (2, 0.2)), species)  # two Leopardus: 0.7
    assert (genus.label, genus.rank, genus.score) == ("Leopardus", "genus", pytest.approx(0.7))
    assert genus.taxonomy.family == "felidae" and genus.taxonomy.species == ""
    family = identify(top((0, 0.3), (2, 0.25), (3, 0.2)), species)
    assert (family.label, family.rank) == ("Felidae", "family")
    order = identify(top((0, 0.3), (4, 0.3), (3, 0.1)), species)  # a cat and a rodent
    assert (order.label, order.rank) == ("Mammalia", "class")
    vague = identify(top((0, 0.3), (4, 0.3)), species, threshold=0.9)
    assert (vague.label, vague.rank) == ("animal", "animal")
    assert identify((), species) is None


def test_reduced_decoding_keeps_the_long_side_and_the_boxes(tmp_path):
    path = tmp_path / "big.jpg"
    truth = scene(path, (4000, 3000), {"animal": (2000, 500, 2500, 1500)})
    photo = decode_upright(path, 1280)
    assert photo.rgb.shape == (1500, 2000, 3)  # JPEG draft at 1/2: still >= 1280 on the long side
    assert (photo.width, photo.height) == (4000, 3000)
    card = load_card(PACKS / "standin-det-yolov5")
    runtime = DetectorRuntime(card, card.variant("fp32"))
    decoded = decode_for_detector(path, runtime.spec, 1280)
    (animal, *_rest) = runtime.detect([decoded.tensor], [decoded.placement])[0]
    assert animal.box == pytest.approx(truth["animal"], abs=0.003)

"""Which detector a job runs: the one asked for, else the installed one that suits this PC.

`--detector none` (or no detector installed) keeps the bundled whole-frame path. Among several
installed detectors the plan picks by the PC (engine.detection.plan): with a GPU that detectors
can use (CUDA, DirectML) the most accurate (MDv5a/redwood class), on the CPU the fastest
(MegaDetector's own speed table: a 640 px model runs 2-13x faster than the 1280 px ones).
"""

from engine.detection.plan import from_card, plan_detectors, relative_speed
from engine.hardware.device import DeviceProfile
from engine.i18n import _
from engine.models.card import ModelCard
from engine.models.store import all_cards, find_card

NONE = "none"


class DetectorChoiceError(Exception):
    """The detector asked for is not installed or is not a detector (message for the user)."""


def installed_detectors() -> list[ModelCard]:
    return [card for card in all_cards() if card.kind == "detector"]


def installed_classifiers() -> list[ModelCard]:
    return [card for card in all_cards() if card.kind == "classifier"]


def pick_detector(requested: str | None, profile: DeviceProfile | None = None) -> ModelCard | None:
    """The detector card to run, or None for the whole-frame path."""
    if requested == NONE:
        return None
    if requested:
        try:
            card = find_card(requested)
        except KeyError:
            raise DetectorChoiceError(
                _("The detector {model} is not installed.").format(model=requested)
            ) from None
        if card.kind != "detector":
            raise DetectorChoiceError(
                _("{model} is not a detector; it labels whole photos.").format(model=requested)
            )
        return card
    found = installed_detectors()
    if not found:
        return None
    if profile is None:
        return sorted(found, key=lambda card: (-relative_speed(card), card.id))[0]
    best = plan_detectors([from_card(card) for card in found], profile)[0].card
    return next(card for card in found if card.id == best.id)

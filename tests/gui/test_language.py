"""The language switches at run time: every page rebuilds its texts from the catalog."""

from PySide6.QtWidgets import QDialog

from engine import i18n
from engine.i18n import _
from engine.models.store import find_card
from gui.settings import Settings
from tests.gui.gui_helpers import SAMPLES, run_folder


def test_switching_to_spanish_rebuilds_the_visible_texts(qtbot, window):
    page = window.classify_page
    assert page.drop_zone.title.text() == "Drop a folder of photos or videos here"
    window.set_language("es")
    assert i18n.language() == "es"
    # Texts equal the Spanish catalog's (the lead adds translations; until then msgid = text).
    assert page.drop_zone.title.text() == _("Drop a folder of photos or videos here")
    assert window.tabs.tabText(0) == _("Classify")
    assert window.windowTitle() == _("Ocelote — camera-trap classifier")
    # Model names come from the card in both languages, so Spanish is on screen already.
    card = find_card()
    spanish_groups = {card.groups[g].es for g in card.groups}
    assert spanish_groups <= set(page.filters.group_names())
    window.set_language("en")
    assert {card.groups[g].en for g in card.groups} <= set(page.filters.group_names())


def test_gallery_labels_follow_the_language(qtbot, window):
    run_folder(qtbot, window, SAMPLES)
    card = find_card()
    model = window.model
    item = model.items()[0]
    window.set_language("es")
    assert card.label_text(item.class_index, "es") in model.index(0).data()
    window.set_language("en")
    assert card.label_text(item.class_index, "en") in model.index(0).data()


def test_settings_dialog_remembers_choices_and_switches_language(qtbot, window, monkeypatch):
    monkeypatch.setattr(
        QDialog,
        "exec",
        lambda dialog: (
            dialog.language.setCurrentIndex(dialog.language.findData("es")),
            dialog.threads.setValue(1),
            dialog.accept(),
            1,
        )[-1],
    )
    window.edit_settings()
    assert i18n.language() == "es"
    again = Settings()
    assert (again.language, again.threads) == ("es", 1)
    assert window.classify_page.cancel_button.text() == _("Cancel")

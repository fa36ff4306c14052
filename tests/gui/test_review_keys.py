"""Review with the keyboard, the rough edges: Enter takes the single suggestion, Escape and the
arrows give the list back, a corrected tile shows no percentage of another label, and the
last message follows a language switch."""

from PySide6.QtCore import Qt

from engine.models.store import find_card
from tests.gui.gui_helpers import SAMPLES, run_folder


def review_page(qtbot, window):
    run_folder(qtbot, window, SAMPLES)
    window.tabs.setCurrentIndex(1)
    page = window.review_page
    page.list.setFocus()
    page.list.setCurrentIndex(page.proxy.index(0, 0))
    return page


def test_enter_takes_the_single_suggestion_and_the_tile_drops_the_old_percentage(qtbot, window):
    page = review_page(qtbot, window)
    first = page.current_item()
    gazelle = next(label.index for label in find_card().labels if label.en == "gazelle")
    assert first.predictions[0][0] != gazelle
    qtbot.keyClicks(page.list, "g")
    qtbot.keyClicks(page.editor, "azel")  # the completer shows one name: "gazelle"
    qtbot.keyClick(page.editor, Qt.Key.Key_Return)
    corrected = next(i for i in window.model.items() if i.rel_path == first.rel_path)
    assert corrected.review is not None and corrected.review.class_index == gazelle
    caption = window.model.caption(corrected)
    assert caption.startswith("✔ gazelle")
    assert "%" not in caption and "corrected" in caption


def test_escape_and_arrows_give_the_list_back(qtbot, window):
    page = review_page(qtbot, window)
    qtbot.keyClicks(page.list, "q")
    qtbot.keyClicks(page.editor, "qqq")
    qtbot.keyClick(page.editor, Qt.Key.Key_Down)  # still moves through the list
    assert page.list.currentIndex().row() == 1
    qtbot.keyClick(page.editor, Qt.Key.Key_Up)
    assert page.list.currentIndex().row() == 0
    qtbot.keyClick(page.editor, Qt.Key.Key_Escape)
    assert page.editor.text() == ""


def test_the_last_message_follows_the_language(qtbot, window):
    page = review_page(qtbot, window)
    qtbot.keyClick(page.list, Qt.Key.Key_Return)
    assert page.message.text().startswith("Saved: ")
    window.set_language("es")
    assert page.message.text().startswith("Guardado: ")


def test_the_group_chart_follows_corrections(qtbot, window):
    page = review_page(qtbot, window)
    card = find_card()
    jaguar = next(label for label in card.labels if label.en == "jaguar")
    felines = card.group_text(jaguar.group, "en")
    item = next(i for i in window.model.items() if i.ok and i.group != jaguar.group)
    page._select(item.rel_path)

    def felines_count() -> int:
        return dict(window.classify_page.chart.rows()).get(felines, 0)

    before = felines_count()
    page.editor.setText("jaguar")
    qtbot.keyClick(page.editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: felines_count() == before + 1, timeout=5000)

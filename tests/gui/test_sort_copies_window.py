"""Sort copies from the window: folders named in the user's language, every file accounted for,
and choosing a folder already named "sorted" does not nest another one inside it."""

from pathlib import Path

from engine.bench.copies import link_or_copy
from engine.models.store import find_card
from gui.exports import folder_name, target_in
from tests.gui.gui_helpers import JOB_TIMEOUT_MS, SAMPLES, run_folder


def test_sorted_folders_are_named_in_spanish_and_errors_are_reported(qtbot, window, tmp_path):
    card = tmp_path / "card"
    card.mkdir()
    for image in sorted(SAMPLES.glob("*.jpg"))[:3]:
        link_or_copy(image, card / image.name)
    (card / "broken.jpg").write_text("not a photo", encoding="utf-8")
    run_folder(qtbot, window, card)
    window.set_language("es")
    with qtbot.waitSignal(window.export_finished, timeout=JOB_TIMEOUT_MS) as done:
        window.exports.export("sort", tmp_path / "out" / "sorted")
    report = done.args[0]
    assert (report.copied, report.not_classified) == (3, 1)
    model = find_card()
    spanish = {folder_name(model, group, "es") for group in model.groups}
    assert "Fondo - vacío" in spanish and "Pequeños carnívoros" in spanish
    folders = {p.name for p in (tmp_path / "out" / "sorted").iterdir()}
    assert folders and folders <= spanish
    message = window.statusBar().currentMessage()
    assert "Se copiaron 3 archivos" in message
    assert "1 archivos con errores no se copiaron" in message


def test_choosing_the_sorted_folder_itself_does_not_nest_it(tmp_path):
    assert target_in(tmp_path / "sorted", "sorted") == tmp_path / "sorted"
    assert target_in(tmp_path / "exports", "sorted") == tmp_path / "exports" / "sorted"
    assert target_in(Path("/data/camtrap"), "sorted") == Path("/data/camtrap/sorted")


def test_the_excel_workbook_comes_first_in_the_export_menu(window):
    first = window.export_menu.actions()[0]
    assert first.text().startswith("Excel workbook")

"""Choosing another model in Settings takes effect at once, no restart; Help has a guide;
earlier results are looked for where results go."""

from pathlib import Path

from PySide6.QtWidgets import QDialog, QFileDialog, QMessageBox

from engine.paths import install_root
from gui.guide import GuideDialog
from tests.gui.gui_helpers import JOB_TIMEOUT_MS, SAMPLES, drop_paths, run_folder
from tests.gui.test_model_choice import install_park_model


def choose_in_settings(monkeypatch, model_id: str) -> None:
    def accept_with_model(dialog):  # noqa: ANN001, ANN202
        dialog.model.setCurrentIndex(dialog.model.findData(model_id))
        dialog.accept()
        return 1

    monkeypatch.setattr(QDialog, "exec", accept_with_model)


def test_a_model_chosen_in_settings_classifies_the_next_folder_without_restart(
    qtbot, window, tmp_path, monkeypatch
):
    park = install_park_model(tmp_path)
    run_folder(qtbot, window, SAMPLES)
    told: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda _p, _t, text, *a: told.append(text))
    choose_in_settings(monkeypatch, park.id)
    window.edit_settings()
    assert not told  # no "Restart Ocelote"
    assert window.card.id == window.classify_page.card.id == window.review_page.card.id == park.id
    assert window.model.card.id == window.exports.card.id == park.id
    assert "Park model" in window.classify_page.model_label.text()
    assert window.classify_page.stack.currentIndex() == 0  # the other model's results closed
    qtbot.waitUntil(lambda: window.classify_page.plan is not None, timeout=30000)
    page = window.classify_page
    with (
        qtbot.waitSignal(page.runner.started, timeout=JOB_TIMEOUT_MS) as started,
        qtbot.waitSignal(page.results_ready, timeout=JOB_TIMEOUT_MS),
    ):
        drop_paths(page.drop_zone, [SAMPLES])
    assert started.args[0].model == park.name


def test_help_opens_the_guide_in_the_windows_language(qtbot, window):
    for language, heading in (("en", "Ocelote in five steps"), ("es", "Ocelote en cinco pasos")):
        window.set_language(language)
        window.guide_action.trigger()
        dialog = window.findChildren(GuideDialog)[-1]
        qtbot.addWidget(dialog)
        assert heading in dialog.browser.toPlainText()
        dialog.close()


def test_the_guides_show_screenshots_that_exist():
    for language in ("en", "es"):
        page = install_root() / "docs" / "guide" / language / "index.html"
        html = page.read_text(encoding="utf-8")
        images = [part.split('"', 1)[0] for part in html.split('src="')[1:]]
        assert len(images) == 4
        for image in images:
            assert (page.parent / image).resolve().is_file(), image
            assert f"/{language}-" in image


def test_open_earlier_results_starts_where_results_go(qtbot, window, tmp_path, monkeypatch):
    asked: list[str] = []
    monkeypatch.setattr(
        QFileDialog,
        "getExistingDirectory",
        lambda _parent, _title, folder="", *args: asked.append(folder) or "",
    )
    window.open_results_action.trigger()
    assert asked == [str(tmp_path)]  # results/ does not exist yet: the folder that will hold it
    (tmp_path / "results").mkdir()
    window.open_results_action.trigger()
    assert asked[1] == str(Path(tmp_path / "results"))


def test_a_model_installed_from_train_is_offered_and_used_at_once(
    qtbot, window, tmp_path, monkeypatch
):
    park = install_park_model(tmp_path)
    monkeypatch.setattr(QMessageBox, "question", lambda *args: QMessageBox.StandardButton.Yes)
    window.train_page.installed.emit(park.id)
    assert window.card.id == park.id and window.settings.model_id == park.id


def test_results_are_looked_for_in_documents_ocelote_by_default():
    import platformdirs

    from gui.settings import Settings

    assert Settings().results_home() == Path(platformdirs.user_documents_dir()) / "Ocelote"

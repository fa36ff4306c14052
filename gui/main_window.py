"""The window: two pages (classify, review), menus, language switch, the close-during-run guard."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import QFileDialog, QMainWindow, QMessageBox, QTabWidget, QWidget

from engine.i18n import _
from engine.models.card import ModelCard
from gui import about
from gui.benchmark_page import BenchmarkPage
from gui.classify_page import ClassifyPage
from gui.device import probe
from gui.export_actions import ExportActions
from gui.i18n import apply_language
from gui.jobs import ThumbnailLoader, run_task, wait_all
from gui.models_page import ModelsPage
from gui.optimize_page import OptimizePage
from gui.review_page import ReviewPage
from gui.search_page import SearchPage
from gui.settings import Settings
from gui.settings_dialog import SettingsDialog
from gui.train_page import TrainPage
from gui.widgets.gallery import GalleryModel

log = logging.getLogger(__name__)


class MainWindow(QMainWindow):
    """Owns the shared gallery model; pages receive it so both show the same results."""

    def __init__(self, card: ModelCard, settings: Settings, parent: QWidget | None = None):
        super().__init__(parent)
        self.card, self.settings = card, settings
        self.loader = ThumbnailLoader(self)
        self.model = GalleryModel(card, self.loader, self)
        self.classify_page = ClassifyPage(card, self.model, settings)
        self.review_page = ReviewPage(card, self.model)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.classify_page, "")
        self.tabs.addTab(self.review_page, "")
        self.benchmark_page, self.optimize_page = BenchmarkPage(), OptimizePage()
        self.tabs.addTab(self.benchmark_page, "")
        self.tabs.addTab(self.optimize_page, "")
        self.train_page, self.search_page = TrainPage(), SearchPage()
        self.tabs.addTab(self.train_page, "")
        self.tabs.addTab(self.search_page, "")
        self.models_page = ModelsPage()
        self.tabs.addTab(self.models_page, "")
        self.setCentralWidget(self.tabs)
        self.classify_page.results_ready.connect(self._on_results_ready)
        self.classify_page.runner.finished.connect(self._after_job)
        self.classify_page.starting.connect(self._on_starting)
        self._close_when_stopped = False
        self.resize(1200, 800)
        if not settings.geometry.isEmpty():
            self.restoreGeometry(settings.geometry)
        self._build_menus()
        self.retranslate()

    # --- menus ----------------------------------------------------------------------------
    def _build_menus(self) -> None:
        bar = self.menuBar()
        self.file_menu = bar.addMenu("")
        self.choose_action = QAction(self, shortcut=QKeySequence.StandardKey.Open)
        self.choose_action.triggered.connect(self.classify_page.choose_folder)
        self.open_results_action = QAction(self)
        self.open_results_action.triggered.connect(self._open_results_folder)
        self.settings_action = QAction(self, shortcut=QKeySequence.StandardKey.Preferences)
        self.settings_action.triggered.connect(self.edit_settings)
        self.quit_action = QAction(self, shortcut=QKeySequence.StandardKey.Quit)
        self.quit_action.triggered.connect(self.close)
        for action in (self.choose_action, self.open_results_action, self.settings_action):
            self.file_menu.addAction(action)
        self.file_menu.addSeparator()
        self.file_menu.addAction(self.quit_action)
        self.export_menu = bar.addMenu("")
        self.exports = ExportActions(
            self,
            self.export_menu,
            self.card,
            lambda: (self.classify_page.out_dir, self.classify_page.source),
        )
        self.export_finished = self.exports.finished
        self.help_menu = bar.addMenu("")
        self.log_action = QAction(self)
        self.log_action.triggered.connect(lambda: about.open_log_file(self))
        self.about_action = QAction(self)
        self.about_action.triggered.connect(lambda: about.show_about(self.card, self))
        self.help_menu.addAction(self.log_action)
        self.help_menu.addAction(self.about_action)

    def retranslate(self) -> None:
        """Rebuild every text after a language switch (and once at start-up)."""
        self.setWindowTitle(_("Ocelote — camera-trap classifier"))
        self.tabs.setTabText(0, _("Classify"))
        self.tabs.setTabText(1, _("Review"))
        self.tabs.setTabText(self.tabs.indexOf(self.benchmark_page), _("Benchmark"))
        self.tabs.setTabText(self.tabs.indexOf(self.optimize_page), _("Optimize"))
        self.benchmark_page.retranslate()
        self.optimize_page.retranslate()
        self.file_menu.setTitle(_("&File"))
        self.choose_action.setText(_("Choose folder…"))
        self.open_results_action.setText(_("Open earlier results…"))
        self.settings_action.setText(_("Settings…"))
        self.quit_action.setText(_("Quit"))
        self.exports.retranslate()
        self.help_menu.setTitle(_("&Help"))
        self.log_action.setText(_("Open log file"))
        self.about_action.setText(_("About Ocelote"))
        self.classify_page.retranslate()
        self.review_page.retranslate()
        self.tabs.setTabText(self.tabs.indexOf(self.train_page), _("Train"))
        self.tabs.setTabText(self.tabs.indexOf(self.search_page), _("Search"))
        self.train_page.retranslate()
        self.search_page.retranslate()
        self.tabs.setTabText(self.tabs.indexOf(self.models_page), _("Models"))
        self.models_page.retranslate()
        self._update_actions()

    def set_language(self, language: str) -> None:
        apply_language(language)
        self.retranslate()
        self.probe_plan()  # the plan's reasons are engine texts: fetch them in the new language

    def probe_plan(self) -> None:
        """Detect the device and the engine's plan off the GUI thread (drivers can be slow)."""
        variant, threads = self.settings.variant, self.settings.threads
        model_id = self.card.id
        task = run_task(lambda: probe(variant, threads, model_id), self)
        task.finished.connect(self.classify_page.set_plan)

    def edit_settings(self) -> None:
        dialog = SettingsDialog(self.settings, self.card, self)
        if dialog.exec():
            self.set_language(self.settings.language)
            if dialog.model_changed:
                QMessageBox.information(
                    self, _("Settings"), _("Restart Ocelote to classify with the model chosen.")
                )

    def _update_actions(self) -> None:
        has_results = self.review_page.db is not None and not self.is_running()
        self.exports.set_enabled(has_results)
        self.tabs.setTabEnabled(1, has_results)

    # --- results and exports ------------------------------------------------------------------
    def is_running(self) -> bool:
        return self.classify_page.runner.is_running()

    def _on_starting(self) -> None:
        self.review_page.close_results()
        self._update_actions()

    def _on_results_ready(self, out_dir: Path) -> None:
        self.review_page.set_results(out_dir)
        self._update_actions()

    def _open_results_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, _("Choose a results folder"))
        if folder and (Path(folder) / "results.sqlite").is_file():
            self.classify_page.open_results(Path(folder), None)
        elif folder:
            QMessageBox.warning(
                self,
                _("No results here"),
                _("{path} holds no Ocelote results. Choose the folder with results.sqlite.").format(
                    path=folder
                ),
            )

    # --- closing --------------------------------------------------------------------------------
    def _after_job(self, _summary: object) -> None:
        self._update_actions()
        if self._close_when_stopped:
            self.close()

    def closeEvent(self, event: QCloseEvent) -> None:
        """Closing during a run asks first; then it stops the job and closes once it stopped."""
        if self.is_running():
            event.ignore()
            if self._close_when_stopped:
                return
            answer = QMessageBox.question(
                self,
                _("Stop classifying?"),
                _(
                    "Photos are still being classified. Stop and close? What is done is kept; "
                    "drop the same folder again later to continue."
                ),
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.No,
            )
            if answer == QMessageBox.StandardButton.Yes:
                self._close_when_stopped = True
                self.classify_page.closing = True
                self.classify_page.cancel()
            return
        if self.exports.busy():
            event.ignore()
            self.statusBar().showMessage(_("Wait for the export to finish."), 5000)
            return
        self.settings.geometry = self.saveGeometry()
        self.loader.shutdown()
        wait_all(5000)  # a results load or device probe of a second or two
        self.review_page.close_results()
        super().closeEvent(event)

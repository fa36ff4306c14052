"""The window: two pages (classify, review), menus, language switch, the close-during-run guard."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import (
    QAction,
    QCloseEvent,
    QDragEnterEvent,
    QDragMoveEvent,
    QDropEvent,
    QGuiApplication,
    QKeySequence,
)
from PySide6.QtWidgets import QFileDialog, QMainWindow, QMessageBox, QTabWidget, QWidget

from engine.i18n import _
from engine.models.card import ModelCard
from engine.models.store import find_card
from gui import about
from gui.benchmark_page import BenchmarkPage
from gui.classify_page import ClassifyPage
from gui.device import probe
from gui.evaluate_view import EvaluateAction
from gui.export_actions import ExportActions
from gui.guide import show_guide
from gui.i18n import apply_language
from gui.jobs import ThumbnailLoader, run_task, wait_all
from gui.models_page import ModelsPage
from gui.optimize_page import OptimizePage
from gui.review_page import ReviewPage
from gui.search_page import SearchPage
from gui.settings import Settings
from gui.settings_dialog import SettingsDialog
from gui.train_page import TrainPage
from gui.widgets.drop_zone import local_paths
from gui.widgets.gallery import GalleryModel
from gui.widgets.scrolled import scrolled

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
        self.train_page, self.search_page = TrainPage(), SearchPage()
        self.models_page = ModelsPage()
        self._page_tabs: dict[QWidget, int] = {}
        pages = (self.benchmark_page, self.optimize_page, self.train_page, self.search_page)
        for page in (*pages, self.models_page):
            self._page_tabs[page] = self.tabs.addTab(scrolled(page), "")
        self.setCentralWidget(self.tabs)
        self.train_page.installed.connect(self.offer_model)
        self.search_page.installed.connect(self.offer_model)
        self.setAcceptDrops(True)  # a folder dropped anywhere on the window opens it
        self._pending_drop: list[Path] = []
        self._pending_model: str | None = None
        self.classify_page.results_ready.connect(self._on_results_ready)
        self.classify_page.runner.finished.connect(self._after_job)
        self.classify_page.starting.connect(self._on_starting)
        self._close_when_stopped = False
        self._fit_screen()
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
        self.evaluate = EvaluateAction(self, self.export_menu, lambda: self.classify_page.out_dir)
        self.help_menu = bar.addMenu("")
        self.guide_action = QAction(self, shortcut=QKeySequence.StandardKey.HelpContents)
        self.guide_action.triggered.connect(lambda: show_guide(self))
        self.help_menu.addAction(self.guide_action)
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
        self.tabs.setTabText(self._page_tabs[self.benchmark_page], _("Benchmark"))
        self.tabs.setTabText(self._page_tabs[self.optimize_page], _("Optimize"))
        self.benchmark_page.retranslate()
        self.optimize_page.retranslate()
        self.file_menu.setTitle(_("&File"))
        self.choose_action.setText(_("Choose folder…"))
        self.open_results_action.setText(_("Open earlier results…"))
        self.settings_action.setText(_("Settings…"))
        self.quit_action.setText(_("Quit"))
        self.exports.retranslate()
        self.evaluate.retranslate()
        self.help_menu.setTitle(_("&Help"))
        self.guide_action.setText(_("Guide"))
        self.log_action.setText(_("Open log file"))
        self.about_action.setText(_("About Ocelote"))
        self.classify_page.retranslate()
        self.review_page.retranslate()
        self.tabs.setTabText(self._page_tabs[self.train_page], _("Train"))
        self.tabs.setTabText(self._page_tabs[self.search_page], _("Search"))
        self.train_page.retranslate()
        self.search_page.retranslate()
        self.tabs.setTabText(self._page_tabs[self.models_page], _("Models"))
        self.models_page.retranslate()
        self._update_actions()

    def show_page(self, page: QWidget) -> None:
        """Bring a page to the front, whether it sits in a tab of its own or in a scroll area."""
        self.tabs.setCurrentIndex(self._page_tabs.get(page, self.tabs.indexOf(page)))

    def current_page(self) -> QWidget:
        """The page in front (not the scroll area around it)."""
        index = self.tabs.currentIndex()
        return next((p for p, i in self._page_tabs.items() if i == index), self.tabs.widget(index))

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
                self.switch_model(self.settings.model_id)

    def offer_model(self, model_id: str) -> None:
        """A model just trained here: use it now if the ranger says so (no restart)."""
        try:
            name = find_card(model_id).name
        except KeyError:
            return
        answer = QMessageBox.question(
            self,
            _("Use the new model?"),
            _("Classify the next folders with {model}? Settings can switch back.").format(
                model=name
            ),
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.settings.model_id = model_id
            self.switch_model(model_id)

    def switch_model(self, model_id: str) -> None:
        """Classify with another model from now on, no restart; during a run, once it ends."""
        if self.is_running():
            self._pending_model = model_id
            self.statusBar().showMessage(
                _("The model chosen is used for the next folder, once this one is done."), 15000
            )
            return
        try:
            card = find_card(model_id)
        except KeyError:
            QMessageBox.warning(self, _("Settings"), _("That model is no longer installed."))
            return
        self._pending_model = None
        self.card = card
        self.model.card = card
        self.exports.card = card
        self.review_page.close_results()
        self.classify_page.set_card(card)  # results of the other model are no longer shown
        self.review_page.set_card(card)
        self.retranslate()
        self.probe_plan()
        self.statusBar().showMessage(
            _("Now classifying with {model}.").format(model=card.name), 15000
        )

    def _update_actions(self) -> None:
        has_results = self.review_page.db is not None and not self.is_running()
        self.exports.set_enabled(has_results)
        self.evaluate.action.setEnabled(has_results)
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
        home = self.settings.results_home()  # Documents/Ocelote, or Documents before a run
        start = home if home.is_dir() else home.parent
        folder = QFileDialog.getExistingDirectory(self, _("Choose a results folder"), str(start))
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
            return
        if self._pending_model:
            self.switch_model(self._pending_model)
        if self._pending_drop:
            paths, self._pending_drop = self._pending_drop, []
            self.classify_page.start(paths)

    # --- a folder dropped anywhere ------------------------------------------------------------
    def _fit_screen(self) -> None:
        """Open at a comfortable size, never larger than the screen (a 1366×768 laptop)."""
        screen = QGuiApplication.primaryScreen()
        room = screen.availableGeometry().size() if screen is not None else None
        width, height = 1200, 800
        if room is not None and room.width() > 0 and room.height() > 0:
            width, height = min(width, room.width()), min(height, room.height())
        self.resize(width, height)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if local_paths(event):
            event.setDropAction(Qt.DropAction.CopyAction)
            event.accept()
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        if local_paths(event):
            event.setDropAction(Qt.DropAction.CopyAction)
            event.accept()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = local_paths(event)
        if not paths:
            event.ignore()
            return
        event.setDropAction(Qt.DropAction.CopyAction)
        event.accept()
        self.open_dropped(paths)

    def open_dropped(self, paths: list[Path]) -> None:
        """Open (or resume) the dropped folder; during a run, ask before stopping it."""
        self.tabs.setCurrentIndex(0)
        if not self.is_running():
            self.classify_page.start(paths)
            return
        answer = QMessageBox.question(
            self,
            _("Stop classifying?"),
            _(
                "Another folder is being classified. Stop it and open {path}? What is done is "
                "kept; drop that folder again later to continue."
            ).format(path=paths[0]),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer == QMessageBox.StandardButton.Yes:
            self._pending_drop = paths
            self.classify_page.cancel()

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

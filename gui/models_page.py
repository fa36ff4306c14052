"""Models page: what is installed (size, licence, what each is for), the catalog with Install
buttons and download progress, Import and Pack for offline stations, and the disk used.

The engine installs, imports and verifies (engine.store); this page runs that work on a
worker thread (gui.jobs) and shows what came back.
"""

from __future__ import annotations

import time
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from engine.i18n import _, fmt_bytes, fmt_duration, language
from engine.store.catalog import entry
from engine.store.errors import Cancelled
from engine.store.importing import import_path
from engine.store.install import Installed, install
from engine.store.listing import ModelRow, disk_use, remove, rows
from engine.store.pack import write_pack
from gui.onnx_import_dialog import OnnxImportDialog
from gui.task_page import CancelOnClose, TaskPage

INSTALLED_COLUMNS = 5
CATALOG_COLUMNS = 7


def _install_work(model_id: str):  # noqa: ANN202 - (TaskControl) -> Installed | None
    def run(control) -> Installed | None:  # noqa: ANN001 - TaskControl
        def progress(event) -> None:  # noqa: ANN001 - DownloadProgress
            control.progress(event.done // 1024, (event.total or 0) // 1024)

        try:
            return install(model_id, progress=progress, cancel=control.cancel)
        except Cancelled:
            return None

    return run


def kind_text(kind: str) -> str:
    return _("Detector") if kind == "detector" else _("Classifier")


class ModelsPage(TaskPage):
    """Installed models above, the catalog below; one install or import runs at a time."""

    changed = Signal()  # the set of installed models changed

    def __init__(self, has_gpu: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.has_gpu = has_gpu
        self.installing: str | None = None
        self._started, self._first_kb = 0.0, None
        self.installed_title, self.catalog_title, self.disk = QLabel(), QLabel(), QLabel()
        self.installed = QTableWidget(0, INSTALLED_COLUMNS)
        self.catalog = QTableWidget(0, CATALOG_COLUMNS)
        for table in (self.installed, self.catalog):
            table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
            table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
            table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
            table.horizontalHeader().setStretchLastSection(True)
            table.setWordWrap(True)
        self.import_button, self.pack_button = QPushButton(), QPushButton()
        self.remove_button, self.cancel_button = QPushButton(), QPushButton()
        self.progress, self.status = QProgressBar(), QLabel()
        self.status.setWordWrap(True)
        self.install_buttons: dict[str, QPushButton] = {}
        self._layout()
        self.import_button.clicked.connect(self.choose_import)
        self.pack_button.clicked.connect(self.choose_pack)
        self.remove_button.clicked.connect(self.remove_selected)
        self.cancel_button.clicked.connect(self.cancel)
        self._closer = CancelOnClose(self)
        self.retranslate()

    def _layout(self) -> None:
        layout = QVBoxLayout(self)
        layout.addWidget(self.installed_title)
        layout.addWidget(self.installed, 2)
        buttons = QHBoxLayout()
        for button in (self.import_button, self.pack_button, self.remove_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        layout.addWidget(self.catalog_title)
        layout.addWidget(self.catalog, 3)
        row = QHBoxLayout()
        row.addWidget(self.progress, 1)
        row.addWidget(self.cancel_button)
        layout.addLayout(row)
        layout.addWidget(self.status)
        layout.addWidget(self.disk)

    def showEvent(self, event) -> None:  # noqa: ANN001, N802 - Qt's name
        self._closer.watch()
        super().showEvent(event)

    # --- texts and tables ---------------------------------------------------------------
    def retranslate(self) -> None:
        self.installed_title.setText(_("Installed models"))
        self.catalog_title.setText(_("Models you can install"))
        self.import_button.setText(_("Import…"))
        self.import_button.setToolTip(
            _("A model pack, a zip or an ONNX file, e.g. from a USB stick")
        )
        self.pack_button.setText(_("Pack for another PC…"))
        self.remove_button.setText(_("Remove"))
        self.cancel_button.setText(_("Cancel"))
        self.installed.setHorizontalHeaderLabels(
            [_("Name"), _("Kind"), _("Size"), _("Licence"), _("What it is for")]
        )
        self.catalog.setHorizontalHeaderLabels(
            [_("Name"), _("Kind"), _("Size"), _("Licence"), _("Recommended here"),
             _("What it is for"), ""]
        )  # fmt: skip
        self.refresh()

    def refresh(self) -> None:
        all_rows = rows(self.has_gpu, language())
        self._fill_installed([r for r in all_rows if r.installed])
        self._fill_catalog([r for r in all_rows if not r.installed and r.origin == "catalog"])
        use = disk_use()
        self.disk.setText(
            _("Models use {models} in {folder}; unfinished downloads {partial}; {free} free.")
            .format(models=fmt_bytes(use.models_bytes), folder=use.folder,
                    partial=fmt_bytes(use.partial_bytes), free=fmt_bytes(use.free_bytes))
        )  # fmt: skip
        self._update_buttons()

    @staticmethod
    def _cells(table: QTableWidget, index: int, row: ModelRow, texts: list[str]) -> None:
        for column, text in enumerate(texts):
            item = QTableWidgetItem(text)
            item.setToolTip(text)
            if column == 0:
                item.setData(32, row.id)  # Qt.UserRole: the model id
            table.setItem(index, column, item)

    def _fill_installed(self, model_rows: list[ModelRow]) -> None:
        self.installed.setRowCount(len(model_rows))
        for index, row in enumerate(model_rows):
            licence = row.license + (f" — {row.plain_license}" if row.plain_license else "")
            self._cells(self.installed, index, row,
                        [row.name, kind_text(row.kind), fmt_bytes(row.size_bytes), licence,
                         " ".join(text for text in (row.purpose, row.int8) if text)])  # fmt: skip

    def _fill_catalog(self, model_rows: list[ModelRow]) -> None:
        self.catalog.setRowCount(len(model_rows))
        self.install_buttons = {}
        for index, row in enumerate(model_rows):
            self._cells(self.catalog, index, row,
                        [row.name, kind_text(row.kind), fmt_bytes(row.size_bytes), row.license,
                         _("yes") if row.recommended else _("no"),
                         f"{row.purpose} {row.speed}".strip()])  # fmt: skip
            button = QPushButton(_("Install"))
            button.clicked.connect(lambda _checked=False, m=row.id: self.ask_install(m))
            self.catalog.setCellWidget(index, CATALOG_COLUMNS - 1, button)
            self.install_buttons[row.id] = button

    def _update_buttons(self) -> None:
        busy = self.task is not None
        for button in self.install_buttons.values():
            button.setEnabled(not busy)
        self.import_button.setEnabled(not busy)
        self.pack_button.setEnabled(not busy)
        self.remove_button.setEnabled(not busy)
        self.cancel_button.setEnabled(busy)
        self.progress.setVisible(busy)

    def selected_ids(self) -> list[str]:
        rows_ = sorted({index.row() for index in self.installed.selectedIndexes()})
        return [self.installed.item(r, 0).data(32) for r in rows_]

    # --- install --------------------------------------------------------------------------
    def ask_install(self, model_id: str) -> None:
        item = entry(model_id)
        text = _("{name} — {size}, licence {licence}.").format(
            name=item.name, size=fmt_bytes(item.size_bytes), licence=item.spdx
        )
        if item.plain_license():
            text += "\n\n" + item.plain_license()
        answer = QMessageBox.question(
            self, _("Install a model"), text + "\n\n" + _("Download it now?")
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.start_install(model_id)

    def start_install(self, model_id: str) -> None:
        self.installing = model_id
        self._started, self._first_kb = time.monotonic(), None
        self.progress.setRange(0, 0)
        self.status.setText(_("Downloading {model}…").format(model=entry(model_id).name))
        self.run_work(_install_work(model_id), self._installed, self._progress, self._failed)
        self._update_buttons()

    def _progress(self, done_kb: int, total_kb: int) -> None:
        if total_kb <= 0:
            return
        self.progress.setRange(0, total_kb)
        self.progress.setValue(done_kb)
        if self._first_kb is None:  # a resumed download starts part-way: speed counts from here
            self._started, self._first_kb = time.monotonic(), done_kb
        elapsed = max(time.monotonic() - self._started, 1e-3)
        speed = (done_kb - self._first_kb) * 1024 / elapsed
        left = (total_kb - done_kb) * 1024 / speed if speed > 0 else None
        self.status.setText(
            _("{done} of {total}, {speed}/s, {left} left").format(
                done=fmt_bytes(done_kb * 1024), total=fmt_bytes(total_kb * 1024),
                speed=fmt_bytes(int(speed)), left=fmt_duration(left) if left else "?",
            )
        )  # fmt: skip

    def _installed(self, result: object) -> None:
        self.task = None
        if isinstance(result, Installed):
            name = entry(result.model_id).name
            if result.first_record:
                text = _(
                    "{model} installed. Its publisher gives no checksum: this install "
                    "recorded SHA-256 {sha}."
                ).format(model=name, sha=result.sha256)
            else:
                text = _("{model} installed and verified.").format(model=name)
            self.status.setText(text)
            self.changed.emit()
        elif result is None and self.status.property("failed") is not True:
            self.status.setText(_("Cancelled. What was downloaded is kept for the next try."))
        self.status.setProperty("failed", False)
        self.installing = None
        self.refresh()

    def _failed(self, message: str) -> None:
        self.status.setProperty("failed", True)
        self.status.setText(message)

    # --- import, pack, remove ----------------------------------------------------------------
    def choose_import(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self, _("Import a model"), "", _("Model packs and ONNX files (*.zip *.onnx)")
        )
        if path:
            self.import_from(Path(path))

    def import_from(self, path: Path) -> None:
        answers = None
        if path.suffix.lower() == ".onnx":
            dialog = OnnxImportDialog(path, self)
            if not dialog.exec():
                return
            answers = dialog.answers()
        self.status.setText(_("Importing {file}…").format(file=path.name))
        self.progress.setRange(0, 0)
        self.run_work(lambda _control: import_path(path, answers), self._imported,
                      lambda _d, _t: None, self._failed)  # fmt: skip
        self._update_buttons()

    def _imported(self, result: object) -> None:
        self.task = None
        if isinstance(result, list):
            self.status.setText(_("Imported: {ids}.").format(ids=", ".join(result)))
            self.changed.emit()
        self.refresh()

    def choose_pack(self) -> None:
        ids = self.selected_ids()
        if not ids:
            QMessageBox.information(self, _("Pack"), _("Select installed models to pack first."))
            return
        path, _filter = QFileDialog.getSaveFileName(
            self, _("Pack for another PC"), "ocelote-models.zip", _("Model packs (*.zip)")
        )
        if path:
            self.pack_to(ids, Path(path))

    def pack_to(self, ids: list[str], path: Path) -> None:
        self.status.setText(_("Writing {file}…").format(file=path.name))
        self.progress.setRange(0, 0)
        self.run_work(lambda _control: write_pack(ids, path), self._packed,
                      lambda _d, _t: None, self._failed)  # fmt: skip
        self._update_buttons()

    def _packed(self, result: object) -> None:
        self.task = None
        if isinstance(result, Path):
            self.status.setText(
                _("Wrote {file} ({size}). On the other PC: Models → Import.").format(
                    file=result, size=fmt_bytes(result.stat().st_size)
                )
            )
        self.refresh()

    def remove_selected(self) -> None:
        for model_id in self.selected_ids():
            if not remove(model_id):
                self.status.setText(
                    _("{id} is bundled with Ocelote and stays.").format(id=model_id)
                )
        self.changed.emit()
        self.refresh()

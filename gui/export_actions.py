"""The Export menu's behaviour: ask where, ask Camtrap DP's questions, run off the GUI thread."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog, QMainWindow, QMenu, QMessageBox

from engine.i18n import _, fmt_number
from engine.models.card import ModelCard
from engine.results.export_camtrapdp import CamtrapReport, report_text
from gui.camtrap_dialog import CamtrapDialog
from gui.exports import SORT, MenuEntry, menu_entries, run_export, target_in
from gui.jobs import Task, run_task

log = logging.getLogger(__name__)


class ExportActions(QObject):
    """One action per format; `finished(result)` after each export (None when it failed)."""

    finished = Signal(object)

    def __init__(
        self,
        window: QMainWindow,
        menu: QMenu,
        card: ModelCard,
        folders: Callable[[], tuple[Path | None, Path | None]],
    ) -> None:
        super().__init__(window)
        self.window, self.menu, self.card = window, menu, card
        self._folders = folders  # (results folder, photo folder) shown now
        self.tasks: list[Task] = []
        self._camtrap_options: object | None = None  # for the report's words
        self.actions: dict[str, tuple[QAction, MenuEntry]] = {}
        for entry in menu_entries():
            action = QAction(window)
            action.triggered.connect(lambda _checked=False, e=entry: self.export(e))
            menu.addAction(action)
            self.actions[entry.id] = (action, entry)

    def retranslate(self) -> None:
        self.menu.setTitle(_("&Export"))
        for action, entry in self.actions.values():
            action.setText(entry.title())

    def set_enabled(self, enabled: bool) -> None:
        for action, _entry in self.actions.values():
            action.setEnabled(enabled)

    def busy(self) -> bool:
        return bool(self.tasks)

    def export(self, entry: MenuEntry | str, target: Path | None = None, options=None) -> None:
        """Ask for what is missing, then write in the background (tests pass all of it)."""
        if isinstance(entry, str):
            entry = self.actions[entry][1]
        out_dir, source = self._folders()
        if out_dir is None:
            return
        target = target or self._ask_target(entry, out_dir)
        if target is None:
            return
        if entry.needs_options and options is None:
            dialog = CamtrapDialog(self.window)
            if not dialog.exec():
                return
            options = dialog.options()
        self._camtrap_options = options if entry.needs_options else None
        status = self.window.statusBar()
        status.showMessage(_("Exporting to {path}…").format(path=target))
        task = run_task(
            lambda control: run_export(entry, out_dir, source, self.card, target, options, control),
            self,
            control=True,
        )
        self.tasks.append(task)
        task.progress.connect(
            lambda done, total: status.showMessage(
                _("Copying: {done} of {total}").format(
                    done=fmt_number(done), total=fmt_number(total)
                )
            )
        )
        task.failed.connect(self._failed)
        task.finished.connect(lambda result: self._done(task, entry, target, result))

    def cancel_all(self) -> None:
        for task in self.tasks:
            task.cancel()

    def _ask_target(self, entry: MenuEntry, out_dir: Path) -> Path | None:
        if entry.target == "folder":
            chosen = QFileDialog.getExistingDirectory(self.window, entry.title(), str(out_dir))
            return target_in(Path(chosen), entry.default_name) if chosen else None
        suggestion = str(out_dir / entry.default_name)
        chosen, _filter = QFileDialog.getSaveFileName(self.window, entry.title(), suggestion)
        return Path(chosen) if chosen else None

    def _done(self, task: Task, entry: MenuEntry, target: Path, result: object) -> None:
        self.tasks.remove(task)
        if result is not None:
            message = _("Exported: {path}").format(path=target)
            if isinstance(result, CamtrapReport) and self._camtrap_options is not None:
                message = report_text(result, self._camtrap_options)
            if entry.id == SORT:
                message = sort_message(target, result)
                for file, reason in result.failed:  # type: ignore[attr-defined]
                    log.warning("not copied: %s: %s", file, reason)
            self.window.statusBar().showMessage(message, 30000)
        self.finished.emit(result)

    def _failed(self, message: str) -> None:
        self.window.statusBar().clearMessage()
        QMessageBox.warning(self.window, _("Export failed"), message)


def sort_message(target: Path, report) -> str:  # noqa: ANN001 - SortReport
    """Every file accounted for, in words: copied, already there, failed, not classified."""
    parts = [
        _("Copied {count} files into {path}.").format(count=fmt_number(report.copied), path=target)
    ]
    if report.skipped:
        parts.append(_("{count} were already there.").format(count=fmt_number(report.skipped)))
    if report.failed:
        parts.append(
            _("{count} could not be copied (see the log).").format(
                count=fmt_number(len(report.failed))
            )
        )
    if report.not_classified:
        parts.append(
            _("{count} files with errors were not copied: they have no group.").format(
                count=fmt_number(report.not_classified)
            )
        )
    return " ".join(parts)

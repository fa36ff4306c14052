"""Choices remembered between runs (QSettings): language, model, variant, threads, results folder.

Tests redirect QSettings to a temporary folder (IniFormat + setPath), so nothing here may pick a
format of its own: the default format is always used.
"""

from __future__ import annotations

from pathlib import Path

import platformdirs
from PySide6.QtCore import QByteArray, QSettings

from engine.models.store import DEFAULT_MODEL_ID
from engine.paths import APP_NAME, default_results_dir
from engine.results.folders import results_folder_for

ORGANIZATION = "Ocelote"
APPLICATION = "Ocelote"


class Settings:
    """Typed access to the few settings a ranger can change."""

    def __init__(self, store: QSettings | None = None) -> None:
        self._store = store or QSettings(
            QSettings.defaultFormat(), QSettings.Scope.UserScope, ORGANIZATION, APPLICATION
        )

    @property
    def language(self) -> str:
        """'es', 'en' or '' for the system's language."""
        return str(self._store.value("language", "", str))

    @language.setter
    def language(self, value: str) -> None:
        self._store.setValue("language", value)

    @property
    def model_id(self) -> str:
        """The model the window classifies with: the bundled one, or one trained here."""
        return str(self._store.value("model/id", DEFAULT_MODEL_ID, str)) or DEFAULT_MODEL_ID

    @model_id.setter
    def model_id(self, value: str) -> None:
        self._store.setValue("model/id", value)

    @property
    def variant(self) -> str:
        return str(self._store.value("model/variant", "auto", str)) or "auto"

    @variant.setter
    def variant(self, value: str) -> None:
        self._store.setValue("model/variant", value)

    @property
    def threads(self) -> int:
        """0 lets the engine use every core."""
        return int(self._store.value("model/threads", 0, int))

    @threads.setter
    def threads(self, value: int) -> None:
        self._store.setValue("model/threads", int(value))

    @property
    def results_root(self) -> str:
        """Where result folders go; '' means Documents/Ocelote."""
        return str(self._store.value("results/root", "", str))

    @results_root.setter
    def results_root(self, value: str) -> None:
        self._store.setValue("results/root", value)

    def results_home(self) -> Path:
        """Where result folders are looked for first: the chosen folder, else Documents/Ocelote."""
        if self.results_root:
            return Path(self.results_root)
        return Path(platformdirs.user_documents_dir()) / APP_NAME

    def out_dir_for(self, source: Path) -> Path:
        """One results folder per photo folder, named after it (as the CLI does)."""
        if self.results_root:
            return results_folder_for(Path(self.results_root), source)
        return default_results_dir(source)

    @property
    def geometry(self) -> QByteArray:
        value = self._store.value("window/geometry", QByteArray())
        return value if isinstance(value, QByteArray) else QByteArray()

    @geometry.setter
    def geometry(self, value: QByteArray) -> None:
        self._store.setValue("window/geometry", value)

    def sync(self) -> None:
        self._store.sync()

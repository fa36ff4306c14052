"""Where Ocelote's own files live: bundled assets and catalogs, and the user's data folders.

Nothing here ever points into a user's photo folder; results go where the user asks.
"""

import os
import sys
from pathlib import Path

import platformdirs

from engine.results.folders import results_folder_for

APP_NAME = "Ocelote"


def install_root() -> Path:
    """The folder holding `assets/` and `locales/`: the source tree, or a PyInstaller bundle."""
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle)
    return Path(__file__).resolve().parent.parent


def assets_dir() -> Path:
    return install_root() / "assets"


def locales_dir() -> Path:
    return install_root() / "locales"


def models_dir() -> Path:
    """Bundled, read-only models shipped with the program."""
    return assets_dir() / "models"


def results_root() -> Path:
    """`Documents/Ocelote`: results never go next to the user's photos by default."""
    return Path(platformdirs.user_documents_dir()) / APP_NAME


def default_results_dir(source: Path) -> Path:
    """`Documents/Ocelote/<folder name> (<the folder it is in>)`, or the folder already holding
    this source's results: two cards' DCIM folders never share one (engine.results.folders)."""
    return results_folder_for(results_root(), source)


def user_data_dir() -> Path:
    """Per-user writable folder (model store, caches); `OCELOTE_DATA_DIR` overrides it for
    tests and portable installs (a USB stick)."""
    override = os.environ.get("OCELOTE_DATA_DIR")
    if override:
        return Path(override)
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))

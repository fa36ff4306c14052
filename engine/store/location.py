"""Where the user's model store is: `$OCELOTE_DATA_DIR/models`, else the platform's user data
folder (`~/.local/share/Ocelote/models`, `%LOCALAPPDATA%\\Ocelote\\models`…)."""

from pathlib import Path

from engine.paths import user_data_dir


def store_dir() -> Path:
    return user_data_dir() / "models"

"""OK and Cancel as the last row of a form dialog: the settings and Camtrap DP dialogs share it."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout


def add_ok_cancel(dialog: QDialog, form: QFormLayout) -> None:
    """OK calls `dialog.accept` (an override included), Cancel `dialog.reject`."""
    buttons = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
    )
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    form.addRow(buttons)

"""What Camtrap DP needs that a photo does not say: the time zone and where the camera stood."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QWidget,
)

from engine.i18n import _
from gui.widgets.ok_cancel import add_ok_cancel

COLOMBIA_OFFSET = "-05:00"


class CamtrapDialog(QDialog):
    """Asks the UTC offset (trap clocks have none) and the coordinates the profile requires."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Camtrap DP export"))
        self.offset = QLineEdit(COLOMBIA_OFFSET)
        self.latitude = QDoubleSpinBox(minimum=-90, maximum=90, decimals=5)
        self.longitude = QDoubleSpinBox(minimum=-180, maximum=180, decimals=5)
        self.title = QLineEdit()
        form = QFormLayout(self)
        note = QLabel(
            _(
                "Camera clocks do not store a time zone. Confirm the UTC offset of the camera's "
                "clock (Colombia: -05:00) and where the camera stood."
            ),
            wordWrap=True,
        )
        form.addRow(note)
        form.addRow(_("UTC offset:"), self.offset)
        form.addRow(_("Latitude:"), self.latitude)
        form.addRow(_("Longitude:"), self.longitude)
        form.addRow(_("Project title (optional):"), self.title)
        add_ok_cancel(self, form)

    def options(self) -> object:
        from engine.results.export_camtrapdp import CamtrapOptions

        return CamtrapOptions(
            utc_offset=self.offset.text().strip(),
            latitude=self.latitude.value(),
            longitude=self.longitude.value(),
            project_title=self.title.text().strip() or None,
        )

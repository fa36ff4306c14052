"""What Camtrap DP needs that a photo does not say: the time zone and where the camera stood."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
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
        self.missing_time = QComboBox()
        self.missing_time.addItem(_("the file's own date"), "file")
        self.missing_time.addItem(_("the first time of its deployment"), "deployment")
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
        form.addRow(_("Files without a recorded time get:"), self.missing_time)
        add_ok_cancel(self, form)

    def accept(self) -> None:
        """0, 0 is in the sea off Africa: almost always coordinates left unset, so ask."""
        if self.latitude.value() == 0 and self.longitude.value() == 0:
            answer = QMessageBox.question(
                self,
                _("Camtrap DP export"),
                _(
                    "Latitude and longitude are both 0, a point in the sea off West Africa. "
                    "Export with these coordinates anyway?"
                ),
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.No,
            )
            if answer != QMessageBox.StandardButton.Yes:
                self.latitude.setFocus()
                return
        super().accept()

    def options(self) -> object:
        from engine.results.export_camtrapdp import CamtrapOptions

        return CamtrapOptions(
            utc_offset=self.offset.text().strip(),
            latitude=self.latitude.value(),
            longitude=self.longitude.value(),
            project_title=self.title.text().strip() or None,
            missing_time=str(self.missing_time.currentData()),
        )

"""Importing a bare ONNX file: Ocelote shows its inputs and outputs, proposes the kind and the
output layout, and asks for an id, a name, the labels and the licence."""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from engine.i18n import _
from engine.store.importing import BareOnnxAnswers
from engine.store.inspect_onnx import OnnxInfo, inspect
from gui.widgets.ok_cancel import add_ok_cancel

LAYOUTS = ["yolov5", "ultralytics", "e2e", "rtdetr", "logits", "probabilities"]


class OnnxImportDialog(QDialog):
    def __init__(self, path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.path = path
        self.info: OnnxInfo = inspect(path)
        self.setWindowTitle(_("Import an ONNX model"))
        stem = re.sub(r"[^a-z0-9.-]+", "-", path.stem.lower()).strip("-") or "model"
        self.model_id, self.name = QLineEdit(stem), QLineEdit(path.stem)
        self.kind, self.layout = QComboBox(), QComboBox()
        self.kind.addItem(_("Detector"), "detector")
        self.kind.addItem(_("Classifier"), "classifier")
        self.kind.setCurrentIndex(self.kind.findData(self.info.kind))
        self.layout.addItems(LAYOUTS)
        self.layout.setCurrentText(self.info.layout)
        self.labels, self.browse = QLineEdit(), QPushButton(_("Choose…"))
        self.license = QLineEdit("LicenseRef-unknown")
        self.browse.clicked.connect(self._choose_labels)
        form = QFormLayout(self)
        shapes = "\n".join(
            [_("Inputs: {inputs}").format(inputs=self._tensors(self.info.inputs)),
             _("Outputs: {outputs}").format(outputs=self._tensors(self.info.outputs))]
        )  # fmt: skip
        form.addRow(QLabel(shapes))
        form.addRow(_("Model id"), self.model_id)
        form.addRow(_("Name"), self.name)
        form.addRow(_("Kind"), self.kind)
        form.addRow(_("Output layout"), self.layout)
        labels_row = QHBoxLayout()
        labels_row.addWidget(self.labels, 1)
        labels_row.addWidget(self.browse)
        form.addRow(_("Labels file (one name a line)"), labels_row)
        form.addRow(_("Licence (SPDX id)"), self.license)
        add_ok_cancel(self, form)

    @staticmethod
    def _tensors(tensors) -> str:  # noqa: ANN001 - tuple[Tensor, ...]
        return ", ".join(f"{t.name} {list(t.shape)}" for t in tensors)

    def _choose_labels(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(self, _("Labels file"), str(self.path.parent))
        if path:
            self.labels.setText(path)

    def answers(self) -> BareOnnxAnswers:
        labels = Path(self.labels.text()) if self.labels.text().strip() else None
        return BareOnnxAnswers(
            self.model_id.text().strip(), self.name.text().strip() or self.path.stem,
            self.kind.currentData(), self.layout.currentText(), labels,
            self.license.text().strip() or "LicenseRef-unknown",
        )  # fmt: skip

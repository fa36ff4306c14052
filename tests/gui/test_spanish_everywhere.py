"""Under Spanish, Qt's own dialogs speak Spanish too, and English stays whole under English."""

from PySide6.QtWidgets import QFileDialog, QLabel, QPushButton


def file_dialog_texts(parent) -> list[str]:
    dialog = QFileDialog(parent)
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog)  # the dialog Qt draws itself
    texts = [label.text() for label in dialog.findChildren(QLabel)]
    texts += [button.text() for button in dialog.findChildren(QPushButton)]
    dialog.deleteLater()
    return texts


def test_qt_file_dialog_in_spanish(qtbot, window):
    window.set_language("es")
    texts = file_dialog_texts(window)
    assert "Ver en:" in texts  # Qt 6 asks for "&Look in:", qtbase_es has "Look in:"
    assert "Ficheros de tipo:" in texts
    assert "&Nombre de fichero:" in texts
    assert "Cancelar" in texts
    assert not any("Look in" in text or "Files of" in text for text in texts)


def test_qt_file_dialog_in_english_keeps_every_text(qtbot, window):
    window.set_language("es")
    window.set_language("en")
    texts = file_dialog_texts(window)
    assert {"&Look in:", "Files of &type:", "Cancel"} <= set(texts)

"""The window's language: the engine's gettext catalogs plus Qt's own (dialog buttons).

Switched at run time: `apply_language` changes what `_()` returns; each page then rebuilds its
texts in `retranslate()` (MainWindow calls them all).
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from engine import i18n as engine_i18n

# Each language is named in itself, so a ranger who picked the wrong one can find their own.
LANGUAGE_NAMES = {"es": "Español", "en": "English"}

_qt_translator: QTranslator | None = None


class QtTranslator(QTranslator):
    """Qt's own catalog (qtbase_<lang>), reusing its translation of a label without its mnemonic.

    Why: Qt 6's file dialog asks for "&Look in:" and "Files of &type:", while qtbase_es (as
    shipped in PySide6) has only the older "Look in:" and "Files of type:", so those labels
    stayed English. The text is Qt's own Spanish; only the keyboard mnemonic is lost.
    """

    def translate(  # noqa: D102 - QTranslator's virtual, called by Qt for every tr()
        self, context: str, source: str, disambiguation: str | None = None, n: int = -1
    ) -> str | None:
        found = super().translate(context, source, disambiguation, n)
        if not found and "&" in source and "&&" not in source:
            found = super().translate(context, source.replace("&", "", 1), disambiguation, n)
        return found or None  # None is Qt's null string: "not here, ask the next translator"


def apply_language(language: str | None) -> str:
    """Set the engine's language and Qt's translator; '' or None means the system's language."""
    global _qt_translator
    chosen = engine_i18n.set_language(language or None)
    QLocale.setDefault(QLocale(chosen))
    app = QCoreApplication.instance()
    if app is None:
        return chosen
    if _qt_translator is not None:
        app.removeTranslator(_qt_translator)
        _qt_translator = None
    translator = QtTranslator(app)
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if translator.load(f"qtbase_{chosen}", folder):
        app.installTranslator(translator)
        _qt_translator = translator
    return chosen


def current() -> str:
    return engine_i18n.language()

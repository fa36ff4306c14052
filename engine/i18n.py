"""Translations (gettext catalogs under `locales/`) and locale-aware formatting (babel).

Source strings are English. Catalogs are compiled `.mo` files in a packaged build; in a source
tree the `.po` file is compiled in memory by babel, so no build step is needed to run or test.
"""

import gettext
import io
import locale
import os
from datetime import datetime, timedelta

from babel import Locale
from babel.dates import format_datetime, format_timedelta
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal

from engine.paths import locales_dir

DOMAIN = "ocelote"
LANGUAGES = ("en", "es")
SOURCE_LANGUAGE = "en"

_translations: gettext.NullTranslations = gettext.NullTranslations()
_language = "en"


def system_language() -> str:
    """Spanish for any es_* system locale, else English."""
    for var in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        value = os.environ.get(var)
        if value:
            return "es" if value.lower().startswith("es") else "en"
    code = locale.getlocale()[0] or ""
    return "es" if code.lower().startswith("es") else "en"


def load_catalog(language: str, domain: str = DOMAIN) -> gettext.NullTranslations:
    """The catalog of one language: compiled `.mo` if present, else the `.po` compiled now.

    English is the source language: its texts are the msgids themselves. `domain` names the
    file; besides Ocelote's own there is `argparse` (the command line's usage and errors).
    """
    if language == SOURCE_LANGUAGE:
        return gettext.NullTranslations()
    folder = locales_dir() / language / "LC_MESSAGES"
    mo_path = folder / f"{domain}.mo"
    if mo_path.is_file():
        with mo_path.open("rb") as handle:
            return gettext.GNUTranslations(handle)
    po_path = folder / f"{domain}.po"
    if not po_path.is_file():
        return gettext.NullTranslations()
    with po_path.open("rb") as handle:
        catalog = read_po(handle, locale=language)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


def set_language(language: str | None = None) -> str:
    """Switch every later `_()` call to `language` (default: the system's). Returns it."""
    global _translations, _language
    chosen = language or system_language()
    if chosen not in LANGUAGES:
        chosen = "en"
    _translations = load_catalog(chosen)
    _language = chosen
    return chosen


def language() -> str:
    return _language


def _(message: str) -> str:
    return _translations.gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    return _translations.ngettext(singular, plural, count)


def babel_locale() -> Locale:
    return Locale.parse(_language)


def fmt_number(value: float, decimals: int = 0) -> str:
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    return format_decimal(value, format=pattern, locale=babel_locale())


def fmt_datetime(moment: datetime) -> str:
    return format_datetime(moment, "medium", locale=babel_locale())


def fmt_bytes(count: int) -> str:
    """Sizes in GB/MB with the locale's decimal mark ("1,5 GB" in Spanish)."""
    if count >= 1024**3:
        return f"{fmt_number(count / 1024**3, 1)} GB"
    return f"{fmt_number(count / 1024**2, 0)} MB"


def fmt_duration(seconds: float) -> str:
    """Rounded to the largest unit; under a second reads as one second, never as zero."""
    return format_timedelta(
        timedelta(seconds=max(1.0, seconds)), threshold=1.1, locale=babel_locale()
    )

"""argparse's own texts ("usage:", "positional arguments", its error messages) in Spanish.

argparse translates every text it writes through two names of its module, `_` and `ngettext`,
which it imports from gettext (the process-wide default text domain, read from `.mo` files and
environment variables). Ocelote's language is chosen with `--lang` or the settings instead, and
its catalogs may be `.po` files compiled in memory, so those two names are bound to the
`argparse` catalog under `locales/` in the language `engine.i18n` has now. The msgids are
argparse's own; a test checks the catalog covers every one this Python's argparse uses.
"""

from __future__ import annotations

import argparse
import gettext as _gettext

from engine import i18n

DOMAIN = "argparse"

_catalogs: dict[str, _gettext.NullTranslations] = {}


def _catalog() -> _gettext.NullTranslations:
    language = i18n.language()
    if language not in _catalogs:
        _catalogs[language] = i18n.load_catalog(language, DOMAIN)
    return _catalogs[language]


def text(message: str) -> str:
    return _catalog().gettext(message)


def plural_text(singular: str, plural: str, count: int) -> str:
    return _catalog().ngettext(singular, plural, count)


def install() -> None:
    """Route argparse's lookups to the catalog (idempotent; follows later language switches)."""
    argparse._ = text  # type: ignore[attr-defined]
    argparse.ngettext = plural_text  # type: ignore[attr-defined]

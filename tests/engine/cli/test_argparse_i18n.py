"""The command line's usage, help and errors are in the language asked for, argparse's own too."""

import argparse
import subprocess
import sys
from pathlib import Path

from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po

from engine.paths import locales_dir


def ocelote(*args: str) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "engine", *args]
    return subprocess.run(command, capture_output=True, text=True, check=False)


def test_spanish_help_uses_spanish_usage_and_section_titles():
    shown = ocelote("--lang", "es", "classify", "--help")
    assert shown.returncode == 0
    assert shown.stdout.startswith("uso: ocelote classify")
    for spanish in ("argumentos posicionales:", "opciones:", "muestra esta ayuda y termina"):
        assert spanish in shown.stdout
    for english in ("usage:", "positional arguments", "show this help message"):
        assert english not in shown.stdout


def test_spanish_errors_from_argparse_itself():
    wrong = ocelote("--lang", "es", "classify", "--variant", "fp64", "photos")
    assert wrong.returncode == 2
    assert "uso: ocelote classify" in wrong.stderr
    assert "argumento --variant: valor no válido: 'fp64'" in wrong.stderr
    unknown = ocelote("--lang", "es", "classify", "photos", "--frobnicate")
    assert "argumentos no reconocidos: --frobnicate" in unknown.stderr


def test_english_stays_english():
    shown = ocelote("--lang", "en", "classify", "--help")
    assert shown.stdout.startswith("usage: ocelote classify")
    assert "show this help message and exit" in shown.stdout


def test_the_catalog_covers_every_text_this_pythons_argparse_translates():
    """A newer Python that adds an argparse message fails here, naming it."""
    used = set()
    for _line, message, _comments, _context in extract_from_file("python", argparse.__file__):
        used.add(message if isinstance(message, str) else message[0])
    with Path(locales_dir() / "es/LC_MESSAGES/argparse.po").open("rb") as handle:
        catalog = read_po(handle, locale="es")
    missing = sorted(m for m in used if not (catalog.get(m) and catalog[m].string))
    assert not missing, missing

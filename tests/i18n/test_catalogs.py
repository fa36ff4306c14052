"""Every string a person can read exists in Spanish, with the same placeholders as in English."""

import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from engine import i18n

REPO = Path(__file__).resolve().parents[2]
PLACEHOLDER = re.compile(r"\{[^{}]*\}")


def source_msgids() -> set[str]:
    found = set()
    for folder in ("engine", "gui"):
        for _file, _line, message, _comments, _context in extract_from_dir(
            REPO / folder, method_map=[("**.py", "python")]
        ):
            found.add(message if isinstance(message, str) else message[0])
    return found


@pytest.fixture(scope="module")
def spanish():
    with (REPO / "locales/es/LC_MESSAGES/ocelote.po").open("rb") as handle:
        return read_po(handle, locale="es")


def test_every_msgid_has_a_spanish_translation(spanish):
    missing = sorted(
        msgid for msgid in source_msgids() if not (spanish.get(msgid) and spanish[msgid].string)
    )
    assert not missing, "untranslated (run pybabel extract/update, then translate):\n" + "\n".join(
        missing
    )


def test_placeholders_match_between_english_and_spanish(spanish):
    wrong = [
        (message.id, message.string)
        for message in spanish
        if message.id and message.string
        and sorted(PLACEHOLDER.findall(message.id)) != sorted(PLACEHOLDER.findall(message.string))
    ]  # fmt: skip
    assert not wrong, wrong


def test_switching_language_changes_texts():
    try:
        i18n.set_language("es")
        assert i18n._("Per group:") == "Por grupo:"
        i18n.set_language("en")
        assert i18n._("Per group:") == "Per group:"
    finally:
        i18n.set_language("en")


def test_spanish_system_locale_picks_spanish(monkeypatch):
    for var in ("LC_ALL", "LC_MESSAGES", "LANGUAGE"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("LANG", "es_CO.UTF-8")
    assert i18n.system_language() == "es"
    monkeypatch.setenv("LANG", "de_DE.UTF-8")
    assert i18n.system_language() == "en"

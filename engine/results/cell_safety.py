"""Spreadsheet cells that stay what they are: a file name is never run as a formula.

A name like `=HYPERLINK(...)`.jpg is a valid file name on a card; opened in Excel or LibreOffice
it must read as text, not run. OWASP's CSV-injection advice: a cell that begins with `=`, `+`,
`-`, `@`, a tab or a carriage return gets a leading `'`, which spreadsheets show as text.
In XLSX such a cell is stored as a text cell instead, and characters the format cannot hold
(control characters) are written as visible `\\xNN` escapes instead of failing the export.
"""

import re

from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_ILLEGAL: re.Pattern[str] = ILLEGAL_CHARACTERS_RE


def csv_safe(value: object) -> object:
    """A CSV value that a spreadsheet will not evaluate (text only: numbers pass unchanged)."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def csv_row(values: dict[str, object]) -> dict[str, object]:
    return {key: csv_safe(value) for key, value in values.items()}


def xlsx_text(value: str) -> str:
    """`value` without the control characters XLSX cannot store, each shown as `\\xNN`."""
    return _ILLEGAL.sub(lambda match: f"\\x{ord(match.group()):02x}", value)


def xlsx_cell(sheet: WriteOnlyWorksheet, value: object) -> object:
    """A value for `sheet.append`: text that looks like a formula becomes a text cell."""
    if not isinstance(value, str):
        return value
    text = xlsx_text(value)
    if not text.startswith("="):
        return text
    cell = WriteOnlyCell(sheet, value=text)
    cell.data_type = "s"
    return cell


def append_safe(sheet: WriteOnlyWorksheet, values: list[object]) -> None:
    sheet.append([xlsx_cell(sheet, value) for value in values])

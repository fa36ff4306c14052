"""The XLSX export of a real run opens in openpyxl with its four sheets and every row."""

import pytest
from openpyxl import load_workbook

from engine.i18n import set_language
from engine.models.store import find_card
from engine.results.db import ResultsDB
from engine.results.export_xlsx import export_xlsx
from tests.engine.results.export_fixtures import REVIEWED_ANIMAL, classified_card


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    return classified_card(tmp_path_factory.mktemp("xlsx"))


def write(results, path, lang="en"):
    set_language(lang)
    try:
        with ResultsDB(results.db_path) as db:
            export_xlsx(db, find_card(), path)
            return list(db.iter_files())
    finally:
        set_language("en")


def test_sheets_rows_and_frozen_headers(results, tmp_path):
    rows = write(results, tmp_path / "r.xlsx")
    book = load_workbook(tmp_path / "r.xlsx", read_only=False)
    assert book.sheetnames == ["Summary", "Files", "Predictions", "Errors"]
    assert book["Files"].max_row == len(rows) + 1
    assert book["Predictions"].max_row == sum(len(r.predictions) for r in rows) + 1
    assert book["Errors"].max_row == 1 + sum(r.status == "error" for r in rows)
    for sheet in book.worksheets:
        assert sheet.freeze_panes == "A2"
        assert sheet.column_dimensions["A"].width >= 30
    assert not list(tmp_path.glob("*.partial"))


def test_files_sheet_carries_numbers_and_the_review(results, tmp_path):
    write(results, tmp_path / "r.xlsx")
    sheet = load_workbook(tmp_path / "r.xlsx")["Files"]
    header = [cell.value for cell in sheet[1]]
    rows = sheet.iter_rows(2, values_only=True)
    by_file = {row[0]: dict(zip(header, row, strict=True)) for row in rows}
    reviewed = by_file[REVIEWED_ANIMAL]
    assert (reviewed["Reviewed label"], reviewed["Classified by"]) == ("jaguar", "human")
    assert isinstance(reviewed["Confidence"], float) and 0 < reviewed["Confidence"] <= 1
    assert by_file["camB/empty.jpg"]["Error code"] == "empty_file"


def test_summary_counts(results, tmp_path):
    rows = write(results, tmp_path / "r.xlsx")
    summary = dict(load_workbook(tmp_path / "r.xlsx")["Summary"].iter_rows(values_only=True))
    assert summary["Files"] == len(rows)
    assert summary["Classified"] == sum(r.status == "ok" for r in rows)
    assert summary["Reviewed by a person"] == 2
    assert summary["Variant"] in ("fp32", "fp16", "int8")


def test_spanish_sheet_names_and_headers(results, tmp_path):
    write(results, tmp_path / "r.xlsx", lang="es")
    book = load_workbook(tmp_path / "r.xlsx")
    assert book.sheetnames == ["Resumen", "Archivos", "Predicciones", "Errores"]
    assert book["Archivos"]["A1"].value == "Archivo"

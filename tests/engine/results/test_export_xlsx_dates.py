"""The workbook a biologist opens in Excel: dates are dates (they sort and filter as time, with
a date format), and every table sheet has an autofilter over its header and rows."""

from datetime import datetime

from openpyxl import load_workbook

from engine.models.store import find_card
from engine.results.db import ResultsDB
from engine.results.export_csv import COLUMNS
from engine.results.export_xlsx import DATE_FORMAT, export_xlsx
from tests.engine.results.export_fixtures import REVIEWED_ANIMAL, classified_card


def test_dates_are_date_cells_and_tables_have_autofilters(tmp_path):
    results = classified_card(tmp_path)
    with ResultsDB(results.db_path) as db:
        export_xlsx(db, find_card(), tmp_path / "r.xlsx")
        rows = list(db.iter_files())
    book = load_workbook(tmp_path / "r.xlsx")
    files = book["Files"]
    when = COLUMNS.index("taken_at") + 1
    cells = {files.cell(r, 1).value: files.cell(r, when) for r in range(2, files.max_row + 1)}
    ocelot = cells[REVIEWED_ANIMAL]
    assert ocelot.is_date and ocelot.value == datetime(2006, 2, 10, 17, 6, 43)
    assert ocelot.number_format == DATE_FORMAT
    undated = [row.rel_path for row in rows if not row.taken_at]
    assert undated and all(cells[rel].value is None for rel in undated)  # unknown, not invented
    assert files.auto_filter.ref == f"A1:{files.cell(1, len(COLUMNS)).column_letter}{len(rows) + 1}"
    for name in ("Predictions", "Errors"):
        sheet = book[name]
        assert sheet.auto_filter.ref.startswith("A1:")
        assert sheet.auto_filter.ref.endswith(str(sheet.max_row))
        assert sheet.freeze_panes == "A2"

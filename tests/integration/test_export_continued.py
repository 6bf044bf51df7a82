"""A list longer than Excel's rows continues on a sheet of the same name and columns ("Pipeline (2)"), and the
Summary's checks still add up: the parts are here a few rows long instead of a million, read back by openpyxl and
recomputed by LibreOffice."""

import openpyxl
import pytest

from burden_tracker import export, hours
from burden_tracker.export import write_workbook
from burden_tracker.queries import reporting
from tests.support.reporting_data import build_program
from tests.support.spreadsheets import recalculated_by_libreoffice

Q3 = hours.Quarter(2026, 3)


@pytest.fixture
def continued(session, tmp_path, monkeypatch):
    """The quarter's workbook with at most two records to a sheet."""
    build_program(session)
    monkeypatch.setattr(export, "ROWS_PER_SHEET", 2)
    path = tmp_path / "q3.xlsx"
    write_workbook(session=session, quarter=Q3, destination=path, generated_by="Test Runner")
    return path


def test_a_long_list_continues_on_sheets_of_the_same_name_and_columns(session, continued):
    book = openpyxl.load_workbook(continued)
    names = book.sheetnames
    pipeline = [name for name in names if name.startswith("Pipeline")]
    assert pipeline[:2] == ["Pipeline", "Pipeline (2)"] and names.index("Pipeline (2)") == names.index("Pipeline") + 1
    headers = {name: [cell.value for cell in book[name][1]] for name in pipeline}
    assert len(set(map(tuple, headers.values()))) == 1  # the same columns on every part
    listed = sum(sum(1 for row in book[name].iter_rows(min_row=2, values_only=True) if isinstance(row[0], int))
                 for name in pipeline)
    assert listed == reporting.quarter_figures(session=session, quarter=Q3).open_at_end
    assert all(book[name].max_row <= 2 + 2 for name in pipeline)  # header, two records, totals
    assert "Retired (2)" in names and "Decisions (2)" in names


def test_the_summary_adds_the_parts_and_libreoffice_finds_every_check_true(continued, tmp_path):
    stored = openpyxl.load_workbook(continued)["Summary"]
    formulas = [row[2] for row in stored.iter_rows(min_row=5, values_only=True) if isinstance(row[2], str)]
    assert any("'Pipeline (2)'!" in formula for formula in formulas)
    summary = recalculated_by_libreoffice(continued, tmp_path)["Summary"]
    checks = [row[2] for row in summary if row[2] in ("TRUE", "FALSE")]
    assert len(checks) >= 20 and set(checks) == {"TRUE"}, checks

"""A list taken away as a file: what a person typed stays text (never a formula) in CSV and in the workbook, the
numbers stay numbers, and the workbook's totals are what LibreOffice computes from its rows."""

import csv
import io

import openpyxl
import pytest

from burden_tracker import export
from burden_tracker.list_files import BOARD_COLUMNS, NOMINATION_COLUMNS, write_csv, write_workbook
from burden_tracker.queries.list_exports import every_listed
from burden_tracker.queries.listing import Filters
from tests.support.factories import make_department, make_nomination
from tests.support.spreadsheets import FORMULA_LIKE, recalculated_by_libreoffice

ABOUT = [("Search", "fax"), ("Sorted", "Newest first")]


def typed_badly(session) -> list[str]:
    department = make_department(session, "@Dept+1").id
    # Stored as typed; a cell holds a lone carriage return as a line break, as Excel writes it.
    titles = [f"{payload} {index}".replace("\r\n", "\n").replace("\r", "\n")
              for index, payload in enumerate(FORMULA_LIKE)]
    for count, title in enumerate(titles, 1):
        make_nomination(session, title=title, department_id=department, clinicians_affected=count * 10)
    return titles


def test_csv_keeps_typed_text_from_becoming_a_formula_and_numbers_as_numbers(session):
    titles = typed_badly(session)
    file = io.BytesIO()
    written = write_csv(every_listed(session=session, filters=Filters()), NOMINATION_COLUMNS, file)
    content = file.getvalue()
    assert written == len(titles) and content.startswith(b"\xef\xbb\xbf"), "a BOM, so Excel reads UTF-8"
    header, *rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert header == ["#", "Title", "Department", "Category", "State", "Submitted", "Submitted by", "Supporters",
                      "Hours a year"]
    by_title = {row[1].removeprefix("'"): row for row in rows}
    for title in titles:
        cell = by_title[title][1]
        starts_like_a_formula = title.startswith(("=", "+", "-", "@", "\t", "\r", "\n"))
        assert cell == (f"'{title}" if starts_like_a_formula else title), title
    assert {row[2] for row in rows} == {"'@Dept+1"}
    assert by_title["=1+1 1"][8] == "276.0", "a plain number: 0.5 min × 36 a week × 20 people ÷ 60 × 46 weeks"


def test_the_workbook_holds_typed_text_as_text_and_totals_that_libreoffice_agrees_with(session, tmp_path):
    titles = typed_badly(session)
    path = tmp_path / "board.xlsx"
    with path.open("wb") as file:
        written = write_workbook(every_listed(session=session, filters=Filters(), owners=True), BOARD_COLUMNS,
                                 file, title="Board queue", about=ABOUT)
    assert written == len(titles)
    book = openpyxl.load_workbook(path)
    sheet = book["Board queue"]
    cells = {row[1].value: row for row in sheet.iter_rows(min_row=2) if row[0].value is not None}
    for title in titles:
        assert cells[title][1].data_type == "s" and cells[title][1].quotePrefix, title
    assert [[cell.value for cell in row] for row in book["About this list"].iter_rows()] == [
        ["Search", "fax"], ["Sorted", "Newest first"]]
    recomputed = recalculated_by_libreoffice(path, tmp_path)
    total = next(row for row in recomputed["Board queue"] if row[0] == "Total")
    supporters, hours = total[7], total[8]
    assert float(supporters) == 0
    assert float(hours) == pytest.approx(sum(0.5 * 36 * count * 10 / 60 * 46 for count in range(1, len(titles) + 1)))
    assert recomputed["About this list"][0] == ["Search", "fax"]


def test_a_list_longer_than_a_sheet_continues_on_another_with_the_same_columns(session, tmp_path, monkeypatch):
    """Excel's rows are a million; here a sheet holds two, so three nominations need two sheets."""
    monkeypatch.setattr(export, "ROWS_PER_SHEET", 2)
    for number in range(3):
        make_nomination(session, title=f"Fax cover sheet {number}")
    path = tmp_path / "nominations.xlsx"
    with path.open("wb") as file:
        written = write_workbook(every_listed(session=session, filters=Filters()), NOMINATION_COLUMNS, file,
                                 title="Nominations", about=ABOUT)
    book = openpyxl.load_workbook(path)
    assert written == 3 and book.sheetnames == ["Nominations", "Nominations (2)", "About this list"]
    headers = [[cell.value for cell in book[name][1]] for name in ("Nominations", "Nominations (2)")]
    assert headers[0] == headers[1]
    listed = [row[1] for name in ("Nominations", "Nominations (2)")
              for row in book[name].iter_rows(min_row=2, values_only=True) if isinstance(row[0], int)]
    assert sorted(listed) == [f"Fax cover sheet {number}" for number in range(3)]

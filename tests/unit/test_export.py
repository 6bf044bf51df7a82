"""Text a person typed stays text in a workbook: never a formula, never an error, never a crash."""

import pytest
from openpyxl import Workbook, load_workbook

from burden_tracker.export import EXCEL_MAX_TEXT, REPLACEMENT, as_text, text_cell
from tests.support.spreadsheets import FORMULA_LIKE, recalculated_by_libreoffice

ILLEGAL = [chr(code) for code in [*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0xD800, 0xDFFF, 0xFFFE,
                                  0xFFFF]]


@pytest.mark.parametrize("character", ILLEGAL, ids=[f"x{ord(c):02x}" for c in ILLEGAL])
def test_characters_a_worksheet_cannot_hold_are_replaced(character):
    assert as_text(f"before{character}after") == f"before{REPLACEMENT}after"


def test_tab_and_line_breaks_are_kept_with_line_breaks_as_excel_writes_them():
    assert as_text("one\ttwo\r\nthree\rfour\nfive") == "one\ttwo\nthree\nfour\nfive"


def test_text_longer_than_a_cell_holds_is_cut_with_an_ellipsis():
    text = as_text("x" * (EXCEL_MAX_TEXT + 10))
    assert len(text) == EXCEL_MAX_TEXT and text.endswith("…")
    assert as_text("x" * EXCEL_MAX_TEXT) == "x" * EXCEL_MAX_TEXT


def test_length_is_counted_as_excel_counts_it_with_emoji_taking_two():
    text = as_text("\N{PARTY POPPER}" * 20_000)  # 40,000 of Excel's units
    assert len(text.encode("utf-16-le")) // 2 <= EXCEL_MAX_TEXT and text.endswith("…")
    assert len(text) == 16_383 + 1


def test_every_formula_like_string_and_control_character_reads_back_as_the_same_text(tmp_path):
    values = [*FORMULA_LIKE, *(f"a{c}b" for c in ILLEGAL)]
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Text")
    for value in values:
        sheet.append([text_cell(sheet, value)])
    path = tmp_path / "text.xlsx"
    workbook.save(path)

    expected = [as_text(value) for value in values]
    cells = [row[0] for row in load_workbook(path)["Text"].iter_rows()]
    assert [c.value for c in cells] == expected
    assert {c.data_type for c in cells} == {"s"}
    assert {c.quotePrefix for c in cells} == {True}  # Excel keeps them text when edited, too
    shown = [row[0] for row in recalculated_by_libreoffice(path, tmp_path)["Text"]]
    assert shown == expected

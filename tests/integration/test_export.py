"""The quarterly workbook, read back by openpyxl and recomputed by LibreOffice, against the reports' queries."""

import re
from datetime import date

import openpyxl
import pytest

from burden_tracker import hours
from burden_tracker.enums import Role
from burden_tracker.export import write_workbook
from burden_tracker.models import Settings
from burden_tracker.queries import reporting
from tests.support.factories import make_user
from tests.support.reporting_data import BOARD_MEMBER, build_program
from tests.support.spreadsheets import recalculated_by_libreoffice, row_labelled, xml_parts
from tests.support.web import sign_in

Q3 = hours.Quarter(2026, 3)
SHEETS = ["Summary", "Retired", "Pipeline", "By department", "By category", "Decisions", "Assumptions"]


def export(session, path, quarter=Q3):
    write_workbook(session=session, quarter=quarter, destination=path, generated_by="Test Runner")
    return path


@pytest.fixture
def program(session):
    return build_program(session)


@pytest.fixture
def workbook_path(session, program, tmp_path):
    return export(session, tmp_path / "q3.xlsx")


def number(text: str) -> float:
    return float(text)


def test_the_sheets_are_those_of_the_product_in_order(workbook_path):
    assert openpyxl.load_workbook(workbook_path).sheetnames == SHEETS


def test_libreoffice_recomputes_the_services_figures(session, workbook_path, tmp_path):
    """One conversion (they take seconds) checks the Summary's formulas and every sheet's totals."""
    figures = reporting.quarter_figures(session=session, quarter=Q3)
    sheets = recalculated_by_libreoffice(workbook_path, tmp_path)
    summary = sheets["Summary"]
    expected = {
        "Nominations received in the quarter": figures.received,
        "Evaluated in the quarter": figures.evaluated,
        "Retired in the quarter": figures.retired,
        "Rejected in the quarter": figures.rejected,
        "Open pipeline at the quarter's end": figures.open_at_end,
        "Retired by the quarter's end": figures.retired_by_end,
        "Hours realized in the quarter": figures.realized_hours,
        "Hours a year from everything retired by the quarter's end": figures.annualized_hours,
        "FTE of those hours": figures.annualized_fte,
        "Cost realized in the quarter (USD)": figures.realized_cost,
        "Cost a year of everything retired (USD)": figures.annualized_cost,
        "Potential hours a year in the open pipeline": figures.potential_hours,
        "Potential FTE in the open pipeline": figures.potential_fte,
    }
    for label, value in expected.items():
        assert number(row_labelled(summary, label)[1]) == pytest.approx(value, rel=1e-9), label
    quarters = [row[0] for row in summary if re.fullmatch(r"\d{4}-Q\d", row[0])]
    assert quarters == [str(q) for q in Q3.last(8)]
    retired, pipeline = sheets["Retired"], sheets["Pipeline"]
    header, total = retired[0], row_labelled(retired, "Total")
    assert number(total[header.index("Hours realized in the quarter")]) == pytest.approx(figures.realized_hours)
    assert number(total[header.index("Hours a year")]) == pytest.approx(figures.annualized_hours)
    assert number(total[header.index("Cost a year (USD)")]) == pytest.approx(figures.annualized_cost)
    header, total = pipeline[0], row_labelled(pipeline, "Total")
    assert number(total[header.index("Potential hours a year")]) == pytest.approx(figures.potential_hours)
    for sheet, by in (("By department", "department"), ("By category", "category")):
        header, total = sheets[sheet][0], row_labelled(sheets[sheet], "Total")
        assert number(total[header.index("Hours realized in the quarter")]) == pytest.approx(figures.realized_hours)
        assert int(total[header.index("Received")]) == figures.received
        groups = reporting.breakdown(session=session, quarter=Q3, by=by)
        assert [row[0] for row in sheets[sheet][1:-1]] == [group.label for group in groups]


def test_totals_are_sum_formulas_over_the_rows_they_total(workbook_path):
    sheet = openpyxl.load_workbook(workbook_path)["Retired"]
    assert sheet.cell(sheet.max_row, 15).value == f"=SUM(O2:O{sheet.max_row - 1})"
    summary = openpyxl.load_workbook(workbook_path)["Summary"]
    assert row_value(summary, "Hours realized in the quarter") == f"='Retired'!$O${sheet.max_row}"


def row_value(sheet, label):
    return next(row[1] for row in sheet.iter_rows(values_only=True) if row[0] == label)


def test_retired_lists_everything_retired_by_the_quarters_end_with_the_days_that_count(workbook_path, program):
    sheet = openpyxl.load_workbook(workbook_path)["Retired"]
    header = [c.value for c in sheet[1]]
    rows = {row[1]: dict(zip(header, row, strict=True))
            for row in sheet.iter_rows(min_row=2, max_row=sheet.max_row - 1, values_only=True)}
    assert set(rows) == {n.title for n in (program.before, program.mid, program.first_day, program.last_day)}
    assert sheet.cell(sheet.max_row, 1).value == "Total"
    assert rows[program.before.title]["Days counted in the quarter"] == 92
    assert rows[program.mid.title]["Days counted in the quarter"] == 46
    assert rows[program.first_day.title]["Days counted in the quarter"] == 92
    assert rows[program.last_day.title]["Days counted in the quarter"] == 1
    assert rows[program.mid.title]["Retired on"].date() == date(2026, 8, 16)
    assert rows[program.mid.title]["What changed"] == "Retired mid-quarter stopped."


def test_pipeline_holds_what_was_open_at_the_quarters_end_in_its_state_then(workbook_path, program):
    sheet = openpyxl.load_workbook(workbook_path)["Pipeline"]
    states = {row[1]: row[6] for row in sheet.iter_rows(min_row=2, max_row=sheet.max_row - 1, values_only=True)}
    assert states == {program.decided_later.title: "evaluated", program.proposed.title: "proposed",
                      program.evaluated_late.title: "evaluated"}


def test_decisions_are_the_quarters_state_changes(workbook_path, program):
    sheet = openpyxl.load_workbook(workbook_path)["Decisions"]
    moves = [(row[1], row[3], row[4], row[5]) for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert moves == [(program.rejected.id, "proposed", "rejected", BOARD_MEMBER),
                     (program.mid.id, "evaluated", "retired", BOARD_MEMBER),
                     (program.after.id, "evaluated", "retired", BOARD_MEMBER),
                     (program.last_day.id, "evaluated", "retired", BOARD_MEMBER),
                     (program.evaluated_late.id, "proposed", "evaluated", BOARD_MEMBER)]


def test_every_data_sheet_has_a_frozen_header_filters_widths_and_number_formats(workbook_path):
    book = openpyxl.load_workbook(workbook_path)
    for name in SHEETS[1:]:
        sheet = book[name]
        assert sheet.freeze_panes == "A2", name
        assert sheet["A1"].font.b, name
        assert sheet.column_dimensions["B"].width > 8, name
    for name in SHEETS[1:6]:
        assert book[name].auto_filter.ref.startswith("A1:"), name
    retired = book["Retired"]
    header = [c.value for c in retired[1]]
    assert retired.cell(2, header.index("Hours a year") + 1).number_format == "#,##0.0"
    assert retired.cell(2, header.index("Cost a year (USD)") + 1).number_format == '"$"#,##0.00'
    assert retired.cell(2, header.index("Retired on") + 1).number_format == "yyyy-mm-dd"


def test_summary_carries_two_native_charts(workbook_path):
    charts = [name for name in xml_parts(workbook_path) if re.fullmatch(r"xl/charts/chart\d+\.xml", name)]
    assert len(charts) == 2
    chart_xml = " ".join(xml_parts(workbook_path)[name] for name in charts)
    assert "Hours realized by quarter" in chart_xml and "'By department'!" in chart_xml


def test_assumptions_hold_every_setting_and_formula(workbook_path):
    rows = {row[0]: row[1] for row in openpyxl.load_workbook(workbook_path)["Assumptions"].iter_rows(
        min_row=2, values_only=True)}
    assert rows["Working weeks per year"] == 46 and rows["FTE hours per year"] == 2080
    assert rows["Fiscal year starts in month"] == 1 and rows["Hourly rate (USD): nurse"] == 47
    assert rows["Formula: hours a year"] == "weekly hours × working weeks per year"
    assert rows["Generated by"] == "Test Runner" and rows["Burden Tracker version"]


def test_a_fiscal_year_starting_in_july_reports_july_to_september_as_q1(session, tmp_path):
    build_program(session, fiscal_year_start_month=7)
    quarter = reporting.parse_quarter(session=session, text="2027-Q1")
    path = export(session, tmp_path / "fy.xlsx", quarter)
    sheets = recalculated_by_libreoffice(path, tmp_path)
    figures = reporting.quarter_figures(session=session, quarter=quarter)
    assert figures.realized_hours > 0
    summary = sheets["Summary"]
    assert summary[0][0] == "Burden Tracker quarterly report FY2027-Q1"
    assert summary[1][0] == "1 July 2026 to 30 September 2026"
    assert number(row_labelled(summary, "Hours realized in the quarter")[1]) == pytest.approx(figures.realized_hours)
    assert [row[0] for row in summary if re.fullmatch(r"FY\d{4}-Q\d", row[0])][-2:] == ["FY2026-Q4", "FY2027-Q1"]
    assert row_labelled(sheets["Assumptions"], "Fiscal year starts in month")[1] == "7"
    assert row_labelled(sheets["Assumptions"], "Months")[1] == "July–September 2026"


def test_the_quarter_under_way_says_to_date_through_which_day_and_projects_to_its_end(session, program, tmp_path):
    settings = session.get(Settings, 1)
    settings.time_zone = "America/Chicago"
    session.commit()
    q4, today = Q3.next(), date(2026, 11, 10)
    path = tmp_path / "q4.xlsx"
    write_workbook(session=session, quarter=q4, destination=path, generated_by="Test Runner", today=today)
    sheets = recalculated_by_libreoffice(path, tmp_path)
    figures = reporting.quarter_figures(session=session, quarter=q4, today=today)
    summary, assumptions = sheets["Summary"], sheets["Assumptions"]
    realized = row_labelled(summary, "Hours realized in the quarter to date (through 9 November 2026)")
    projected = row_labelled(summary, "Hours projected to the quarter's end, from what is retired now")
    assert number(realized[1]) == pytest.approx(figures.realized_hours) and figures.realized_hours > 0
    assert number(projected[1]) == pytest.approx(figures.projected_hours)
    assert figures.projected_hours > figures.realized_hours
    assert row_labelled(assumptions, "Time zone of the organization")[1] == "America/Chicago"
    assert row_labelled(assumptions, "Hours realized counted through")[1] == "2026-11-09"
    assert row_labelled(assumptions, "Today there")[1] == "2026-11-10"


def test_an_empty_quarter_still_makes_a_workbook_that_adds_up_to_zero(session, tmp_path):
    path = export(session, tmp_path / "empty.xlsx")
    sheets = recalculated_by_libreoffice(path, tmp_path)
    assert number(row_labelled(sheets["Summary"], "Hours realized in the quarter")[1]) == 0
    assert row_labelled(sheets["Retired"], "Total")


def test_the_command_line_writes_the_workbook_where_asked(runner, program, tmp_path):
    out = tmp_path / "board pack" / "q3.xlsx"
    out.parent.mkdir()
    result = runner.invoke(args=["export", "--quarter", "2026-Q3", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert f"Wrote the 2026-Q3 workbook to {out}" in result.output
    assert openpyxl.load_workbook(out).sheetnames == SHEETS
    assert [p.name for p in out.parent.iterdir()] == ["q3.xlsx"]  # no partial file left behind


def test_the_command_line_takes_a_fiscal_quarter_either_way_and_names_the_file_fy(runner, session, tmp_path,
                                                                                  monkeypatch):
    build_program(session, fiscal_year_start_month=7)
    monkeypatch.chdir(tmp_path)
    for asked in ("2027-Q1", "FY2027-Q1"):
        result = runner.invoke(args=["export", "--quarter", asked])
        assert result.exit_code == 0, result.output
        assert "Wrote the FY2027-Q1 workbook to burden-tracker-FY2027-Q1.xlsx." in result.output
    assert [path.name for path in tmp_path.glob("*.xlsx")] == ["burden-tracker-FY2027-Q1.xlsx"]


@pytest.mark.parametrize("quarter,message", [("2026-Q5", "a year has four, Q1 to Q4"),
                                             ("Q3-2026", "write it like 2026-Q3"),
                                             ("last quarter", "write it like 2026-Q3")])
def test_the_command_line_refuses_a_quarter_it_cannot_read(runner, tmp_path, quarter, message):
    result = runner.invoke(args=["export", "--quarter", quarter, "--out", str(tmp_path / "x.xlsx")])
    assert result.exit_code != 0
    assert message in result.output
    assert not (tmp_path / "x.xlsx").exists()


def test_the_command_line_says_when_it_cannot_write_and_leaves_nothing(runner, tmp_path):
    reports = tmp_path / "reports"
    reports.mkdir()
    result = runner.invoke(args=["export", "--quarter", "2026-Q3", "--out", str(reports / "missing" / "q3.xlsx")])
    assert result.exit_code != 0
    assert "Could not write" in result.output and "No such file or directory" in result.output
    assert list(reports.iterdir()) == []


def test_the_web_download_is_the_same_workbook(client, session, program, tmp_path):
    reader = make_user(session, Role.EXECUTIVE, name="Jordan Blake", can_sign_in=True)
    session.commit()
    sign_in(client, reader.email)
    response = client.get("/reports/2026-Q3.xlsx")
    assert response.status_code == 200
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert 'filename=burden-tracker-2026-Q3.xlsx' in response.headers["Content-Disposition"]
    assert response.headers["Cache-Control"] == "private, no-store"
    path = tmp_path / "download.xlsx"
    path.write_bytes(response.get_data())
    response.close()
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == SHEETS
    assigned = {row[0]: row[1] for row in book["Assumptions"].iter_rows(values_only=True)}
    assert assigned["Generated by"] == "Jordan Blake"
    figures = reporting.quarter_figures(session=session, quarter=Q3)
    assert [row[1] for row in book["Summary"].iter_rows(values_only=True)
            if row[0] == "Nominations received in the quarter"] == [figures.received]


def test_the_web_download_answers_404_for_a_quarter_it_cannot_read(client, session):
    reader = make_user(session, Role.BOARD, can_sign_in=True)
    session.commit()
    sign_in(client, reader.email)
    response = client.get("/reports/2026-Q7.xlsx")
    assert response.status_code == 404
    assert "“2026-Q7” is not a quarter: a year has four, Q1 to Q4." in response.get_data(as_text=True)

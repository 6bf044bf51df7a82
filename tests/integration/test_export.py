"""The quarterly workbook, read back by openpyxl and recomputed by LibreOffice, against the reports' queries."""

import html
import re
from datetime import date

import openpyxl
import pytest

from burden_tracker import hours
from burden_tracker.enums import Outcome, Role
from burden_tracker.export import write_workbook
from burden_tracker.models import Department, Settings, Site
from burden_tracker.queries import closed_quarters, executive, reporting
from burden_tracker.services.closing import close_quarter
from tests.support.factories import make_user
from tests.support.reporting_data import BOARD_MEMBER, build_program
from tests.support.spreadsheets import recalculated_by_libreoffice, row_labelled, xml_parts
from tests.support.web import sign_in

Q3 = hours.Quarter(2026, 3)
SHEETS = ["Summary", "Retired", "Pipeline", "Retiring soon", "By site", "By department", "By category", "Decisions",
          "Measured impact", "Assumptions"]


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


def annual(nomination) -> float:
    return hours.annual_hours(hours.weekly_hours(*nomination.estimate), 46)


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
        "Decided to retire in the quarter": figures.decided_to_retire,
        "Retired in the quarter (effective)": figures.retired,
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
        "Retiring soon: decided by the quarter's end, effective after it": figures.retiring_soon,
        "Hours a year retiring soon, from their effective dates": figures.retiring_soon_hours,
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
    for sheet, by in (("By site", "site"), ("By department", "department"), ("By category", "category")):
        header, total = sheets[sheet][0], row_labelled(sheets[sheet], "Total")
        assert number(total[header.index("Hours realized in the quarter")]) == pytest.approx(figures.realized_hours)
        assert int(total[header.index("Received")]) == figures.received
        groups = reporting.breakdown(session=session, quarter=Q3, by=by)
        assert [row[0] for row in sheets[sheet][1:-1]] == [group.label for group in groups]


def test_the_by_site_sheet_counts_each_sites_departments_together(session, program, tmp_path):
    queens = Site(name="Queen's Medical Center")
    session.add(queens)
    session.commit()
    cardiology = session.get(Department, program.before.department_id)
    cardiology.site_id = queens.id
    session.commit()
    rows = list(openpyxl.load_workbook(export(session, tmp_path / "q3.xlsx"))["By site"].iter_rows(values_only=True))
    named = {row[0]: row for row in rows[1:] if row[0] not in (None, "Total")}
    assert list(named) == ["Main site", "Queen's Medical Center"]
    retired_by_end = rows[0].index("Retired by the quarter's end")
    assert (named["Main site"][retired_by_end], named["Queen's Medical Center"][retired_by_end]) == (3, 1)


def test_a_quarter_closed_before_sites_were_counted_keeps_its_workbook_without_a_by_site_sheet(session, program,
                                                                                                tmp_path):
    closing = close_quarter(session=session, quarter=Q3, actor_id=None, closed_by="an operator")
    stored = closed_quarters.loads(closing.report)
    del stored["breakdowns"]["site"]  # as a quarter closed by an earlier version stored it
    closing.report = closed_quarters.dumps(stored)
    session.commit()
    assert "By site" not in openpyxl.load_workbook(export(session, tmp_path / "q3.xlsx")).sheetnames


def test_the_summary_gives_the_hours_a_year_retired_by_how_each_burden_was_resolved(session, program, tmp_path):
    program.before.outcome = program.mid.outcome = Outcome.REPLACED
    session.commit()
    summary = {row[0]: row[1] for row in openpyxl.load_workbook(export(session, tmp_path / "q3.xlsx"))[
        "Summary"].iter_rows(values_only=True) if row and row[0]}
    assert summary["Hours a year retired, resolved as replaced (2 retirements)"] == pytest.approx(
        annual(program.before) + annual(program.mid))
    assert summary["Hours a year retired, their outcome not recorded (2 retirements)"] == pytest.approx(
        annual(program.first_day) + annual(program.last_day))
    assert not any(str(label).startswith("Hours a year retired, resolved as removed") for label in summary)


def test_totals_are_sum_formulas_over_the_rows_they_total(workbook_path):
    sheet = openpyxl.load_workbook(workbook_path)["Retired"]
    assert sheet.cell(sheet.max_row, 15).value == f"=SUM(O2:O{sheet.max_row - 1})"
    summary = openpyxl.load_workbook(workbook_path)["Summary"]
    check = row_cells(summary, "Hours realized in the quarter")[2]
    assert check == f"=ABS(B12-'Retired'!$O${sheet.max_row})<0.001"  # the stored figure against the sheet's SUM


def row_cells(sheet, label):
    return next(row for row in sheet.iter_rows(values_only=True) if row[0] == label)


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


def chart_parts(path) -> list[str]:
    return [part for name, part in xml_parts(path).items() if re.fullmatch(r"xl/charts/chart\d+\.xml", name)]


def test_summary_carries_two_native_charts_with_the_departments_ranked_by_hours(session, program, workbook_path):
    charts = chart_parts(workbook_path)
    assert len(charts) == 2
    chart_xml = " ".join(charts)
    assert "Hours realized by quarter" in chart_xml and "Hours a year retired, by department" in chart_xml
    assert '<c:orientation val="maxMin"/>' in chart_xml or '<orientation val="maxMin"/>' in chart_xml
    rows = list(openpyxl.load_workbook(workbook_path)["Summary"].iter_rows(values_only=True))
    start = [row[0] for row in rows].index("Department, most hours first") + 1
    ranked = [(row[0], row[1]) for row in rows[start:] if row[0]]
    groups = reporting.breakdown(session=session, quarter=Q3, by="department")
    expected = sorted(((g.label, g.figures.annualized_hours) for g in groups), key=lambda pair: -pair[1])
    assert [label for label, _ in ranked] == [label for label, _ in expected] and len(ranked) == 2
    assert [hours_ for _, hours_ in ranked] == pytest.approx([hours_ for _, hours_ in expected])
    assert f"'Summary'!$A${start + 1}:$A${start + 2}" in chart_xml  # the chart reads the ranked rows


def test_every_sheet_prints_landscape_one_page_wide_with_its_header_row_title_and_page_numbers(workbook_path):
    parts = xml_parts(workbook_path)
    sheets = [part for name, part in sorted(parts.items()) if re.fullmatch(r"xl/worksheets/sheet\d+\.xml", name)]
    assert len(sheets) == len(SHEETS)
    for part in sheets:
        assert '<pageSetUpPr fitToPage="1"/>' in part
        page_setup = re.search(r"<pageSetup [^>]*>", part)[0]
        assert 'orientation="landscape"' in page_setup and 'fitToWidth="1"' in page_setup
        assert "&CBurden Tracker 2026-Q3 (Jul–Sep 2026): " in html.unescape(part)
        assert "&CPage &P of &N" in html.unescape(part)
    assert 'fitToHeight="1"' in re.search(r"<pageSetup [^>]*>", sheets[0])[0]  # the Summary on one page
    names = parts["xl/workbook.xml"]
    assert all(f"'{title}'!$1:$1" in names or f"{title}!$1:$1" in names for title in SHEETS[1:])


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
    assert summary[1][0] == "1 July 2026 to 30 September 2026. Not closed: these figures may change."
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
    compared = row_labelled(summary, "Against the previous quarter, and the fiscal year to date")
    assert compared[1:3] == ["2026-Q4 to date", "2026-Q3"]  # a part of a quarter, beside a whole one


def test_every_summary_figure_is_a_stored_number_and_every_check_recomputes_true(session, program,
                                                                               workbook_path, tmp_path):
    """A viewer that does not recalculate reads the stored numbers; LibreOffice recomputes each check."""
    figures = reporting.quarter_figures(session=session, quarter=Q3)
    stored = openpyxl.load_workbook(workbook_path)["Summary"]
    rows = list(stored.iter_rows(min_row=5, values_only=True))
    headline = {row[0]: (row[1], row[2]) for row in rows[:[row[0] for row in rows].index(None)]}
    assert headline["Hours realized in the quarter"][0] == pytest.approx(figures.realized_hours)
    assert headline["Open pipeline at the quarter's end"][0] == figures.open_at_end
    assert all(isinstance(value, int | float) for value, _ in headline.values()), headline
    assert all(str(check).startswith("=") for _, check in headline.values())
    recalculated = recalculated_by_libreoffice(workbook_path, tmp_path)["Summary"]
    checks = {row[0]: row[2] for row in recalculated[4:4 + len(headline)]}
    assert set(checks) == set(headline) and set(checks.values()) == {"TRUE"}, checks


def test_the_summary_sets_the_quarter_against_the_last_and_the_year_and_names_its_largest_wins(
        session, program, workbook_path):
    rows = list(openpyxl.load_workbook(workbook_path)["Summary"].iter_rows(values_only=True))
    labels = [row[0] for row in rows]
    start = labels.index("Against the previous quarter, and the fiscal year to date")
    assert rows[start][1:5] == ("2026-Q3", "2026-Q2", "Change", "2026 to date")
    history = reporting.history(session=session, quarter=Q3)
    year = executive.year_to_date(history)
    received = rows[labels.index("Nominations received", start)]
    assert received[1:5] == (history[-1][1].received, history[-2][1].received,
                             history[-1][1].received - history[-2][1].received, year.received)
    wins = labels.index("The quarter's largest wins")
    largest = sorted((program.first_day, program.mid, program.last_day), key=lambda n: -annual(n))
    assert [row[0] for row in rows[wins + 1:wins + 4]] == [n.title for n in largest]
    assert rows[labels.index("Annual target")][1] == "none set (an admin sets one on the settings page)"
    q3 = history[-1][1]
    by_basis = {row[0]: row[1] for row in rows if row[0] and row[0].startswith(("Hours a year retired, on",
                                                                                "Potential hours a year, on"))}
    assert by_basis == {
        "Hours a year retired, on the board's validated estimate": pytest.approx(q3.annualized_hours_board),
        "Hours a year retired, on the submitter's estimate alone": pytest.approx(
            q3.annualized_hours - q3.annualized_hours_board),
        "Potential hours a year, on the board's validated estimate": pytest.approx(q3.potential_hours_board),
        "Potential hours a year, on the submitter's estimate alone": pytest.approx(
            q3.potential_hours - q3.potential_hours_board)}
    reading = labels.index("How to read these figures")
    assert rows[reading + 1][0].startswith("Freed time is clinicians' time given back to care, not a cash saving")


def test_a_retirement_effective_after_the_quarter_is_listed_as_retiring_soon(session, program, workbook_path,
                                                                            tmp_path):
    sheets = recalculated_by_libreoffice(workbook_path, tmp_path)
    soon = sheets["Retiring soon"]
    header = soon[0]
    [row] = soon[1:-1]  # between the header and the totals
    assert row[header.index("Title")] == "Retired in October"
    assert row[header.index("Effective (retired on)")] == "2026-10-03"
    assert row[header.index("Decided (UTC)")].startswith("2026-09-20")
    assert number(row_labelled(soon, "Total")[header.index("Hours a year from then")]) == pytest.approx(
        annual(program.after))


def test_the_summary_accounts_for_every_move_on_the_decisions_sheet_and_libreoffice_agrees(session, program,
                                                                                          workbook_path, tmp_path):
    sheets = recalculated_by_libreoffice(workbook_path, tmp_path)
    summary, decisions = sheets["Summary"], sheets["Decisions"]
    block = summary[[row[0] for row in summary].index("Moves in the quarter, as the Decisions sheet lists them") + 1:]
    moves = {row[0]: (int(float(row[1])), row[2]) for row in block[:7]}
    assert moves["All moves"][0] == len(decisions) - 1 == sum(count for label, (count, _) in moves.items()
                                                             if label != "All moves")
    assert moves["To retired (decided; effective on its retired on date)"][0] == 3
    assert {check for _, check in moves.values()} == {"TRUE"}


def test_an_empty_quarter_still_makes_a_workbook_that_adds_up_to_zero(session, tmp_path):
    path = export(session, tmp_path / "empty.xlsx")
    assert chart_parts(path) == []  # no empty charts: the Summary says why instead
    sheets = recalculated_by_libreoffice(path, tmp_path)
    assert row_labelled(sheets["Summary"], "No retirements yet: the charts of hours given back appear with the first.")
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

"""Importing nominations from .xlsx and .csv, as a program moving off its spreadsheet would."""

import csv
import gc
import re
import zipfile
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import select

from burden_tracker.enums import AffectedRole, EventKind, Outcome, RequirementSource, Role, State
from burden_tracker.errors import DomainError
from burden_tracker.hours import Quarter, on_clocks_of
from burden_tracker.models import AffectedDepartment, Category, Department, Event, Nomination, Settings, User
from burden_tracker.queries import reporting
from burden_tracker.queries.measured_impact import affected_department_ids
from burden_tracker.services.importer import import_file
from tests.support.factories import make_department, make_nomination, make_user
from tests.support.web import count

TODAY = date(2026, 7, 15)
SUBMITTED = date(2026, 1, 5)

VALID = {
    "title": "Pain score charted in two flowsheet rows",
    "description": "Nurses chart the same pain reassessment twice; the second row feeds no report.",
    "category": "task",
    "department": "Emergency Department",
    "affected_role": "nurse",
    "minutes_per_occurrence": 0.5,
    "occurrences_per_week": 36,
    "clinicians_affected": 200,
    "requirement_source": "internal policy",
}


def nomination_row(**overrides) -> dict:
    return {**VALID, **overrides}


def write_sheet(path: Path, rows: list[dict], headers: list[str] | None = None) -> Path:
    """One header row, then one line per dict ({} is a blank line); None is an empty cell.

    Headers are the rows' keys in order of appearance unless given. Dates stay dates in .xlsx
    (real Excel date cells) and become ISO text in .csv.
    """
    headers = headers or list(dict.fromkeys(key for row in rows for key in row))
    lines = [[row.get(header) for header in headers] if row else [] for row in rows]
    if path.suffix == ".xlsx":
        book = Workbook()
        sheet = book.active
        sheet.append(headers)
        for line in lines:
            sheet.append(line)
        book.save(path)
    else:
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(headers)
            writer.writerows(["" if value is None else value for value in line] for line in lines)
    return path


def nominations(session) -> list[Nomination]:
    return list(session.scalars(select(Nomination).order_by(Nomination.id)))


def events(session) -> list[Event]:
    return list(session.scalars(select(Event).order_by(Event.nomination_id, Event.id)))


def deciding(session) -> list[Event]:
    """Each nomination's last event: the move that decided its state, or its arrival."""
    last = {}
    for event in events(session):
        last[event.nomination_id] = event
    return list(last.values())


def category_id(session, name: str) -> int:
    return session.scalar(select(Category.id).where(Category.name == name))


def errors_of(report) -> list[tuple[int, str]]:
    return [(error.row, error.column) for error in report.errors]


def claim_used_range_is_only_a1(path: Path) -> None:
    """Rewrite the sheet's <dimension> as some programs write it: A1, whatever the sheet holds."""
    with zipfile.ZipFile(path) as original:
        parts = {item: original.read(item) for item in original.namelist()}
    sheet = "xl/worksheets/sheet1.xml"
    parts[sheet], replaced = re.subn(rb'<dimension ref="[^"]*"\s*/>', b'<dimension ref="A1"/>', parts[sheet])
    assert replaced == 1
    with zipfile.ZipFile(path, "w") as rewritten:
        for item, data in parts.items():
            rewritten.writestr(item, data)


@pytest.fixture
def emergency(session) -> Department:
    return make_department(session, "Emergency Department")


@pytest.fixture(params=["csv", "xlsx"])
def sheet_path(request, tmp_path) -> Path:
    return tmp_path / f"nominations.{request.param}"


# Reading the sheet


def test_a_row_imports_with_every_value_it_gives(session, emergency, sheet_path):
    write_sheet(sheet_path, [
        nomination_row(),
        nomination_row(title="Exactly forty hours a week of clicks", minutes_per_occurrence=2.4,
                       occurrences_per_week=1000, clinicians_affected=3, affected_role="physician",
                       requirement_source="payer", suggested_change="Drop the second row.",
                       submitted_on="2026-02-01"),
    ])

    report = import_file(session=session, path=sheet_path, today=TODAY)

    assert report.ok and report.imported == 2 and report.rows == 2
    first, second = nominations(session)
    assert (first.title, first.description) == (VALID["title"], VALID["description"])
    assert (first.category_id, first.department_id) == (category_id(session, "task"), emergency.id)
    assert (first.affected_role, first.requirement_source) == (AffectedRole.NURSE, RequirementSource.INTERNAL_POLICY)
    assert (first.minutes_per_occurrence, first.occurrences_per_week, first.clinicians_affected) == (0.5, 36, 200)
    assert (second.minutes_per_occurrence, second.occurrences_per_week) == (2.4, 1000)  # 40 hours is allowed
    assert (second.affected_role, second.requirement_source) == (AffectedRole.PHYSICIAN, RequirementSource.PAYER)
    assert second.suggested_change == "Drop the second row."
    assert second.submitted_on == date(2026, 2, 1)


def test_a_retired_rows_outcome_is_kept_in_any_case_and_a_blank_one_is_not_recorded(session, emergency, sheet_path):
    write_sheet(sheet_path, [nomination_row(title="Fax cover sheet", status="retired", retired_on="2026-03-01",
                                            submitted_on="2026-01-05",
                                            outcome="Clarified"),
                             nomination_row(title="Pain row", status="retired", retired_on="2026-03-01", outcome="",
                                            submitted_on="2026-01-05")])
    assert import_file(session=session, path=sheet_path, today=TODAY).ok
    assert [n.outcome for n in nominations(session)] == [Outcome.CLARIFIED, None]


def test_optional_columns_default_to_today_proposed_and_not_anonymous(session, emergency, tmp_path):
    path = write_sheet(tmp_path / "minimal.csv", [nomination_row()])

    import_file(session=session, path=path)

    [nomination] = nominations(session)
    assert nomination.submitted_on == date.today()
    assert nomination.state is State.PROPOSED
    assert nomination.anonymous is False
    assert nomination.submitter_id is None
    assert [event.at.date() for event in events(session)] == [date.today()]


def test_headers_ignore_case_spaces_and_underscores(session, emergency, sheet_path):
    headers = ["TITLE", "Description", " category ", "DePaRtMeNt", "Affected Role", "Minutes per occurrence",
               "OCCURRENCES_PER_WEEK", "clinicians  affected", "Requirement_Source", "Submitted On", "Status"]
    values = [*VALID.values(), "2026-01-05", "proposed"]
    write_sheet(sheet_path, [dict(zip(headers, values, strict=True))])

    report = import_file(session=session, path=sheet_path, today=TODAY)

    assert report.ok and report.warnings == []
    [nomination] = nominations(session)
    assert (nomination.minutes_per_occurrence, nomination.occurrences_per_week) == (0.5, 36)
    assert nomination.submitted_on == SUBMITTED


def test_names_of_category_department_role_source_and_status_ignore_case(session, emergency, sheet_path):
    write_sheet(sheet_path, [nomination_row(
        category="EHR CLICK OR ALERT", department="emergency DEPARTMENT", affected_role="Medical_Assistant",
        requirement_source="ehr BUILD or default", status="Evaluated", submitted_on="2026-01-05")])

    report = import_file(session=session, path=sheet_path, today=TODAY)

    assert report.ok
    [nomination] = nominations(session)
    assert nomination.category_id == category_id(session, "EHR click or alert")
    assert nomination.department_id == emergency.id
    assert nomination.affected_role is AffectedRole.MEDICAL_ASSISTANT
    assert nomination.requirement_source is RequirementSource.EHR_BUILD
    assert nomination.state is State.EVALUATED
    assert count(session, Department) == 1


def test_real_excel_date_cells_and_iso_text_dates_both_import(session, emergency, tmp_path):
    path = write_sheet(tmp_path / "dates.xlsx", [
        nomination_row(title="Dates typed into date cells", status="retired", submitted_on=date(2026, 1, 5),
                       retired_on=datetime(2026, 3, 2, 14, 30), decision_note="Row removed."),
        nomination_row(title="Dates typed as ISO text", status="rejected", submitted_on="2026-01-06",
                       decided_on="2026-02-01", decision_note="Required by CMS."),
        nomination_row(title="Dates in date cells, decided", status="evaluated", submitted_on=datetime(2026, 1, 7),
                       decided_on=date(2026, 2, 3), decision_note="Confirmed."),
        nomination_row(title="A date and time written as text", submitted_on="2026-01-08 00:00:00"),
    ])

    report = import_file(session=session, path=path, today=TODAY)

    assert report.ok, report.errors
    cells, text, decided, date_and_time = nominations(session)
    assert (cells.submitted_on, cells.retired_on) == (date(2026, 1, 5), date(2026, 3, 2))
    assert text.submitted_on == date(2026, 1, 6)
    assert decided.submitted_on == date(2026, 1, 7)
    assert date_and_time.submitted_on == date(2026, 1, 8)
    assert [event.at.date() for event in deciding(session)] == [
        date(2026, 3, 2), date(2026, 2, 1), date(2026, 2, 3), date(2026, 1, 8)]


def test_a_sheets_days_are_the_organizations_and_count_in_their_own_quarter(session, emergency, tmp_path):
    session.get(Settings, 1).time_zone = "America/Chicago"
    session.commit()
    path = write_sheet(tmp_path / "chicago.csv", [
        nomination_row(status="evaluated", submitted_on="2026-09-30", decided_on="2026-10-01",
                       decision_note="Confirmed by the unit managers.")])
    assert import_file(session=session, path=path, today=TODAY.replace(month=12)).ok
    arrival, evaluation = events(session)
    assert on_clocks_of(arrival.at, "UTC") == datetime(2026, 9, 30, 5, 0, tzinfo=UTC)  # midnight, on daylight time
    assert on_clocks_of(evaluation.at, "UTC") == datetime(2026, 10, 1, 5, 0, tzinfo=UTC)
    assert reporting.quarter_figures(session=session, quarter=Quarter(2026, 4)).evaluated == 1
    assert reporting.quarter_figures(session=session, quarter=Quarter(2026, 3)).evaluated == 0


def test_blank_rows_are_skipped_and_rows_keep_their_sheet_numbers(session, emergency, sheet_path):
    blank_with_spaces = dict.fromkeys(VALID, "  ")
    write_sheet(sheet_path, [nomination_row(), {}, blank_with_spaces, nomination_row(minutes_per_occurrence=0), {}])

    report = import_file(session=session, path=sheet_path, today=TODAY)

    assert errors_of(report) == [(5, "minutes_per_occurrence")]

    write_sheet(sheet_path, [nomination_row(), {}, blank_with_spaces, nomination_row(), {}])
    report = import_file(session=session, path=sheet_path, today=TODAY)

    assert report.ok and report.rows == 2 and report.imported == 2
    assert count(session, Nomination) == 2


def test_a_sheet_with_only_its_header_row_imports_nothing_and_says_so(session, emergency, sheet_path):
    write_sheet(sheet_path, [{}], headers=list(VALID))

    report = import_file(session=session, path=sheet_path, today=TODAY)

    assert report.ok and report.imported == 0
    assert report.warnings == ["The file has no rows under its header row: there was nothing to import."]
    assert count(session, Nomination) == 0


def test_an_empty_cell_in_the_middle_of_an_xlsx_row_stays_in_its_column(session, emergency, tmp_path):
    path = write_sheet(tmp_path / "gaps.xlsx", [
        nomination_row(submitted_by=None, submitted_on=None, status="retired", retired_on=TODAY),
    ])

    report = import_file(session=session, path=path, today=TODAY)

    assert report.ok, report.errors
    [nomination] = nominations(session)
    assert (nomination.submitted_on, nomination.retired_on) == (TODAY, TODAY)
    assert nomination.submitter_id is None


def test_an_xlsx_that_misstates_its_used_range_still_imports_every_row(session, emergency, tmp_path):
    path = write_sheet(tmp_path / "from_another_program.xlsx", [nomination_row(), nomination_row()])
    claim_used_range_is_only_a1(path)

    report = import_file(session=session, path=path, today=TODAY)

    assert report.ok, report.errors
    assert report.imported == 2


def test_only_the_first_sheet_of_a_workbook_is_read(session, emergency, tmp_path):
    path = write_sheet(tmp_path / "two_sheets.xlsx", [nomination_row()])
    book = load_workbook(path)
    notes = book.create_sheet("Notes")
    notes.append(["title", "anything"])
    notes.append(["Not a nomination", "at all"])
    book.active = 1  # saved while looking at the notes
    book.save(path)

    report = import_file(session=session, path=path, today=TODAY)

    assert report.ok and report.imported == 1
    assert nominations(session)[0].title == VALID["title"]


def test_a_csv_saved_by_excel_with_a_byte_order_mark_imports(session, emergency, tmp_path):
    path = tmp_path / "excel_utf8.csv"
    with path.open("w", newline="", encoding="utf-8-sig") as handle:
        writer = csv.writer(handle)
        writer.writerow(VALID)
        writer.writerow(VALID.values())

    report = import_file(session=session, path=path, today=TODAY)

    assert report.ok, report.errors
    assert report.imported == 1


def test_a_csv_that_is_not_utf8_is_refused_with_a_clear_message(session, emergency, tmp_path):
    path = tmp_path / "saved_as_windows_1252.csv"
    with path.open("w", newline="", encoding="cp1252") as handle:
        writer = csv.writer(handle)
        writer.writerow(VALID)
        writer.writerow(nomination_row(title="Café order set reviewed twice").values())

    with pytest.raises(DomainError, match="not UTF-8"):
        import_file(session=session, path=path, today=TODAY)
    assert count(session, Nomination) == 0


def test_a_file_named_xlsx_that_is_not_a_workbook_is_refused_with_a_clear_message(session, tmp_path):
    path = tmp_path / "renamed.xlsx"
    path.write_text("title,description\n", encoding="utf-8")

    with pytest.raises(DomainError, match=r"renamed\.xlsx could not be opened as an Excel workbook"):
        import_file(session=session, path=path, today=TODAY)


def test_python_collects_cycles_again_after_an_import_whether_it_worked_or_was_refused(session, emergency,
                                                                                      sheet_path, tmp_path):
    """The import pauses the cycle collector while it works; a process left without it would only grow."""
    write_sheet(sheet_path, [nomination_row()])
    assert import_file(session=session, path=sheet_path, today=TODAY).imported == 1
    assert gc.isenabled()

    broken = tmp_path / "broken.xlsx"
    broken.write_text("not a workbook", encoding="utf-8")
    with pytest.raises(DomainError):
        import_file(session=session, path=broken, today=TODAY)
    assert gc.isenabled()


def test_a_text_file_is_refused_with_a_clear_message(session, tmp_path):
    path = tmp_path / "nominations.txt"
    path.write_text("title,description\n", encoding="utf-8")

    with pytest.raises(DomainError, match=r"nominations\.txt: import reads \.xlsx or \.csv"):
        import_file(session=session, path=path, today=TODAY)


# The header row


def test_a_missing_required_column_is_reported_on_row_1(session, emergency, sheet_path):
    row = nomination_row()
    del row["clinicians_affected"]
    write_sheet(sheet_path, [row])

    report = import_file(session=session, path=sheet_path, today=TODAY)

    assert errors_of(report) == [(1, "clinicians_affected")]
    assert "missing" in report.errors[0].reason
    assert count(session, Nomination) == 0


def test_a_column_named_twice_is_refused(session, emergency, tmp_path):
    path = write_sheet(tmp_path / "twice.csv", [{**nomination_row(), "Title": "The same column again"}])

    report = import_file(session=session, path=path, today=TODAY)

    assert errors_of(report) == [(1, "title")]
    assert "twice" in report.errors[0].reason


def test_unknown_columns_are_ignored_with_a_warning(session, emergency, sheet_path):
    write_sheet(sheet_path, [nomination_row(**{"Ward phone": "x4411", "Priority": "high"})])

    report = import_file(session=session, path=sheet_path, today=TODAY)

    assert report.ok and report.imported == 1
    assert len(report.warnings) == 2
    assert "Ward phone" in report.warnings[0] and "ignored" in report.warnings[0]
    assert "Priority" in report.warnings[1]


# Bad values: all or nothing, every bad row named

BAD_VALUES = [  # (what the row says, the column blamed, words of the reason)
    ({"minutes_per_occurrence": 0}, "minutes_per_occurrence", "must be more than 0"),
    ({"minutes_per_occurrence": -3}, "minutes_per_occurrence", "must be more than 0"),
    ({"minutes_per_occurrence": 481}, "minutes_per_occurrence", "must be at most 480"),
    ({"minutes_per_occurrence": "ten"}, "minutes_per_occurrence", "must be a number"),
    ({"minutes_per_occurrence": "NaN"}, "minutes_per_occurrence", "must be a finite number"),
    ({"minutes_per_occurrence": None}, "minutes_per_occurrence", "is required"),
    ({"occurrences_per_week": "inf"}, "occurrences_per_week", "must be a finite number"),
    ({"occurrences_per_week": 0}, "occurrences_per_week", "must be more than 0"),
    ({"occurrences_per_week": 1000.5}, "occurrences_per_week", "must be at most 1,000"),
    ({"clinicians_affected": 0}, "clinicians_affected", "must be at least 1"),
    ({"clinicians_affected": 100_001}, "clinicians_affected", "must be at most 100,000"),
    ({"clinicians_affected": 12.5}, "clinicians_affected", "must be a whole number"),
    ({"minutes_per_occurrence": 60, "occurrences_per_week": 41}, "minutes_per_occurrence", "more than 40 hours"),
    ({"title": None}, "title", "is required"),
    ({"title": "   "}, "title", "is required"),
    ({"title": "Pain"}, "title", "at least 5 characters"),
    ({"title": "x" * 201}, "title", "at most 200 characters"),
    ({"description": None}, "description", "is required"),
    ({"description": "x" * 5001}, "description", "at most 5,000 characters"),
    ({"department": "x" * 121}, "department", "at most 120 characters"),
    ({"affected_role": "surgeon"}, "affected_role", "must be one of: physician, APP, nurse"),
    ({"affected_role": None}, "affected_role", "is required"),
    ({"requirement_source": "habit"}, "requirement_source", "must be one of: regulation or accreditation"),
    ({"status": "duplicate"}, "status", "must be one of: proposed, evaluated, retired, rejected"),
    ({"status": "Withdrawn"}, "status", "must be one of: proposed, evaluated, retired, rejected"),
    ({"status": "archived"}, "status", "must be one of: proposed, evaluated, retired, rejected"),
    ({"status": "retired"}, "retired_on", "is required when the status is retired"),
    ({"status": "proposed", "retired_on": "2026-03-01"}, "retired_on", "only for retired rows"),
    ({"status": "retired", "retired_on": "2025-12-31"}, "retired_on", "before submitted_on"),
    ({"status": "evaluated", "decided_on": "2025-12-31"}, "decided_on", "before submitted_on"),
    ({"status": "retired", "retired_on": "2026-07-01", "submitted_on": None}, "retired_on",
     "is before submitted_on, which is empty and so taken as today (2026-07-15)"),
    ({"status": "rejected", "decided_on": "2026-07-16"}, "decided_on", "in the future"),
    ({"decided_on": "2026-02-01"}, "decided_on", "only for evaluated and rejected rows"),
    ({"submitted_on": "2026-07-16"}, "submitted_on", "is in the future"),
    ({"submitted_on": "05/01/2026"}, "submitted_on", "must be a date like 2026-07-01"),
    ({"submitted_on": "2026-02-30"}, "submitted_on", "must be a date like 2026-07-01"),
    ({"submitted_by": "nurse at the ED"}, "submitted_by", "is not an email address"),
    ({"anonymous": "maybe"}, "anonymous", "must be yes or no"),
    ({"status": "retired", "retired_on": "2026-03-01", "outcome": "vanished"}, "outcome",
     "must be one of: removed, replaced, reduced, restricted, clarified"),
    ({"status": "evaluated", "outcome": "removed"}, "outcome", "is only for retired rows"),
]


def test_every_kind_of_bad_value_is_refused_with_its_row_column_and_reason(session, emergency, sheet_path):
    base = nomination_row(submitted_on="2026-01-05")
    rows = [{**base, **overrides} for overrides, _column, _reason in BAD_VALUES]
    write_sheet(sheet_path, [base, *rows], headers=[*base, "status", "retired_on", "decided_on",
                                                    "submitted_by", "anonymous", "outcome"])

    report = import_file(session=session, path=sheet_path, today=TODAY)

    expected = [(number, column) for number, (_values, column, _reason) in enumerate(BAD_VALUES, start=3)]
    assert errors_of(report) == expected
    for error, (values, _column, reason) in zip(report.errors, BAD_VALUES, strict=True):
        assert reason in error.reason, (values, str(error))
    assert report.imported == 0
    assert count(session, Nomination) == 0


def test_submitted_today_is_allowed_and_tomorrow_is_in_the_future(session, emergency, tmp_path):
    today = write_sheet(tmp_path / "today.csv", [nomination_row(submitted_on=TODAY.isoformat())])
    tomorrow = write_sheet(tmp_path / "tomorrow.csv", [nomination_row(submitted_on=TODAY + timedelta(days=1))])

    assert import_file(session=session, path=today, today=TODAY).ok
    assert errors_of(import_file(session=session, path=tomorrow, today=TODAY)) == [(2, "submitted_on")]


def test_one_bad_row_imports_nothing_and_creates_nobody(session, emergency, sheet_path):
    write_sheet(sheet_path, [
        nomination_row(submitted_by="first.time@example.org", department="Cardiology", category="Alert fatigue"),
        nomination_row(clinicians_affected=0),
        nomination_row(status="retired", submitted_on="2026-01-05", retired_on="2026-07-01",
                       decision_note="Alert switched off."),
    ])

    report = import_file(session=session, path=sheet_path, create_missing=True, today=TODAY)

    assert errors_of(report) == [(3, "clinicians_affected")]
    assert report.imported == 0
    assert report.created == {"sites": [], "departments": [], "categories": [], "users": []}
    assert count(session, Nomination) == 0
    assert count(session, Event) == 0
    assert count(session, User) == 0
    assert count(session, Department) == 1
    assert count(session, Category, name="Alert fatigue") == 0


def test_the_report_lists_bad_names_and_bad_values_of_every_row_together(session, emergency, sheet_path):
    write_sheet(sheet_path, [
        nomination_row(department="Cardiology"),
        nomination_row(minutes_per_occurrence="a few", submitted_by="someone@"),
        nomination_row(),
        nomination_row(category="Alert fatigue", title="Bad"),
    ])

    report = import_file(session=session, path=sheet_path, today=TODAY)

    assert errors_of(report) == [(2, "department"), (3, "minutes_per_occurrence"), (3, "submitted_by"),
                                 (5, "title"), (5, "category")]
    assert [str(error) for error in report.errors][0] == (
        "row 2, department: “Cardiology” is not a department we know (--create-missing adds it)")
    assert "“Alert fatigue” is not a category we know" in report.errors[4].reason


# Departments, categories and submitters


def test_unknown_department_or_category_is_an_error_unless_created_on_purpose(session, emergency, sheet_path):
    write_sheet(sheet_path, [nomination_row(department="Cardiology"), nomination_row(category="Alert fatigue")])

    refused = import_file(session=session, path=sheet_path, today=TODAY)

    assert errors_of(refused) == [(2, "department"), (3, "category")]
    assert count(session, Department) == 1 and count(session, Category, name="Alert fatigue") == 0

    created = import_file(session=session, path=sheet_path, create_missing=True, today=TODAY)

    assert created.ok and created.imported == 2
    assert created.created["departments"] == ["Cardiology"] and created.created["categories"] == ["Alert fatigue"]


def test_create_missing_creates_each_name_once_whatever_its_case(session, emergency, sheet_path):
    write_sheet(sheet_path, [
        nomination_row(department="Cardiology", category="Alert fatigue"),
        nomination_row(department="CARDIOLOGY", category="alert FATIGUE"),
        nomination_row(department=" cardiology ", category="Alert Fatigue"),
        nomination_row(department="emergency department", category="TASK"),
    ])

    report = import_file(session=session, path=sheet_path, create_missing=True, today=TODAY)

    assert report.ok
    assert report.created["departments"] == ["Cardiology"] and report.created["categories"] == ["Alert fatigue"]
    assert list(session.scalars(select(Department.name).order_by(Department.id))) == [
        "Emergency Department", "Cardiology"]
    assert count(session, Category, name="Alert fatigue") == 1 and count(session, Category) == 7
    cardiology = session.scalar(select(Department.id).where(Department.name == "Cardiology"))
    alert_fatigue = category_id(session, "Alert fatigue")
    assert [(n.department_id, n.category_id) for n in nominations(session)] == [
        (cardiology, alert_fatigue)] * 3 + [(emergency.id, category_id(session, "task"))]


def test_unknown_submitters_become_staff_accounts_that_cannot_sign_in(session, emergency, sheet_path):
    write_sheet(sheet_path, [
        nomination_row(submitted_by="New.Nurse@Example.org"),
        nomination_row(submitted_by="new.nurse@example.org"),
        nomination_row(submitted_by=None),
    ])

    report = import_file(session=session, path=sheet_path, today=TODAY)

    assert report.ok
    assert report.created["users"] == ["new.nurse@example.org"]
    [user] = session.scalars(select(User)).all()
    assert user.email == "new.nurse@example.org"
    assert user.active is False and user.password_hash is None
    assert user.roles == {Role.STAFF}
    assert [n.submitter_id for n in nominations(session)] == [user.id, user.id, None]


def test_known_submitters_are_matched_whatever_the_case_of_their_email(session, emergency, sheet_path):
    ann = make_user(session, email="Ann.Lee@example.org")

    write_sheet(sheet_path, [nomination_row(submitted_by="ANN.LEE@EXAMPLE.ORG")])
    report = import_file(session=session, path=sheet_path, today=TODAY)

    assert report.ok and report.created["users"] == []
    assert count(session, User) == 1
    assert nominations(session)[0].submitter_id == ann.id


def test_anonymous_nominations_keep_their_submitter_stored(session, emergency, sheet_path):
    write_sheet(sheet_path, [
        nomination_row(submitted_by="quiet@example.org", anonymous="Yes"),
        nomination_row(submitted_by="quiet@example.org", anonymous="no"),
        nomination_row(submitted_by="quiet@example.org", anonymous=None),
    ])

    import_file(session=session, path=sheet_path, today=TODAY)

    quiet = session.scalar(select(User.id).where(User.email == "quiet@example.org"))
    assert [(n.anonymous, n.submitter_id) for n in nominations(session)] == [
        (True, quiet), (False, quiet), (False, quiet)]


# History as recorded


def test_each_row_records_its_arrival_and_the_moves_its_state_implies_dated_as_recorded(session, emergency,
                                                                                        sheet_path):
    write_sheet(sheet_path, [
        nomination_row(status="proposed", submitted_on="2026-01-05"),
        nomination_row(status="evaluated", submitted_on="2026-01-05", decided_on="2026-02-10"),
        nomination_row(status="evaluated", submitted_on="2026-01-06"),
        nomination_row(status="rejected", submitted_on="2026-01-05", decided_on="2026-03-01"),
        nomination_row(status="rejected", submitted_on="2026-01-07"),
        nomination_row(status="retired", submitted_on="2026-01-05", retired_on="2026-04-01"),
    ])

    report = import_file(session=session, path=sheet_path, today=TODAY)

    assert report.ok
    imported = nominations(session)
    assert [n.state for n in imported] == [State.PROPOSED, State.EVALUATED, State.EVALUATED, State.REJECTED,
                                           State.REJECTED, State.RETIRED]
    history = events(session)
    assert {e.kind for e in history} == {EventKind.IMPORTED}
    by_nomination = [[(e.from_state, e.to_state, e.at.date()) for e in history if e.nomination_id == n.id]
                     for n in imported]
    P, E, J, R = State.PROPOSED, State.EVALUATED, State.REJECTED, State.RETIRED
    assert by_nomination == [
        [(None, P, date(2026, 1, 5))],
        [(None, P, date(2026, 1, 5)), (P, E, date(2026, 2, 10))],
        [(None, P, date(2026, 1, 6)), (P, E, date(2026, 1, 6))],  # decided_on defaults to submitted_on
        [(None, P, date(2026, 1, 5)), (P, J, date(2026, 3, 1))],
        [(None, P, date(2026, 1, 7)), (P, J, date(2026, 1, 7))],
        [(None, P, date(2026, 1, 5)), (P, E, date(2026, 1, 5)), (E, R, date(2026, 4, 1))],
    ]
    assert all(e.at.timetz() == datetime.min.time().replace(tzinfo=UTC) for e in history)
    arrivals = [e for e in history if e.from_state is None]
    assert all(e.note_text == f"Imported from {sheet_path.name}." for e in arrivals)


def test_a_decided_rows_estimate_is_the_boards_too_and_a_proposed_rows_only_the_submitters(session, emergency,
                                                                                            sheet_path):
    write_sheet(sheet_path, [
        nomination_row(minutes_per_occurrence=3.5, occurrences_per_week=0.5, clinicians_affected=40),
        nomination_row(status="evaluated", minutes_per_occurrence=2, occurrences_per_week=10, clinicians_affected=7),
    ])

    import_file(session=session, path=sheet_path, today=TODAY)

    proposed, evaluated = nominations(session)
    assert (proposed.board_minutes_per_occurrence, proposed.board_occurrences_per_week,
            proposed.board_clinicians_affected) == (None, None, None)  # no board has looked at it yet
    assert proposed.estimate == (3.5, 0.5, 40)
    assert (evaluated.board_minutes_per_occurrence, evaluated.board_occurrences_per_week,
            evaluated.board_clinicians_affected) == (2, 10, 7)


def test_the_decision_note_lands_where_the_status_puts_it(session, emergency, sheet_path):
    write_sheet(sheet_path, [
        nomination_row(status="evaluated", decision_note="Confirmed on three units.",
                       requirement_source="EHR build or default"),
        nomination_row(status="retired", submitted_on="2026-01-05", retired_on="2026-07-01",
                       decision_note="Row removed from the template."),
        nomination_row(status="rejected", decision_note="Required by the state board of nursing."),
        nomination_row(status="proposed", decision_note="Raised at the March huddle."),
    ])

    import_file(session=session, path=sheet_path, today=TODAY)

    imported = nominations(session)
    notes = [(n.evaluation_note, n.what_changed, n.rejection_rationale) for n in imported]
    assert notes == [
        ("Confirmed on three units.", None, None),
        (None, "Row removed from the template.", None),
        (None, None, "Required by the state board of nursing."),
        (None, None, None),
    ]
    assert imported[0].confirmed_source is RequirementSource.EHR_BUILD
    assert imported[1].retired_on == date(2026, 7, 1)
    decided = deciding(session)
    assert [e.note_text for e in decided[:3]] == ["Confirmed on three units.", "Row removed from the template.",
                                                  "Required by the state board of nursing."]
    assert decided[3].note_text == f"Imported from {sheet_path.name}. Raised at the March huddle."


def test_a_second_import_numbers_its_rows_after_the_first_and_each_event_follows_its_own_row(
        session, emergency, tmp_path):
    first = write_sheet(tmp_path / "first.csv", [nomination_row(title="First file, proposed")])
    second = write_sheet(tmp_path / "second.xlsx", [
        nomination_row(title="Second file, rejected", status="rejected"),
        nomination_row(title="Second file, retired", status="retired", submitted_on="2026-01-05",
                       retired_on="2026-03-01"),
    ])
    assert import_file(session=session, path=first, today=TODAY).ok
    assert import_file(session=session, path=second, today=TODAY).ok
    later = make_nomination(session, title="Nominated on the site after both imports")

    assert [n.title for n in nominations(session)] == [  # in order of id
        "First file, proposed", "Second file, rejected", "Second file, retired", later.title]
    titles = {n.id: n.title for n in nominations(session)}
    assert [(titles[e.nomination_id], e.to_state, e.note_text) for e in events(session)] == [
        ("First file, proposed", State.PROPOSED, "Imported from first.csv."),
        ("Second file, rejected", State.PROPOSED, "Imported from second.xlsx."),
        ("Second file, rejected", State.REJECTED, None),
        ("Second file, retired", State.PROPOSED, "Imported from second.xlsx."),
        ("Second file, retired", State.EVALUATED, None),
        ("Second file, retired", State.RETIRED, None),
    ]


def test_a_long_sheet_imports_every_row_with_its_event_and_tells_progress_in_steps(session, emergency, tmp_path):
    lines = 5_803  # every tenth line blank: 5,223 rows, more than one batch of 5,000 inserts
    path = write_sheet(tmp_path / "long.csv", [nomination_row(title=f"Burden number {n}") if n % 10 else {}
                                               for n in range(1, lines + 1)])
    told = []

    report = import_file(session=session, path=path, progress=told.append, today=TODAY)

    assert report.ok and report.imported == lines - lines // 10
    assert sum(told) == lines and len(told) == 12
    imported = nominations(session)
    assert [n.title for n in imported[-2:]] == ["Burden number 5802", "Burden number 5803"]
    assert [e.nomination_id for e in events(session)] == [n.id for n in imported]


# Dry run


def test_dry_run_writes_nothing_but_reports_what_it_would_import_and_create(session, emergency, sheet_path):
    write_sheet(sheet_path, [
        nomination_row(department="Cardiology", submitted_by="first.time@example.org"),
        nomination_row(category="Alert fatigue"),
    ])

    report = import_file(session=session, path=sheet_path, create_missing=True, dry_run=True, today=TODAY)

    assert report.ok and report.dry_run
    assert report.imported == 2
    assert report.created == {"sites": [], "departments": ["Cardiology"], "categories": ["Alert fatigue"],
                              "users": ["first.time@example.org"]}
    assert count(session, Nomination) == 0 and count(session, Event) == 0 and count(session, User) == 0
    assert count(session, Department) == 1 and count(session, Category, name="Alert fatigue") == 0


def test_dry_run_reports_bad_rows_like_a_real_import(session, emergency, sheet_path):
    write_sheet(sheet_path, [nomination_row(), nomination_row(occurrences_per_week=-1)])

    report = import_file(session=session, path=sheet_path, dry_run=True, today=TODAY)

    assert errors_of(report) == [(3, "occurrences_per_week")]
    assert report.imported == 0


# The command line


def test_cli_import_exits_0_and_says_what_it_imported_and_created(runner, session, emergency, tmp_path):
    path = write_sheet(tmp_path / "board_spreadsheet.xlsx", [
        nomination_row(department="Cardiology", submitted_on=date(2026, 1, 5), **{"Ward phone": "x4411"}),
        nomination_row(submitted_by="first.time@example.org"),
    ])

    result = runner.invoke(args=["import", str(path), "--create-missing"])

    assert result.exit_code == 0, result.output
    assert "Imported 2 nominations." in result.output
    assert "Created 1 department: Cardiology" in result.output
    assert "Created 1 user: first.time@example.org" in result.output
    assert "warning: Column “Ward phone”" in result.output
    assert count(session, Nomination) == 2


def test_cli_import_with_bad_rows_exits_non_zero_and_prints_each_one(runner, session, emergency, tmp_path):
    path = write_sheet(tmp_path / "board_spreadsheet.csv", [
        nomination_row(),
        nomination_row(minutes_per_occurrence=0),
        nomination_row(submitted_by="not-an-email", status="withdrawn"),
    ])

    result = runner.invoke(args=["import", str(path)])

    assert result.exit_code != 0
    lines = result.output.splitlines()
    assert "error: row 3, minutes_per_occurrence: must be more than 0" in lines
    assert "error: row 4, submitted_by: “not-an-email” is not an email address" in lines
    assert ("error: row 4, status: must be one of: proposed, evaluated, retired, rejected "
            "(withdrawn nominations are not imported)") in lines
    assert "Nothing was imported: 2 row(s) have errors." in lines
    assert count(session, Nomination) == 0


def test_cli_dry_run_exits_0_when_every_row_would_import_and_writes_nothing(runner, session, emergency, tmp_path):
    path = write_sheet(tmp_path / "board_spreadsheet.csv", [nomination_row(), nomination_row()])

    result = runner.invoke(args=["import", str(path), "--dry-run"])

    assert result.exit_code == 0, result.output
    assert "Would import 2 nominations." in result.output
    assert count(session, Nomination) == 0


def test_cli_dry_run_with_a_bad_row_exits_non_zero(runner, session, emergency, tmp_path):
    path = write_sheet(tmp_path / "board_spreadsheet.csv", [nomination_row(), nomination_row(department="Oncology")])

    result = runner.invoke(args=["import", str(path), "--dry-run"])

    assert result.exit_code != 0
    assert "error: row 3, department: “Oncology” is not a department we know" in result.output
    assert count(session, Nomination) == 0


def test_cli_refuses_a_text_file_with_a_clear_message(runner, session, tmp_path):
    path = tmp_path / "nominations.txt"
    path.write_text("title,description\n", encoding="utf-8")

    result = runner.invoke(args=["import", str(path)])

    assert result.exit_code != 0
    assert "nominations.txt: import reads .xlsx or .csv" in result.output
    assert "Traceback" not in result.output


def test_a_row_may_name_the_metric_its_retirement_should_move_and_the_departments_it_affects(session, emergency,
                                                                                            sheet_path):
    surgery = make_department(session, "Surgery")
    write_sheet(sheet_path, [
        nomination_row(title="Linked", measured_metric="wow 8", affected_departments="surgery; Emergency Department"),
        nomination_row(title="Not linked"),
    ], headers=[*VALID, "measured_metric", "affected_departments"])

    report = import_file(session=session, path=sheet_path, today=TODAY)

    assert report.ok, report.errors
    linked = session.scalars(select(Nomination).where(Nomination.title == "Linked")).one()
    assert linked.measured_metric == "WOW8"
    assert affected_department_ids(session=session, nomination=linked) == sorted([emergency.id, surgery.id])
    unlinked = session.scalars(select(Nomination).where(Nomination.title == "Not linked")).one()
    assert unlinked.measured_metric is None
    assert affected_department_ids(session=session, nomination=unlinked) == [emergency.id]


def test_a_metric_or_department_the_row_cannot_name_is_reported(session, emergency, sheet_path):
    write_sheet(sheet_path, [
        nomination_row(measured_metric="Happiness"),
        nomination_row(measured_metric="WOW8", affected_departments="Radiology"),
        nomination_row(affected_departments="Emergency Department"),
    ], headers=[*VALID, "measured_metric", "affected_departments"])

    report = import_file(session=session, path=sheet_path, today=TODAY)

    assert [str(error) for error in report.errors] == [
        "row 2, measured_metric: “Happiness” is not a metric Burden Tracker measures: one of EHR-Time8, WOW8, "
        "Pajama time, IB-Time8, Note-Time8, Order-Time8, Flowsheet time, Alert firings",
        "row 3, affected_departments: “Radiology” is not a department we know (--create-missing adds it)",
        "row 4, affected_departments: names departments but no measured_metric",
    ]
    assert count(session, Nomination) == 0 and count(session, AffectedDepartment) == 0

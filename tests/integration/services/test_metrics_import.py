"""Importing EHR-use metrics: provider rows add up to department × month figures (numerators and denominators
summed, clinicians counted, identifiers never stored), department rows give the same figures, a month imported
again replaces itself only, and every bad row is reported with nothing written. On SQLite and PostgreSQL."""

import csv
from datetime import date, datetime

import pytest
from openpyxl import Workbook
from sqlalchemy import text
from sqlmodel import select

from burden_tracker.errors import DomainError
from burden_tracker.models import DepartmentMonth
from burden_tracker.services.metrics_import import import_metrics
from burden_tracker.services.sheet_files import Table, read_table
from tests.support.factories import make_department

LONG = ["Provider Identifier", "Department", "ReportingPeriodStartDate", "ReportingPeriodEndDate", "Metric",
        "Numerator", "Denominator"]
JANUARY = ("2026-01-01", "2026-01-31")


def table(headers, *rows) -> Table:
    return Table(list(headers), [(number, tuple(row)) for number, row in enumerate(rows, start=2)])


def stored(session) -> dict:
    rows = session.exec(select(DepartmentMonth)).all()
    session.commit()
    return {(row.department_id, row.metric, row.month): (row.numerator, row.denominator, row.value, row.clinicians)
            for row in rows}


@pytest.fixture
def departments(session):
    return make_department(session, "Emergency Department"), make_department(session, "Surgery")


def test_provider_rows_add_up_to_the_departments_month(session, departments):
    emergency, _ = departments
    report = import_metrics(session=session, table=table(
        LONG,
        ("P-001", "emergency department", *JANUARY, "WOW8", 90, 480),
        ("P-002", "Emergency Department", *JANUARY, "Work Outside of Work", 30, 240),
        ("P-002", "Emergency Department", *JANUARY, "wow-8", 10, 240),  # the same person, another row
    ))
    assert report.ok and (report.rows, report.figures, report.shape) == (3, 1, "long")
    assert stored(session) == {(emergency.id, "WOW8", date(2026, 1, 1)): (130.0, 960.0, None, 2)}


def test_provider_identifiers_are_never_stored(session, departments):
    import_metrics(session=session, table=table(LONG, ("dr-whitfield-0042", "Surgery", *JANUARY, "WOW8", 1, 8)))
    dumped = " ".join(str(row) for row in session.execute(text("SELECT * FROM department_months")).all())
    session.commit()
    assert "whitfield" not in dumped and "0042" not in dumped


def test_department_rows_give_the_same_figures_as_provider_rows(session, departments):
    emergency, _ = departments
    import_metrics(session=session, table=table(
        LONG, ("P-1", "Emergency Department", *JANUARY, "IB-Time8", 20, 400),
        ("P-2", "Emergency Department", *JANUARY, "IB-Time8", 40, 200)))
    from_providers = stored(session)
    pooled = ["Department", "Month", "Metric", "Numerator", "Denominator", "Clinicians"]
    import_metrics(session=session, table=table(pooled, ("Emergency Department", "2026-01", "IB-Time8", 60, 600, 2)))
    assert stored(session) == from_providers == {(emergency.id, "IB-Time8", date(2026, 1, 1)): (60.0, 600.0, None, 2)}


def test_a_month_imported_again_replaces_that_month_only(session, departments):
    emergency, surgery = departments
    headers = ["Department", "Month", "Metric", "Numerator", "Denominator"]
    import_metrics(session=session, table=table(
        headers, ("Surgery", "2026-01", "WOW8", 1, 8), ("Surgery", "2026-02", "WOW8", 2, 8),
        ("Emergency Department", "2026-01", "WOW8", 3, 8)))
    import_metrics(session=session, table=table(headers, ("Surgery", datetime(2026, 1, 15), "WOW8", 5, 10)))
    assert stored(session) == {
        (surgery.id, "WOW8", date(2026, 1, 1)): (5.0, 10.0, None, None),
        (surgery.id, "WOW8", date(2026, 2, 1)): (2.0, 8.0, None, None),
        (emergency.id, "WOW8", date(2026, 1, 1)): (3.0, 8.0, None, None),
    }


def test_every_bad_row_is_reported_and_nothing_is_written(session, departments):
    report = import_metrics(session=session, table=table(
        LONG + ["Value"],
        ("P-1", "Surgery", *JANUARY, "WOW8", 1, 8, None),  # good, but not written
        ("P-2", "Radiology", *JANUARY, "WOW8", 1, 8, None),
        ("P-3", "Surgery", *JANUARY, "Clicks per day", 1, 8, None),
        ("P-4", "Surgery", "31/01/2026", "2026-01-31", "WOW8", 1, 8, None),
        ("P-5", "Surgery", "2026-01-20", "2026-02-19", "WOW8", 1, 8, None),
        ("P-6", "Surgery", *JANUARY, "WOW8", -1, 8, None),
        ("P-7", "Surgery", *JANUARY, "WOW8", 1, 0, None),
        ("P-8", "Surgery", *JANUARY, "WOW8", None, None, 0.4),
        ("P-9", "Surgery", *JANUARY, "WOW8", "lots", 8, None),
        ("P-10", "Surgery", *JANUARY, "WOW8", 1, None, None),
    ))
    assert [str(error) for error in report.errors] == [
        "row 3, department: no department is named 'Radiology'",
        "row 4, metric: 'Clicks per day' is not a metric Burden Tracker knows by that name",
        "row 5, reportingperiodstartdate: is not a date: write it like 2026-01-31",
        "row 6, reportingperiodenddate: the period must lie within one calendar month",
        "row 7, numerator: must be a number of 0 or more",
        "row 8, denominator: must be more than 0",
        "row 9, value: a provider's row needs Numerator and Denominator: a value alone cannot be added up",
        "row 10, numerator: 'lots' is not a number",
        "row 11, denominator: is empty: a numerator needs its denominator, and the other way",
    ]
    assert stored(session) == {}


def test_a_departments_value_stands_alone(session, departments):
    surgery = departments[1]
    headers = ["Department", "Month", "Metric", "Value", "Clinicians"]
    report = import_metrics(session=session, table=table(headers, ("Surgery", "2026-03", "EHR-Time8", 5.2, 14)))
    assert report.ok
    assert stored(session) == {(surgery.id, "EHR-Time8", date(2026, 3, 1)): (None, None, 5.2, 14)}
    twice = import_metrics(session=session, table=table(headers, ("Surgery", "2026-03", "EHR-Time8", 5.2, 14),
                                                        ("Surgery", "2026-03", "EHR-Time8", 5.0, 3)))
    assert [str(error) for error in twice.errors] == [
        "row 3, value: the department's figure for this month and metric is given as a Value on row 2: a value "
        "cannot be added to other rows"]


def test_a_dry_run_writes_nothing(session, departments):
    report = import_metrics(session=session, dry_run=True, table=table(LONG, ("P", "Surgery", *JANUARY, "WOW8", 1, 8)))
    assert report.ok and report.figures == 1 and stored(session) == {}


def test_a_sheet_that_is_not_metrics_is_refused_whole(session):
    with pytest.raises(DomainError, match="These columns are not an EHR metrics sheet"):
        import_metrics(session=session, table=table(["Title", "Department"], ("A form", "Surgery")))


def test_the_vendors_files_are_read_as_csv_and_as_xlsx(session, departments, tmp_path):
    surgery = departments[1]
    rows = [LONG, ["P-1", "Surgery", "2026-01-01", "2026-01-31", "Note-Time8", "12.5", "100"]]
    with (tmp_path / "signal.csv").open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows)
    book = Workbook()
    book.active.append(LONG)
    book.active.append(["P-1", "Surgery", datetime(2026, 2, 1), datetime(2026, 2, 28), "Note-Time8", 7.5, 50])
    book.save(tmp_path / "signal.xlsx")
    for name in ("signal.csv", "signal.xlsx"):
        assert import_metrics(session=session, table=read_table(tmp_path / name)).ok
    assert stored(session) == {(surgery.id, "Note-Time8", date(2026, 1, 1)): (12.5, 100.0, None, 1),
                               (surgery.id, "Note-Time8", date(2026, 2, 1)): (7.5, 50.0, None, 1)}


def test_a_wide_sheet_gives_ratios_from_two_rows_values_from_one_and_clinicians_from_their_own(session, departments):
    emergency, surgery = departments
    report = import_metrics(session=session, table=table(
        ["Department", "Metric", "2026-01", datetime(2026, 2, 1), "Notes"],
        ("Emergency Department", "WOW8 numerator", 120, 150, "from Signal"),
        ("Emergency Department", "WOW8 Denominator", 960, 1000, None),
        ("Emergency Department", "Clinicians", 12, 13, None),
        ("Surgery", "EHR-Time8", 5.2, 5.0, None),
    ))
    assert report.ok and (report.shape, report.figures) == ("wide", 4)
    assert report.warnings == [
        "column 'Notes' is not one the import reads; it was ignored",
        "EHR-Time8 is given as the departments' figures alone, with no row of its scheduled hours (for a metric per "
        "scheduled hour: a Scheduled hours row): it can be measured, but the hours it stands for will not be "
        "computed"]
    assert stored(session) == {
        (emergency.id, "WOW8", date(2026, 1, 1)): (120.0, 960.0, None, 12),
        (emergency.id, "WOW8", date(2026, 2, 1)): (150.0, 1000.0, None, 13),
        (surgery.id, "EHR-Time8", date(2026, 1, 1)): (None, None, 5.2, None),
        (surgery.id, "EHR-Time8", date(2026, 2, 1)): (None, None, 5.0, None),
    }


def test_a_wide_sheets_bad_cells_are_reported_by_row_and_month(session, departments):
    report = import_metrics(session=session, table=table(
        ["Department", "Metric", "2026-01", "2026-02"],
        ("Surgery", "WOW8 numerator", 120, 150),
        ("Surgery", "WOW8 denominator", 960, None),
        ("Surgery", "Pajama time", "n/a", 31),
        ("Cardiology", "WOW8", 1, 2),
    ))
    assert [str(error) for error in report.errors] == [
        "row 4, 2026-01: 'n/a' is not a number",
        "row 5, department: no department is named 'Cardiology'",
        "row 2, 2026-02: no denominator row gives this month",
    ]
    assert stored(session) == {}


def test_a_wide_sheets_scheduled_hours_turn_its_values_into_ratios_and_values_alone_are_said_to_give_no_hours(
        session, departments):
    emergency, surgery = departments
    report = import_metrics(session=session, table=table(
        ["Department", "Metric", "2026-01"],
        ("Emergency Department", "WOW8", 1.2),
        ("Emergency Department", "Scheduled hours", 1600),
        ("Surgery", "WOW8", 0.9),
        ("Surgery", "Flowsheet time", 220),
        ("Surgery", "Scheduled hours", 800),
    ))
    assert report.ok and report.figures == 3
    assert stored(session) == {
        (emergency.id, "WOW8", date(2026, 1, 1)): (pytest.approx(1.2 / 8 * 1600), 1600.0, None, None),
        (surgery.id, "WOW8", date(2026, 1, 1)): (pytest.approx(0.9 / 8 * 800), 800.0, None, None),
        (surgery.id, "Flowsheet time", date(2026, 1, 1)): (None, None, 220.0, None),
    }
    assert report.warnings == [
        "Flowsheet time is given as the departments' figures alone, with no row of its shifts (for a metric per "
        "scheduled hour: a Scheduled hours row): it can be measured, but the hours it stands for will not be "
        "computed"]

"""A closed quarter's workbook: the same in every value on any later day, whatever changes afterwards; and the
restatements the next quarter's workbook shows, recomputed by LibreOffice."""

from datetime import date

import openpyxl
import pytest
from sqlalchemy import select

from burden_tracker import hours
from burden_tracker.enums import Role, State
from burden_tracker.export import write_workbook
from burden_tracker.models import Nomination
from burden_tracker.queries import reporting
from burden_tracker.services.closing import close_quarter
from burden_tracker.services.importer import import_table
from burden_tracker.services.revisions import revise_nomination
from burden_tracker.services.sheet_files import Table
from tests.support.factories import make_nomination, make_user, retire_through_the_board
from tests.support.reporting_data import build_program
from tests.support.spreadsheets import recalculated_by_libreoffice, row_labelled

Q3 = hours.Quarter(2026, 3)
HISTORY = ["title", "description", "category", "department", "affected_role", "minutes_per_occurrence",
           "occurrences_per_week", "clinicians_affected", "requirement_source", "submitted_on", "status", "retired_on"]


def export(session, path, quarter=Q3, by="Test Runner"):
    write_workbook(session=session, quarter=quarter, destination=path, generated_by=by)
    return path


def every_value(path) -> dict[str, list[tuple]]:
    return {ws.title: list(ws.iter_rows(values_only=True)) for ws in openpyxl.load_workbook(path).worksheets}


@pytest.fixture
def closed(session, tmp_path):
    """2026-Q3 closed by an admin, with one evaluated nomination waiting since June."""
    build_program(session)
    waiting = make_nomination(session, state=State.EVALUATED, title="Fax cover sheet signed twice",
                              submitted_on=date(2026, 6, 3), minutes_per_occurrence=2, occurrences_per_week=10,
                              clinicians_affected=60)
    admin = make_user(session, Role.ADMIN, name="Ada Admin")
    close_quarter(session=session, quarter=Q3, actor_id=admin.id, closed_by=admin.name)
    return waiting


def back_date_changes(session, waiting) -> None:
    """A retirement decided today and dated in August, and an import of a row retired in September."""
    retire_through_the_board(session, waiting, date(2026, 8, 1), note="The cover sheet is gone.")
    row = ("Daily census faxed to the state", "Faxed by hand each morning.", "task", "Cardiology", "nurse", 5, 7, 4,
           "internal policy", date(2026, 7, 2), "retired", date(2026, 9, 1))
    assert import_table(session=session, table=Table(HISTORY, [(2, row)]), source="history.xlsx").ok


def test_a_closed_quarters_workbook_is_the_same_in_every_value_after_back_dated_changes(session, closed, tmp_path):
    before = every_value(export(session, tmp_path / "before.xlsx"))
    back_date_changes(session, closed)
    after = every_value(export(session, tmp_path / "after.xlsx", by="Someone Else"))
    assert after == before
    assert row_labelled(after["Assumptions"], "Closed by")[1] == "Ada Admin"
    assert after["Summary"][1][0].endswith("every figure is as it was when the quarter was closed.")
    live = reporting.quarter_figures(session=session, quarter=Q3)
    retired_row = row_labelled(before["Summary"], "Retired in the quarter (effective)")
    assert retired_row[1] == live.retired - 2  # the live figure moved; the closed one did not


def test_the_closed_workbooks_checks_recompute_true_in_libreoffice(session, closed, tmp_path):
    back_date_changes(session, closed)
    sheets = recalculated_by_libreoffice(export(session, tmp_path / "closed.xlsx"), tmp_path)
    summary = sheets["Summary"]
    headline = summary[4:next(i for i, row in enumerate(summary) if i > 4 and not row[0])]
    assert len(headline) > 10 and {row[2] for row in headline} == {"TRUE"}


def test_the_next_quarters_workbook_restates_the_closed_one_with_the_changes_that_explain_it(session, closed,
                                                                                           tmp_path):
    as_closed = reporting.quarter_figures(session=session, quarter=Q3)
    back_date_changes(session, closed)
    now = reporting.quarter_figures(session=session, quarter=Q3)
    path = export(session, tmp_path / "q4.xlsx", quarter=Q3.next())
    sheets = recalculated_by_libreoffice(path, tmp_path)
    summary = sheets["Summary"]
    retired = row_labelled(summary, "2026-Q3: Retired (effective)")
    assert [float(value) for value in retired[1:4]] == [as_closed.retired, now.retired, 2]
    received = row_labelled(summary, "2026-Q3: Nominations received")
    assert [float(value) for value in received[1:4]] == [as_closed.received, now.received, 1]
    realized = row_labelled(summary, "2026-Q3: Hours realized")
    assert float(realized[2]) == pytest.approx(now.realized_hours)
    restatements = sheets["Restatements"]
    header = restatements[0]
    changes = [row[header.index("What changed")] for row in restatements[1:-1]]
    assert changes == ["moved from evaluated to retired, effective 1 August 2026", "imported from history.xlsx"]
    total = row_labelled(restatements, "Total")
    assert float(total[header.index("Hours realized")]) == pytest.approx(now.realized_hours - as_closed.realized_hours)
    assert float(total[header.index("Retired (effective)")]) == 2
    compared = row_labelled(summary, "Against the previous quarter, and the fiscal year to date")
    assert compared[2] == "2026-Q3"
    received_compared = row_labelled(summary, "Nominations received")
    assert float(received_compared[2]) == as_closed.received  # set against the quarter as it was closed


def test_a_revision_is_on_the_decisions_sheet_counted_on_the_summary_and_restates_the_closed_quarter(
        session, closed, tmp_path):
    board = make_user(session, Role.BOARD, name="Dr. Alex Chen")
    mid = session.scalars(select(Nomination).where(Nomination.title == "Retired mid-quarter")).one()
    minutes, per_week, _ = mid.estimate
    revise_nomination(session=session, nomination_id=mid.id, actor=board, expected_version=mid.version, values={
        "minutes_per_occurrence": minutes, "occurrences_per_week": per_week, "clinicians_affected": 1800,
        "department_id": mid.department_id, "category_id": mid.category_id, "affected_role": "nurse",
        "requirement_source": "internal policy", "reason": "Both campuses chart it."})
    sheets = recalculated_by_libreoffice(export(session, tmp_path / "q4.xlsx", quarter=Q3.next()), tmp_path)
    decisions = sheets["Decisions"]
    header = decisions[0]
    [revision] = [row for row in decisions[1:] if row[header.index("Kind")] == "revised"]
    assert revision[header.index("Who")] == "Dr. Alex Chen" and revision[header.index("To")] == ""
    assert revision[header.index("Note")] == ("Revised: estimate 0.5 min × 36 a week × 900 people → 0.5 min × 36 a "
                                              "week × 1,800 people. Why: Both campuses chart it.")
    summary = sheets["Summary"]
    assert row_labelled(summary, "Revisions of an estimate or classification (no move)")[1:3] == ["1", "TRUE"]
    assert row_labelled(summary, "All moves")[2] == "TRUE"
    [change] = [row[header.index("What changed")] for row in sheets["Restatements"][1:-1]
                for header in [sheets["Restatements"][0]]]
    assert change.startswith("revised: estimate 0.5 min × 36 a week × 900 people → ")

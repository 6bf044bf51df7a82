"""Closing a quarter, the restatements later changes make, and reopening it, on SQLite and PostgreSQL."""

from datetime import date

import pytest
from sqlalchemy import select

from burden_tracker import hours
from burden_tracker.enums import EventKind, Role, State
from burden_tracker.errors import DomainError
from burden_tracker.models import ClosedRow, Department, Event, Nomination, QuarterClosing, Restatement
from burden_tracker.queries import quarter_report, reporting
from burden_tracker.queries.admin import settings_values
from burden_tracker.services.admin import update_settings
from burden_tracker.services.closing import close_quarter, reopen_quarter
from burden_tracker.services.importer import import_table
from burden_tracker.services.redaction import redact
from burden_tracker.services.sheet_files import Table
from tests.support.factories import make_nomination, make_user, retire_through_the_board
from tests.support.reporting_data import build_program
from tests.support.web import count

Q3, Q2 = hours.Quarter(2026, 3), hours.Quarter(2026, 2)


@pytest.fixture
def program(session):
    return build_program(session)


@pytest.fixture
def admin(session):
    return make_user(session, Role.ADMIN, name="Ada Admin")


def close(session, admin, quarter=Q3):
    return close_quarter(session=session, quarter=quarter, actor_id=admin.id, closed_by=admin.name)


def waiting_since_june(session):
    """Evaluated in June and still open: a back-dated retirement can land it in Q3."""
    return make_nomination(session, state=State.EVALUATED, title="Fax cover sheet signed twice",
                           submitted_on=date(2026, 6, 3), minutes_per_occurrence=2, occurrences_per_week=10,
                           clinicians_affected=60)


def test_closing_stores_the_figures_and_rows_as_they_stand(session, program, admin):
    live = quarter_report.live_report(session=session, quarter=Q3)
    closing = close(session, admin)
    stored = quarter_report.report_for(session=session, quarter=Q3)
    assert stored.closed.by == "Ada Admin" and stored.closed.closing_id == closing.id
    assert stored.history == live.history and stored.breakdowns == live.breakdowns
    assert stored.pipeline == live.pipeline and stored.wins == live.wins and stored.moves == live.moves
    rows = quarter_report.rows(session=session, report=stored, sheet="retired")
    assert [row[rows.keys().index("title")] for row in rows] == [
        "Retired in May", "Retired from the first day", "Retired mid-quarter", "Retired on the last day"]
    assert count(session, ClosedRow, closing_id=closing.id) > 4
    notes = session.scalars(select(Event).where(Event.kind == EventKind.ADMIN)).all()
    assert [event.note_text for event in notes] == ["Closed 2026-Q3"]


def test_a_quarter_not_over_or_already_closed_is_refused_and_nothing_is_stored(session, program, admin):
    under_way = reporting.current_quarter(session=session)
    with pytest.raises(DomainError, match="is not over"):
        close(session, admin, under_way)
    close(session, admin)
    with pytest.raises(DomainError, match="already closed"):
        close(session, admin)
    assert count(session, QuarterClosing) == 1


def test_a_back_dated_retirement_leaves_the_closed_figures_and_records_a_restatement(session, program, admin):
    late = waiting_since_june(session)
    close(session, admin)
    as_closed = quarter_report.report_for(session=session, quarter=Q3).figures
    retire_through_the_board(session, late, date(2026, 8, 1))

    assert quarter_report.report_for(session=session, quarter=Q3).figures == as_closed
    [restatement] = session.scalars(select(Restatement)).all()
    assert restatement.nomination_id == late.id and restatement.change == (
        "moved from evaluated to retired, effective 1 August 2026")
    assert session.get(Event, restatement.event_id).to_state == State.RETIRED
    [restated] = quarter_report.live_report(session=session, quarter=Q3.next()).restated
    now = reporting.quarter_figures(session=session, quarter=Q3)
    assert restated.quarter == Q3 and restated.now.retired == as_closed.retired + 1 == now.retired
    assert restated.now.realized_hours == pytest.approx(now.realized_hours)
    assert restated.now.potential_hours == pytest.approx(now.potential_hours)
    changed = {name for name, _, _ in restated.differing()}
    assert changed == {"retired", "retired_by_end", "open_at_end", "realized_hours", "annualized_hours",
                       "potential_hours", "realized_cost"}


def test_a_change_that_touches_no_closed_quarter_records_nothing(session, program, admin):
    late = waiting_since_june(session)
    close(session, admin, Q2)
    retire_through_the_board(session, late, date(2026, 11, 2))
    assert count(session, Restatement) == 0
    assert quarter_report.live_report(session=session, quarter=Q3).restated == []


def test_an_import_of_history_into_a_closed_quarter_is_a_restatement(session, program, admin):
    close(session, admin)
    headers = ["title", "description", "category", "department", "affected_role", "minutes_per_occurrence",
               "occurrences_per_week", "clinicians_affected", "requirement_source", "submitted_on", "status",
               "retired_on"]
    row = ("Daily census faxed to the state", "Faxed by hand every morning.", "task", "Cardiology", "nurse", 5, 7, 4,
           "internal policy", date(2026, 7, 2), "retired", date(2026, 9, 1))
    report = import_table(session=session, table=Table(headers, [(2, row)]), source="history.xlsx")
    assert report.ok and report.imported == 1
    [restatement] = session.scalars(select(Restatement)).all()
    assert restatement.change == "imported from history.xlsx"
    [restated] = quarter_report.live_report(session=session, quarter=Q3.next()).restated
    assert dict((name, now - then) for name, then, now in restated.differing())["received"] == 1


def test_reopening_needs_a_reason_and_makes_the_quarter_live_again(session, program, admin):
    late = waiting_since_june(session)
    close(session, admin)
    retire_through_the_board(session, late, date(2026, 8, 1))
    with pytest.raises(DomainError) as refused:
        reopen_quarter(session=session, quarter=Q3, actor_id=admin.id, reason="   ")
    assert refused.value.fields == {"reason": "Say why the quarter is reopened: it is kept with the quarter's history."}
    reopen_quarter(session=session, quarter=Q3, actor_id=admin.id, reason="The August retirement was dated late.")

    report = quarter_report.report_for(session=session, quarter=Q3)
    assert report.closed is None and report.figures == reporting.quarter_figures(session=session, quarter=Q3)
    assert count(session, ClosedRow) == count(session, Restatement) == 0
    closing = session.scalars(select(QuarterClosing)).one()
    assert closing.reopen_reason == "The August retirement was dated late." and closing.reopened_by_id == admin.id
    admin_events = select(Event).where(Event.kind == EventKind.ADMIN).order_by(Event.id)
    notes = [event.note_text for event in session.scalars(admin_events)]
    assert notes == ["Closed 2026-Q3", "Reopened 2026-Q3: The August retirement was dated late."]
    close(session, admin)  # and it can be closed again
    with pytest.raises(DomainError, match="is not closed"):
        reopen_quarter(session=session, quarter=Q2, actor_id=admin.id, reason="Never closed.")


def test_the_fiscal_start_month_and_time_zone_cannot_change_while_a_quarter_is_closed(session, program, admin):
    close(session, admin)
    values = settings_values(session=session) | {"annual_target_hours": None}
    with pytest.raises(DomainError) as refused:
        update_settings(session=session, actor_id=admin.id, values={**values, "fiscal_year_start_month": 7,
                                                                      "time_zone": "America/Chicago"})
    assert set(refused.value.fields) == {"fiscal_year_start_month", "time_zone"}
    assert "cannot change while a quarter is closed" in refused.value.fields["time_zone"]
    assert update_settings(session=session, actor_id=admin.id, values={**values, "stale_after_days": 45})


def test_redaction_reaches_the_copies_a_closed_quarter_keeps(session, program, admin):
    close(session, admin)
    board = make_user(session, Role.BOARD)
    redact(session=session, nomination_id=program.mid.id, key="title", actor=board)
    report = quarter_report.report_for(session=session, quarter=Q3)
    rows = quarter_report.rows(session=session, report=report, sheet="retired")
    titles = [row[rows.keys().index("title")] for row in rows]
    assert "Retired mid-quarter" not in titles and "[redacted]" in titles
    assert "Retired mid-quarter" not in [win.title for win in report.wins]
    assert session.get(Nomination, program.mid.id).title == "[redacted]"
    site_id = session.get(Department, program.mid.department_id).site_id
    site = quarter_report.report_for(session=session, quarter=Q3, site_id=site_id)  # each site's copy too
    assert "[redacted]" in [win.title for win in site.wins] and "Retired mid-quarter" not in str(site.wins)
    site_rows = quarter_report.rows(session=session, report=site, sheet="retired")
    assert "[redacted]" in [row[site_rows.keys().index("title")] for row in site_rows]

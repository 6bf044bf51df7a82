"""The reports' figures (queries/reporting.py), checked against the arithmetic of docs/product.md on both databases."""

from datetime import UTC, date, datetime

import pytest

from burden_tracker import hours
from burden_tracker.enums import Outcome, State
from burden_tracker.models import Nomination
from burden_tracker.queries import report_groups, reporting
from burden_tracker.queries.reference import hourly_rates
from tests.support.reporting_data import Q3_FIRST, Q3_LAST, build_program

Q3 = hours.Quarter(2026, 3)


def annual(nomination: Nomination) -> float:
    return hours.annual_hours(hours.weekly_hours(*nomination.estimate), 46)


def rate(session, nomination: Nomination) -> float:
    return hourly_rates(session=session)[nomination.affected_role]


@pytest.fixture
def program(session):
    return build_program(session)


def test_quarter_counts_follow_the_dates_of_each_decision(session, program):
    figures = reporting.quarter_figures(session=session, quarter=Q3)
    assert (figures.received, figures.evaluated, figures.retired, figures.rejected) == (2, 1, 3, 1)
    assert figures.retired_by_end == 4
    assert figures.open_at_end == 3


def test_a_retirement_counts_as_decided_when_decided_and_as_retired_when_effective(session, program):
    """In Q3: mid (decided 14 Aug, effective 16 Aug), after (decided 20 Sep, effective 3 Oct) and last_day (both 30
    Sep) were decided; first_day (decided 30 Jun, effective 1 Jul), mid and last_day took effect."""
    q3, q4 = (reporting.quarter_figures(session=session, quarter=q, today=date(2027, 1, 15)) for q in (Q3, Q3.next()))
    assert (q3.decided_to_retire, q3.retired) == (3, 3)
    assert (q3.retiring_soon, q3.retiring_soon_hours) == (1, pytest.approx(annual(program.after)))
    assert (q4.decided_to_retire, q4.retired, q4.retiring_soon) == (1, 2, 0)  # decided_later; after and it


def test_every_move_of_the_quarter_is_counted_by_the_state_it_moved_to(session, program):
    moved = reporting.moves_by_target(session=session, quarter=Q3)
    assert {state.value: count for state, count in moved.items() if count} == {
        "evaluated": 1, "retired": 3, "rejected": 1}


def test_hours_realized_count_the_days_on_or_after_each_retirement(session, program):
    figures = reporting.quarter_figures(session=session, quarter=Q3)
    days = [(program.before, 92), (program.mid, 46), (program.first_day, 92), (program.last_day, 1)]
    expected = sum(annual(n) * d / 365 for n, d in days)
    assert figures.realized_hours == pytest.approx(expected, rel=1e-12)
    assert figures.annualized_hours == pytest.approx(sum(annual(n) for n, _ in days), rel=1e-12)
    assert figures.realized_cost == pytest.approx(sum(annual(n) * d / 365 * rate(session, n) for n, d in days),
                                                  rel=1e-12)
    assert figures.annualized_fte == pytest.approx(sum(annual(n) for n, _ in days) / 2080, rel=1e-12)


def test_potential_hours_are_those_open_at_the_quarters_end(session, program):
    figures = reporting.quarter_figures(session=session, quarter=Q3)
    still_open = (program.decided_later, program.proposed, program.evaluated_late)
    assert figures.potential_hours == pytest.approx(sum(annual(n) for n in still_open), rel=1e-12)
    assert figures.potential_fte == pytest.approx(figures.potential_hours / 2080, rel=1e-12)


def test_a_later_quarter_counts_every_day_of_earlier_retirements(session, program):
    figures = reporting.quarter_figures(session=session, quarter=Q3.next(), today=date(2027, 1, 15))
    p = program
    every_day = annual(p.before) + annual(p.mid) + annual(p.first_day) + annual(p.last_day)
    expected = (every_day * 92 + annual(p.after) * 90 + annual(p.decided_later) * 85) / 365
    assert figures.realized_hours == figures.projected_hours == pytest.approx(expected, rel=1e-12)
    assert figures.retired == 2


def test_the_quarter_under_way_realizes_its_days_through_yesterday_and_projects_the_rest(session, program):
    """On 10 November 2026: Q4's days 1 October to 9 November (40) count so far; 3 October (after) and 8 October
    (decided_later) retirements count from their own dates."""
    p = program
    figures = reporting.quarter_figures(session=session, quarter=Q3.next(), today=date(2026, 11, 10))
    every_day = annual(p.before) + annual(p.mid) + annual(p.first_day) + annual(p.last_day)
    so_far = (every_day * 40 + annual(p.after) * 38 + annual(p.decided_later) * 33) / 365
    to_the_end = (every_day * 92 + annual(p.after) * 90 + annual(p.decided_later) * 85) / 365
    assert figures.realized_hours == pytest.approx(so_far, rel=1e-12)
    assert figures.projected_hours == pytest.approx(to_the_end, rel=1e-12)
    assert figures.realized_cost == pytest.approx(
        sum(annual(n) * d / 365 * rate(session, n) for n, d in [
            (p.before, 40), (p.mid, 40), (p.first_day, 40), (p.last_day, 40), (p.after, 38), (p.decided_later, 33)]),
        rel=1e-12)


def test_on_a_quarters_first_day_and_before_it_begins_nothing_is_realized(session, program):
    for today in (date(2026, 10, 1), date(2026, 9, 30), date(2026, 1, 1)):
        figures = reporting.quarter_figures(session=session, quarter=Q3.next(), today=today)
        assert (figures.realized_hours, figures.realized_cost) == (0, 0), today
        assert figures.projected_hours > 0


def test_days_begin_at_midnight_on_the_organizations_clocks(session):
    """An evaluation at 03:30 UTC on 1 October is still 30 September in Chicago: Q3's, not Q4's."""
    from burden_tracker.enums import EventKind
    from burden_tracker.models import Event, Settings
    from tests.support.factories import make_nomination

    nomination = make_nomination(session, submitted_on=date(2026, 9, 1), state=State.EVALUATED)
    session.add(Event(nomination_id=nomination.id, kind=EventKind.MOVED, from_state=State.PROPOSED,
                      to_state=State.EVALUATED, at=datetime(2026, 10, 1, 3, 30, tzinfo=UTC)))
    session.commit()
    assert reporting.quarter_figures(session=session, quarter=Q3).evaluated == 0  # UTC: it is 1 October
    settings = session.get(Settings, 1)
    settings.time_zone = "America/Chicago"
    session.commit()
    assert reporting.quarter_figures(session=session, quarter=Q3).evaluated == 1
    assert reporting.quarter_figures(session=session, quarter=Q3.next()).evaluated == 0


def test_pipeline_at_a_past_quarters_end_is_rebuilt_from_the_events(session, program):
    at_q2_end = {p.state: p for p in reporting.pipeline_by_state(session=session, quarter=Q3.previous(),
                                                                 today=date(2026, 11, 22))}
    assert (at_q2_end[State.PROPOSED].nominations, at_q2_end[State.EVALUATED].nominations) == (1, 4)
    assert at_q2_end[State.PROPOSED].oldest_age_days == (date(2026, 6, 30) - date(2026, 6, 1)).days
    at_q3_end = {p.state: p for p in reporting.pipeline_by_state(session=session, quarter=Q3, today=date(2026, 11, 22))}
    assert (at_q3_end[State.PROPOSED].nominations, at_q3_end[State.EVALUATED].nominations) == (1, 2)
    assert at_q3_end[State.EVALUATED].potential_hours == pytest.approx(
        annual(program.decided_later) + annual(program.evaluated_late), rel=1e-12)


def test_history_lists_eight_quarters_oldest_first(session, program):
    rows = reporting.history(session=session, quarter=Q3)
    assert [str(q) for q, _ in rows] == ["2024-Q4", "2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4", "2026-Q1",
                                         "2026-Q2", "2026-Q3"]
    assert rows[-1][1] == reporting.quarter_figures(session=session, quarter=Q3)
    assert rows[-2][1] == reporting.quarter_figures(session=session, quarter=Q3.previous())


def test_groups_add_up_to_the_whole_program(session, program):
    whole = reporting.quarter_figures(session=session, quarter=Q3)
    for by in report_groups.GROUPINGS:
        groups = reporting.breakdown(session=session, quarter=Q3, by=by)
        for name in ("received", "evaluated", "retired", "rejected", "open_at_end", "retired_by_end"):
            assert sum(getattr(g.figures, name) for g in groups) == getattr(whole, name), (by, name)
        for name in ("realized_hours", "annualized_hours", "potential_hours", "realized_cost"):
            assert sum(getattr(g.figures, name) for g in groups) == pytest.approx(getattr(whole, name)), (by, name)


def test_departments_are_listed_by_name_with_their_own_figures(session, program):
    groups = {g.label: g.figures for g in reporting.breakdown(session=session, quarter=Q3, by="department")}
    assert list(groups) == ["Cardiology", "Emergency Department"]
    assert groups["Cardiology"].retired_by_end == 1 and groups["Cardiology"].open_at_end == 1
    assert groups["Cardiology"].annualized_hours == pytest.approx(annual(program.before))


def test_retirements_are_grouped_by_how_they_were_resolved_and_older_ones_as_not_recorded(session, program):
    program.before.outcome, program.mid.outcome = Outcome.CLARIFIED, Outcome.REDUCED
    session.commit()
    groups = {g.label: g.figures for g in reporting.breakdown(session=session, quarter=Q3, by="outcome")}
    assert list(groups) == ["clarified", "not recorded", "reduced", "removed", "replaced", "restricted"]
    assert (groups["clarified"].retired_by_end, groups["reduced"].retired_by_end) == (1, 1)
    assert groups["clarified"].annualized_hours == pytest.approx(annual(program.before))
    assert groups["reduced"].realized_hours == pytest.approx(annual(program.mid) * 46 / 365)
    assert groups["removed"].retired_by_end == 0 and groups["not recorded"].retired_by_end == 2  # first and last day


def test_a_fiscal_year_starting_in_july_names_july_to_september_its_first_quarter(session):
    build_program(session, fiscal_year_start_month=7)
    quarter = reporting.parse_quarter(session=session, text="2027-Q1")
    assert (quarter.first_day, quarter.last_day) == (Q3_FIRST, Q3_LAST)
    assert reporting.quarter_figures(session=session, quarter=quarter) == reporting.quarter_figures(
        session=session, quarter=hours.Quarter(2026, 3))
    assert reporting.history(session=session, quarter=quarter)[-2][0].key == "2026-Q4"
    assert str(reporting.current_quarter(session=session, today=date(2026, 11, 22))) == "FY2027-Q2"


def test_an_empty_program_reports_zeros(session):
    assert reporting.quarter_figures(session=session, quarter=Q3) == reporting.Figures()
    assert all(p.nominations == 0 for p in reporting.pipeline_by_state(session=session, quarter=Q3))


def test_an_imported_retirement_counts_as_evaluated_at_earlier_quarter_ends(session):
    from burden_tracker.enums import EventKind
    from burden_tracker.models import Event
    from tests.support.factories import make_nomination
    from tests.support.reporting_data import at

    imported = make_nomination(session, state=State.RETIRED, submitted_on=date(2026, 6, 1),
                               retired_on=date(2026, 10, 10), what_changed="Stopped.")
    session.add(Event(nomination_id=imported.id, kind=EventKind.IMPORTED, to_state=State.RETIRED,
                      at=at(date(2026, 10, 10), 0)))
    session.commit()
    at_q3_end = {p.state: p.nominations for p in reporting.pipeline_by_state(session=session, quarter=Q3)}
    assert at_q3_end == {State.PROPOSED: 0, State.EVALUATED: 1}
    assert reporting.pipeline_by_state(session=session, quarter=Q3)[0].overdue_after_days == 30

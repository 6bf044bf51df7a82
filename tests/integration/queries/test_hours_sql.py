"""The SQL forms of the hours arithmetic (queries/hours_sql.py, queries/dialects.py) give hours.py's answers, on
SQLite and on PostgreSQL."""

from datetime import date, timedelta

import pytest
from sqlalchemy import Date, Float, Integer, literal, select

from burden_tracker import hours
from burden_tracker.queries.dialects import days_between
from burden_tracker.queries.hours_sql import days_counted_column
from tests.support.reporting_data import Q3_FIRST, Q3_LAST


def test_days_counted_in_sql_match_python_for_every_day_around_a_quarter(session):
    for first, last in ((Q3_FIRST, Q3_LAST), (date(2028, 1, 1), date(2028, 3, 31))):  # 2028 is a leap year
        days = [first + timedelta(days=offset) for offset in range(-3, 96)]
        columns = [days_counted_column(literal(day), first, last) for day in days]
        assert list(session.execute(select(*columns)).one()) == [hours.days_counted(d, first, last) for d in days]


@pytest.mark.parametrize("start,end,days", [
    (date(2026, 7, 1), date(2026, 7, 1), 0),
    (date(2027, 12, 31), date(2028, 1, 1), 1),  # across a year
    (date(2028, 2, 28), date(2028, 3, 1), 2),  # across a leap day
    (date(2026, 1, 15), date(2026, 10, 3), 261),
])
def test_days_between_two_dates_in_sql_are_whole_days(session, start, end, days):
    answer = session.execute(select(days_between(literal(start, Date), literal(end, Date)))).scalar_one()
    assert (answer, (end - start).days) == (days, days)


def test_the_hours_formulas_give_the_same_figures_in_sql_as_in_python(session):
    """2.5 minutes, 7 times a week, for 3 clinicians: 0.875 hours a week; 40.25 a year over 46 weeks; retired for
    73 days of a quarter, 8.05 hours given back, worth $1,046.50 at $130 an hour."""
    minutes, per_week, clinicians = literal(2.5, Float), literal(7.0, Float), literal(3, Integer)
    weekly = hours.weekly_hours(minutes, per_week, clinicians)
    annual = hours.annual_hours(weekly, literal(46.0, Float))
    realized = hours.realized_hours_of(annual, days_counted_column(literal(Q3_LAST - timedelta(days=72)),
                                                                   Q3_FIRST, Q3_LAST))
    in_sql = session.execute(select(weekly, annual, realized, hours.cost(realized, literal(130.0, Float)))).one()
    python_weekly = hours.weekly_hours(2.5, 7.0, 3)
    python_realized = hours.realized_hours(hours.annual_hours(python_weekly, 46.0), Q3_LAST - timedelta(days=72),
                                           Q3_FIRST, Q3_LAST)
    in_python = (python_weekly, hours.annual_hours(python_weekly, 46.0), python_realized,
                 hours.cost(python_realized, 130.0))
    assert list(in_sql) == pytest.approx(in_python)
    assert list(in_sql) == pytest.approx([0.875, 40.25, 8.05, 1046.5])

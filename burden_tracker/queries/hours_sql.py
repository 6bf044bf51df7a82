"""hours.py's arithmetic in SQL, for the reports' GROUP BY queries (queries/reporting.py, queries/report_rows.py).

weekly_hours, annual_hours, realized_hours_of and cost use only * and /, so hours.py's own functions serve
columns as they are. days_counted compares and subtracts dates, which each database writes its own way: its
twin is here. tests/integration/queries/test_hours_sql.py holds both to hours.py's answers on SQLite and PostgreSQL.
"""

from datetime import date

from sqlalchemy import Date, case, literal

from .dialects import days_between


def days_counted_column(retired_on, first_day: date, last_day: date):
    """hours.days_counted in SQL, for a date column: days of the period on or after the retirement date."""
    first, last = literal(first_day, Date), literal(last_day, Date)
    return case(
        (retired_on < first, (last_day - first_day).days + 1),
        (retired_on > last, 0),
        else_=days_between(retired_on, last) + 1,
    )

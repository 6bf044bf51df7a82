"""What an executive asks next (queries/executive.py): the fiscal year to date and the quarter's largest wins, on
both databases."""

from dataclasses import replace
from datetime import date

import pytest

from burden_tracker import hours
from burden_tracker.queries import executive, reporting
from tests.support.reporting_data import build_program

Q3 = hours.Quarter(2026, 3)


def annual(nomination) -> float:
    return hours.annual_hours(hours.weekly_hours(*nomination.estimate), 46)


def test_the_year_to_date_sums_the_fiscal_years_quarters_so_far_and_stands_at_the_quarters_end(session):
    build_program(session, fiscal_year_start_month=7)
    q2 = reporting.parse_quarter(session=session, text="2027-Q2")  # October to December 2026
    past = reporting.history(session=session, quarter=q2, today=date(2027, 1, 15))
    year = executive.year_to_date(past)
    q1_figures, q2_figures = past[-2][1], past[-1][1]
    for name in executive.FLOWS:
        assert getattr(year, name) == pytest.approx(getattr(q1_figures, name) + getattr(q2_figures, name)), name
    assert year.retired_by_end == q2_figures.retired_by_end and year.potential_hours == q2_figures.potential_hours
    assert executive.year_to_date(past[:-1]) == replace(q1_figures)  # a year's first quarter is its own year


@pytest.mark.parametrize("retired_in_quarter", [3, 10_000])  # sorted from the days' index, or a walk of the hours'
def test_the_largest_wins_are_the_quarters_retirements_most_hours_first(session, retired_in_quarter):
    program = build_program(session)
    figures = replace(reporting.quarter_figures(session=session, quarter=Q3), retired=retired_in_quarter)
    wins = executive.largest_wins(session=session, quarter=Q3, figures=figures, count=2)
    largest = sorted((program.first_day, program.mid, program.last_day), key=lambda n: -annual(n))[:2]
    assert [win.title for win in wins] == [n.title for n in largest]
    assert [win.annual_hours for win in wins] == pytest.approx([annual(n) for n in largest])

"""The hours arithmetic and quarters of docs/product.md: hand-checked examples and properties."""

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from burden_tracker import hours
from burden_tracker.hours import Quarter


def test_flowsheet_entry_charted_every_shift_by_900_nurses():
    # 24 seconds, 12 times a shift, 3 shifts a week, 900 nurses, 46 working weeks.
    weekly = hours.weekly_hours(24 / 60, 12 * 3, 900)
    assert weekly == pytest.approx(216.0)
    annual = hours.annual_hours(weekly, 46)
    assert annual == pytest.approx(9936.0)
    assert hours.fte(annual, 2080) == pytest.approx(4.7769, abs=1e-4)
    assert hours.cost(annual, 47.0) == pytest.approx(466_992.0)


def test_prior_authorisation_form_an_hour_each_twice_a_week():
    weekly = hours.weekly_hours(60, 2, 35)
    assert weekly == 70.0
    assert hours.annual_hours(weekly, 46) == 3220.0


def test_every_other_week_is_half_an_occurrence():
    assert hours.weekly_hours(30, 0.5, 4) == 1.0


def test_exactly_forty_hours_a_week_is_plausible_and_more_is_not():
    assert hours.is_plausible(480, 5)
    assert hours.is_plausible(2.4, 1000)  # 2,400 minutes, despite float rounding
    assert not hours.is_plausible(480, 5.01)
    assert not hours.is_plausible(2.41, 1000)


def test_realized_hours_count_the_days_on_or_after_retirement():
    q3 = Quarter.parse("2026-Q3")  # July to September: 92 days
    annual = 3650.0
    assert hours.realized_hours(annual, date(2026, 1, 1), q3.first_day, q3.last_day) == pytest.approx(920.0)
    assert hours.realized_hours(annual, date(2026, 9, 30), q3.first_day, q3.last_day) == pytest.approx(10.0)
    assert hours.realized_hours(annual, date(2026, 8, 1), q3.first_day, q3.last_day) == pytest.approx(610.0)
    assert hours.realized_hours(annual, date(2026, 10, 1), q3.first_day, q3.last_day) == 0


def test_calendar_quarters():
    q = Quarter.parse("2026-Q3")
    assert (q.first_day, q.last_day) == (date(2026, 7, 1), date(2026, 9, 30))
    assert str(q) == "2026-Q3"
    assert Quarter.containing(date(2026, 12, 31)) == Quarter(2026, 4)
    assert Quarter.parse("2026-Q1").previous() == Quarter(2025, 4)


def test_july_fiscal_year_is_named_after_the_year_it_ends():
    q1 = Quarter.parse("2027-Q1", start_month=7)
    assert (q1.first_day, q1.last_day) == (date(2026, 7, 1), date(2026, 9, 30))
    assert Quarter.parse("2027-Q3", start_month=7).first_day == date(2027, 1, 1)
    assert Quarter.containing(date(2026, 6, 30), start_month=7) == Quarter(2026, 4, 7)
    assert Quarter.containing(date(2026, 7, 1), start_month=7) == Quarter(2027, 1, 7)


def test_last_eight_quarters_oldest_first():
    quarters = Quarter.parse("2026-Q3").last(8)
    assert [str(q) for q in quarters] == [
        "2024-Q4", "2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4", "2026-Q1", "2026-Q2", "2026-Q3"]


def test_a_fiscal_quarter_is_written_fy_with_its_months_and_read_either_way():
    q1 = Quarter.parse("2027-Q1", start_month=7)
    assert (str(q1), q1.key, q1.months(), q1.months(long=True)) == (
        "FY2027-Q1", "2027-Q1", "Jul–Sep 2026", "July–September 2026")
    assert Quarter.parse("FY2027-Q1", start_month=7) == Quarter.parse("fy2027-q1", start_month=7) == q1
    december_start = Quarter.parse("FY2027-Q1", start_month=12)
    assert (str(december_start), december_start.months()) == ("FY2027-Q1", "Dec 2026–Feb 2027")


def test_a_calendar_quarter_is_written_as_it_is_typed():
    q3 = Quarter.parse("2026-Q3")
    assert (str(q3), q3.key, q3.months(), q3.months(long=True)) == ("2026-Q3", "2026-Q3", "Jul–Sep 2026",
                                                                    "July–September 2026")


@pytest.mark.parametrize("text", ["2026Q3", "26-Q1", "2026-q3x", "", "FY-2026-Q1", "Q3-2026", "２０２６-Q3"])
def test_malformed_quarters_are_refused_with_the_expected_form(text):
    with pytest.raises(ValueError, match="write it like 2026-Q3"):
        Quarter.parse(text)


@pytest.mark.parametrize("text", ["2026-Q5", "2026-Q0", "FY2027-Q9", "2026-Q10"])
def test_impossible_quarters_are_refused_saying_a_year_has_four(text):
    with pytest.raises(ValueError, match="a year has four, Q1 to Q4"):
        Quarter.parse(text)


def test_a_very_long_refused_quarter_is_named_cut_short():
    with pytest.raises(ValueError) as refused:
        Quarter.parse("x" * 5_000)
    assert "“" + "x" * 40 + "…”" in str(refused.value) and "x" * 41 not in str(refused.value)


@pytest.mark.parametrize("text", ["0000-Q1", "0001-Q1", "1899-Q4", "1900-Q1", "9999-Q4"])
def test_quarters_outside_what_excel_and_python_can_date_are_refused(text):
    with pytest.raises(ValueError, match="choose a year from 1901 to 9998"):
        Quarter.parse(text)


@pytest.mark.parametrize("text", ["1901-Q1", "9998-Q4"])
def test_the_first_and_last_quarters_allowed_have_neighbours(text):
    quarter = Quarter.parse(text, start_month=7)
    assert quarter.previous().first_day < quarter.first_day < quarter.next().last_day


days = st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31))
start_months = st.integers(min_value=1, max_value=12)


@given(days, start_months)
def test_a_day_lies_in_the_quarter_containing_it(day, start_month):
    quarter = Quarter.containing(day, start_month)
    assert quarter.first_day <= day <= quarter.last_day
    assert Quarter.parse(str(quarter), start_month) == quarter


@given(days, start_months)
def test_quarters_tile_the_calendar(day, start_month):
    quarter = Quarter.containing(day, start_month)
    assert quarter.next().first_day == quarter.last_day + timedelta(days=1)
    assert 89 <= quarter.days <= 92  # February to April in a common year is 89 days
    assert quarter.next().previous() == quarter


@given(start_months, st.integers(min_value=2001, max_value=2099))
def test_a_fiscal_year_is_four_quarters_of_one_year(start_month, fiscal_year):
    first, last = Quarter(fiscal_year, 1, start_month), Quarter(fiscal_year, 4, start_month)
    assert last.last_day + timedelta(days=1) == first.first_day.replace(year=first.first_day.year + 1)
    assert last.last_day.year == fiscal_year  # named after the calendar year in which it ends


minutes = st.floats(min_value=0.01, max_value=480, allow_nan=False)
per_week = st.floats(min_value=0.01, max_value=1000, allow_nan=False)
clinicians = st.integers(min_value=1, max_value=100_000)


@given(minutes, per_week, clinicians)
def test_weekly_hours_grow_in_proportion_to_clinicians(m, o, c):
    assert hours.weekly_hours(m, o, c) == pytest.approx(c * hours.weekly_hours(m, o, 1))


@given(minutes, per_week)
def test_plausibility_is_the_forty_hour_line(m, o):
    assert hours.is_plausible(m, o) == (m * o <= 2400 + 1e-9)


@given(st.floats(min_value=0, max_value=1e7, allow_nan=False), days, days)
def test_a_whole_year_of_quarters_realizes_the_annual_hours(annual, retired_on, day):
    """Retired before the year begins, the four quarters sum to annual x days of the year / 365."""
    quarters = Quarter.containing(day).last(4)
    retired_on = min(retired_on, quarters[0].first_day)
    total = sum(hours.realized_hours(annual, retired_on, q.first_day, q.last_day) for q in quarters)
    year_days = (quarters[-1].last_day - quarters[0].first_day).days + 1
    assert total == pytest.approx(annual * year_days / 365)


@given(st.floats(min_value=1, max_value=1e6), days, days)
def test_later_retirement_never_realizes_more(annual, a, b):
    q = Quarter.parse("2026-Q2")
    earlier, later = min(a, b), max(a, b)
    assert hours.realized_hours(annual, later, q.first_day, q.last_day) <= hours.realized_hours(
        annual, earlier, q.first_day, q.last_day)


def test_a_stored_moment_is_shown_on_the_organizations_clocks():
    evening = hours.on_clocks_of(datetime(2026, 10, 2, 3, 30, tzinfo=UTC), "America/Chicago")
    assert (evening.date(), evening.hour, evening.tzname()) == (date(2026, 10, 1), 22, "CDT")


def test_a_moment_sqlite_gives_back_without_its_zone_is_read_as_utc():
    assert hours.on_clocks_of(datetime(2026, 1, 15, 12, 0), "America/Chicago").hour == 6  # CST, six hours behind

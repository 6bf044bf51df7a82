"""The hours arithmetic and the quarters of docs/product.md, in one place. Pure Python: no database, no Flask.

weekly_hours, annual_hours, realized_hours_of and cost use only * and /, so they work on numbers and on
SQLAlchemy column expressions alike: the same formula serves Python and SQL aggregates. days_counted has
a SQL twin, queries/hours_sql.py's days_counted_column, for the reports' GROUP BY queries.
"""

import calendar
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

MINUTES_PER_HOUR = 60
DAYS_PER_YEAR = 365
MAX_MINUTES_PER_CLINICIAN_WEEK = 40 * MINUTES_PER_HOUR
_ROUNDING_SLACK = 1e-9  # so that 2.4 min x 1,000 a week, exactly 40 hours, is not refused by float error


def minutes_per_clinician_week(minutes_per_occurrence, occurrences_per_week):
    return minutes_per_occurrence * occurrences_per_week


def is_plausible(minutes_per_occurrence: float, occurrences_per_week: float) -> bool:
    """At most 40 hours a week for one clinician; exactly 40 is allowed."""
    burden = minutes_per_clinician_week(minutes_per_occurrence, occurrences_per_week)
    return burden <= MAX_MINUTES_PER_CLINICIAN_WEEK + _ROUNDING_SLACK


def weekly_hours(minutes_per_occurrence, occurrences_per_week, clinicians_affected):
    return minutes_per_occurrence * occurrences_per_week * clinicians_affected / MINUTES_PER_HOUR


def annual_hours(weekly, working_weeks_per_year):
    return weekly * working_weeks_per_year


def days_counted(retired_on: date, first_day: date, last_day: date) -> int:
    """Days of the period on or after the retirement date."""
    start = max(retired_on, first_day)
    return max((last_day - start).days + 1, 0)


def realized_hours_of(annual, days):
    """Hours given back over `days` days by a burden worth `annual` hours a year."""
    return annual * days / DAYS_PER_YEAR


def realized_hours(annual: float, retired_on: date, first_day: date, last_day: date) -> float:
    return realized_hours_of(annual, days_counted(retired_on, first_day, last_day))


def a_year_of(total: float, months: int) -> float:
    """A total over some months, brought to twelve."""
    return total * 12 / months


def measured_hours_a_year(change: float, denominators_a_year: float, hours_each: float) -> float:
    """Clinician-hours a year a measured change of an EHR metric gives back: the change, as numerator per
    denominator (negative when the metric fell), times the denominators of a year (scheduled hours, days, shifts
    or weeks) and the hours one unit of the numerator is. A fall gives hours back: a positive figure."""
    return -change * denominators_a_year * hours_each


def today_in(zone: str, now: datetime | None = None) -> date:
    """The organization's today: the date on its clocks (an IANA zone such as America/Chicago)."""
    return (now or datetime.now(UTC)).astimezone(ZoneInfo(zone)).date()


def on_clocks_of(moment: datetime, zone: str) -> datetime:
    """A stored moment as the organization's clocks show it. SQLite gives stored moments back without their
    zone; they were written in UTC."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(ZoneInfo(zone))


def midnight_starting(day: date, zone: str) -> datetime:
    """The moment the organization's day begins, in UTC, for comparing stored event times."""
    return datetime.combine(day, datetime.min.time(), tzinfo=ZoneInfo(zone)).astimezone(UTC)


def is_time_zone(name: str) -> bool:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return False
    return "/" in name or name == "UTC"  # a region's zone, not an abbreviation such as EST


def time_zones() -> list[str]:
    """The zones to offer: regions and cities (America/Chicago), not abbreviations or fixed offsets."""
    return sorted(name for name in available_timezones()
                  if "/" in name and not name.startswith(("Etc/", "SystemV/", "posix/", "right/")))


def fte(annual: float, fte_hours_per_year: float) -> float:
    return annual / fte_hours_per_year


def cost(hours: float, usd_per_hour: float) -> float:
    return hours * usd_per_hour


# Excel's dates begin in 1900 and Python's end in 9999; a quarter and its neighbours must fit inside both.
FIRST_YEAR, LAST_YEAR = 1901, 9998
_LONGEST_SHOWN = 40  # a refused quarter is named in the message; a very long one is cut short
_QUARTER_PATTERN = re.compile(r"^(FY)?([0-9]{4})-Q([0-9]+)$", re.IGNORECASE)


@dataclass(frozen=True, order=True)
class Quarter:
    """A fiscal quarter, named after the calendar year in which its fiscal year ends.

    With a July start (start_month=7), 2027-Q1 is July to September 2026.
    """

    fiscal_year: int
    number: int
    start_month: int = 1

    @classmethod
    def parse(cls, text: str, start_month: int = 1) -> "Quarter":
        """2026-Q3, or FY2027-Q1 as pages write a fiscal quarter; anything else is refused with a message."""
        match = _QUARTER_PATTERN.match(text.strip())
        shown = text if len(text) <= _LONGEST_SHOWN else text[:_LONGEST_SHOWN] + "…"
        if not match:
            raise ValueError(f"“{shown}” is not a quarter: write it like 2026-Q3")
        year, number = int(match[2]), int(match[3])
        if not 1 <= number <= 4:
            raise ValueError(f"“{shown}” is not a quarter: a year has four, Q1 to Q4")
        if not FIRST_YEAR <= year <= LAST_YEAR:
            raise ValueError(f"“{shown}” is out of range: choose a year from {FIRST_YEAR} to {LAST_YEAR}")
        return cls(year, number, start_month)

    @classmethod
    def containing(cls, day: date, start_month: int = 1) -> "Quarter":
        months_into_year = (day.month - start_month) % 12
        fiscal_year = day.year + (1 if start_month > 1 and day.month >= start_month else 0)
        return cls(fiscal_year, months_into_year // 3 + 1, start_month)

    @property
    def first_day(self) -> date:
        year = self.fiscal_year - (1 if self.start_month > 1 else 0)
        month_index = self.start_month - 1 + 3 * (self.number - 1)
        return date(year + month_index // 12, month_index % 12 + 1, 1)

    @property
    def last_day(self) -> date:
        return self.next().first_day - timedelta(days=1)

    @property
    def days(self) -> int:
        return (self.last_day - self.first_day).days + 1

    def next(self) -> "Quarter":
        if self.number == 4:
            return Quarter(self.fiscal_year + 1, 1, self.start_month)
        return Quarter(self.fiscal_year, self.number + 1, self.start_month)

    def previous(self) -> "Quarter":
        if self.number == 1:
            return Quarter(self.fiscal_year - 1, 4, self.start_month)
        return Quarter(self.fiscal_year, self.number - 1, self.start_month)

    def last(self, count: int) -> list["Quarter"]:
        """This quarter and the count - 1 before it, oldest first."""
        quarters = [self]
        while len(quarters) < count:
            quarters.append(quarters[-1].previous())
        return quarters[::-1]

    def realized_through(self, today: date) -> date:
        """The last day whose hours count as realized: the quarter's last day once it is over, else yesterday.
        Before the quarter begins this falls before its first day, and nothing is realized."""
        return min(self.last_day, today - timedelta(days=1))

    @property
    def key(self) -> str:
        """How addresses and the command line write it: 2027-Q1."""
        return f"{self.fiscal_year}-Q{self.number}"

    def __str__(self) -> str:
        """How people read it: FY2027-Q1 when the fiscal year does not start in January, else 2026-Q3."""
        return self.key if self.start_month == 1 else f"FY{self.key}"

    @property
    def year_label(self) -> str:
        """Its fiscal year as people read it: FY2027 when the year does not start in January, else 2026."""
        return str(self.fiscal_year) if self.start_month == 1 else f"FY{self.fiscal_year}"

    def months(self, long: bool = False) -> str:
        """Jul–Sep 2026 (July–September 2026 when long); Nov 2026–Jan 2027 across New Year."""
        names = calendar.month_name if long else calendar.month_abbr
        first, last = self.first_day, self.last_day
        start = names[first.month] + ("" if first.year == last.year else f" {first.year}")
        return f"{start}–{names[last.month]} {last.year}"

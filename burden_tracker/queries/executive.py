"""What an executive asks after the quarter's figures: the year so far, the annual target, the largest wins, and
how to read it all. The dashboard and the workbook's Summary both ask here."""

from dataclasses import dataclass, replace
from datetime import date

from sqlalchemy import select
from sqlmodel import Session

from .. import hours
from ..enums import State
from ..models import MINUTES_A_WEEK, Department, Nomination
from .dialects import between_row_by_row
from .estimates import annual_hours_column
from .reporting import Figures

# "How to read these figures", on the dashboard and the workbook's Summary alike.
HOW_TO_READ = (
    "Freed time is clinicians' time given back to care, not a cash saving: no budget line shrinks by these dollars.",
    "Cost uses each role's mean hourly wage (the Assumptions sheet), not its loaded cost.",
    "FTE divides hours a year by the FTE hours per year of the settings (2,080 by default).",
    "Hours are estimates: the submitter's, or the review board's once it has evaluated the nomination.",
    "Hours realized count from each retirement's effective date; for the quarter under way, through yesterday.",
    "A closed quarter's figures never change. A later change that would alter them (a back-dated retirement, a "
    "revised estimate, an import of history) is a restatement, shown beside them; quarters not closed may change.",
)


# The flows set against the previous quarter and the year to date: (label, Figures field, kind of number).
COMPARED = (("Nominations received", "received", "count"), ("Decided to retire", "decided_to_retire", "count"),
            ("Retired (effective)", "retired", "count"), ("Hours realized", "realized_hours", "hours"),
            ("Cost realized (USD)", "realized_cost", "money"))
# What a quarter adds to the year; the rest (retired by its end, potential) stands at its end.
FLOWS = ("received", "evaluated", "decided_to_retire", "retired", "rejected", "realized_hours", "realized_cost")


@dataclass(frozen=True)
class Target:
    hours: float  # to realize in the fiscal year
    realized: float  # in the fiscal year to date

    @property
    def share(self) -> float:
        return self.realized / self.hours


def year_to_date(past: list[tuple]) -> Figures:
    """The fiscal year so far, from history()'s (quarter, Figures), the chosen quarter last: its flows summed
    over the year's quarters up to it; what stands at a quarter's end, as at its end."""
    quarter, figures = past[-1]
    year = [f for q, f in past if q.fiscal_year == quarter.fiscal_year]
    return replace(figures, **{name: sum(getattr(f, name) for f in year) for name in FLOWS})


@dataclass(frozen=True)
class LargestWin:
    nomination_id: int
    title: str
    department: str
    retired_on: date
    annual_hours: float


def largest_wins(*, session: Session, quarter: hours.Quarter, figures: Figures, count: int = 5,
                 site_id: int | None = None) -> list[LargestWin]:
    """The quarter's retirements (effective in it) that give back the most hours a year, of one site's when site_id
    is given; `figures` are the quarter's (the site's), which say how many there are."""
    annual = annual_hours_column(session=session)
    # Retired by the quarter's end (report_terms.retired_by_end) and on or after its first day. Two ways to find the
    # largest: read the quarter's retirements through the index of retired days and sort them, or walk the hours
    # index of every retirement from the largest and stop at the fifth in the quarter, which reads about
    # count × (all retired ÷ retired in the quarter) rows. The walk wins once the quarter holds more than
    # √(count × all retired) of them; a quiet quarter (its first days) is sorted, or the walk would read the whole
    # history. SQLite is told which by keeping the days off their index; PostgreSQL chooses by its statistics.
    walk = figures.retired ** 2 > count * figures.retired_by_end
    first, last = quarter.first_day, quarter.last_day
    in_quarter = (between_row_by_row(Nomination.retired_on, first, last) if walk
                  else Nomination.retired_on.between(first, last))
    query = (select(Nomination.id, Nomination.title, Department.name, Nomination.retired_on, annual)
             .join(Department, Department.id == Nomination.department_id)
             .where(Nomination.state == State.RETIRED, in_quarter,
                    *([] if site_id is None else [Department.site_id == site_id]))
             # Hours a year are minutes a week times a constant: the expression the state's hours index holds.
             .order_by(MINUTES_A_WEEK.desc(), Nomination.id).limit(count))
    return [LargestWin(*row) for row in session.execute(query)]

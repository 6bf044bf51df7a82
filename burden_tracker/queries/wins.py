"""The Wins page: every retired burden, what changed and the hours a year it gives back, newest first.

Celebrating each removal is how a program like this keeps nominations coming (docs/product.md). The page is for
everyone signed in, so it names no submitter at all: an anonymous one can never slip through.
The totals are counted in the reports' own terms (queries/report_terms.py), so the page cannot disagree with the
dashboard or the workbook.
"""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlmodel import Session

from .. import hours
from ..enums import Outcome, State
from ..models import Category, Department, Nomination
from . import kept_figures
from .estimates import annual_hours_column
from .listing import Listing
from .measured_impact import Impact, measured_impacts
from .reference import get_settings, organization_today
from .report_groups import OUTCOME_NOT_RECORDED
from .report_terms import retired_on_or_before


@dataclass(frozen=True)
class Win:
    id: int
    title: str
    department: str
    category: str
    retired_on: date
    what_changed: str | None
    annual_hours: float
    measured_metric: str | None = None
    outcome: Outcome | None = None


@dataclass(frozen=True)
class Headline:
    """What the program has given back so far: burdens retired by today and their hours a year, in all and by how
    they were resolved (an outcome's name, or report_groups.OUTCOME_NOT_RECORDED), largest first."""

    retired: int
    annual_hours: float
    fte: float
    by_outcome: list[tuple[str, int, float]]

    @property
    def outcomes_recorded(self) -> bool:
        return any(label != OUTCOME_NOT_RECORDED for label, _, _ in self.by_outcome)


def list_wins(*, session: Session, page: int, per_page: int) -> Listing:
    """One query; one row more than the page holds tells whether another page follows."""
    query = (
        select(Nomination.id, Nomination.title, Department.name, Category.name, Nomination.retired_on,
               Nomination.what_changed, annual_hours_column(session=session), Nomination.measured_metric,
               Nomination.outcome)
        .join(Department, Department.id == Nomination.department_id)
        .join(Category, Category.id == Nomination.category_id)
        .where(Nomination.state == State.RETIRED)
        .order_by(Nomination.retired_on.desc(), Nomination.id.desc())
        .offset((page - 1) * per_page)
        .limit(per_page + 1)
    )
    wins = [Win(*row) for row in session.execute(query)]
    return Listing(rows=wins[:per_page], page=page, per_page=per_page, has_next=len(wins) > per_page)


def measured_wins(*, session: Session, wins: list[Win], today: date) -> dict[int, Impact]:
    """The measured impact of the wins linked to an EHR metric that have a figure, by nomination id."""
    linked = [win.id for win in wins if win.measured_metric]
    if not linked:
        return {}
    return {impact.nomination_id: impact for impact in measured_impacts(session=session, today=today,
                                                                        nomination_ids=linked)
            if impact.measured.effect is not None}


def retired_by(*, session: Session, day: date) -> dict[Outcome | None, tuple[int, float]]:
    """The burdens retired on or before the day, by how they were resolved (None: not recorded): how many, and the
    hours a year they give back. Read from the kept figures of the day's quarter while they are current: counting
    every retirement of the program's history on each request grew with it."""
    quarter = hours.Quarter.containing(day, get_settings(session=session).fiscal_year_start_month)
    if kept_figures.current(session=session, quarters=[quarter]):
        kept = kept_figures.retired_by_outcome(session=session, quarter=quarter, day=day)
        return {None if key == "None" else Outcome(key): found for key, found in kept.items()}
    return retired_by_counted(session=session, day=day)


def retired_by_counted(*, session: Session, day: date) -> dict[Outcome | None, tuple[int, float]]:
    """As retired_by, counted from every retirement of the program's history."""
    query = (select(Nomination.outcome, func.count(), func.coalesce(func.sum(annual_hours_column(session=session)),
                                                                    0.0))
             .where(retired_on_or_before(day)).group_by(Nomination.outcome))
    return {outcome: (count, float(annual)) for outcome, count, annual in session.execute(query)}


def headline(*, session: Session, today: date | None = None) -> Headline:
    """The reports' own figures (retired on or before today), so the page and the dashboard agree."""
    found = retired_by(session=session, day=today or organization_today(session=session))
    annual = sum(hours_a_year for _, hours_a_year in found.values())
    return Headline(retired=sum(count for count, _ in found.values()), annual_hours=annual,
                    fte=hours.fte(annual, get_settings(session=session).fte_hours_per_year),
                    by_outcome=sorted(((outcome.value if outcome else OUTCOME_NOT_RECORDED, *counted)
                                       for outcome, counted in found.items()), key=lambda row: -row[2]))

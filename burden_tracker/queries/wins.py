"""The Wins page: every retired burden, what changed and the hours a year it gives back, newest first.

Celebrating each removal is how a program like this keeps nominations coming (docs/product.md). The page is for
everyone signed in, so it names no submitter at all: an anonymous one can never slip through.
The totals come from queries/reporting.py, so the page cannot disagree with the dashboard or the workbook.
"""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlmodel import Session

from .. import hours
from ..enums import State
from ..models import Category, Department, Nomination
from .estimates import annual_hours_column
from .listing import Listing
from .measured_impact import Impact, measured_impacts
from .reference import get_settings, organization_today
from .reporting import retired_by


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


@dataclass(frozen=True)
class Headline:
    """What the program has given back so far: burdens retired by today and their hours a year."""

    retired: int
    annual_hours: float
    fte: float


def list_wins(*, session: Session, page: int, per_page: int) -> Listing:
    """One query; one row more than the page holds tells whether another page follows."""
    query = (
        select(Nomination.id, Nomination.title, Department.name, Category.name, Nomination.retired_on,
               Nomination.what_changed, annual_hours_column(session=session), Nomination.measured_metric)
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


def headline(*, session: Session, today: date | None = None) -> Headline:
    """The reports' own figures (retired on or before today), so the page and the dashboard agree."""
    count, annual = retired_by(session=session, day=today or organization_today(session=session))
    return Headline(retired=count, annual_hours=annual,
                    fte=hours.fte(annual, get_settings(session=session).fte_hours_per_year))

"""Paged lists of nominations, with their hours computed by the database."""

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlmodel import Session

from .. import hours
from ..models import Category, Department, Nomination
from .reference import get_settings


def estimate_columns():
    """The estimate in force as SQL: the board's once it exists, else the submitter's."""
    return (
        func.coalesce(Nomination.board_minutes_per_occurrence, Nomination.minutes_per_occurrence),
        func.coalesce(Nomination.board_occurrences_per_week, Nomination.occurrences_per_week),
        func.coalesce(Nomination.board_clinicians_affected, Nomination.clinicians_affected),
    )


@dataclass(frozen=True)
class NominationRow:
    id: int
    title: str
    state: str
    department: str
    category: str
    submitted_on: object
    annual_hours: float


@dataclass(frozen=True)
class Listing:
    rows: list[NominationRow]
    page: int
    has_next: bool


def list_nominations(*, session: Session, page: int, per_page: int) -> Listing:
    working_weeks = get_settings(session=session).working_weeks_per_year
    annual = hours.annual_hours(hours.weekly_hours(*estimate_columns()), working_weeks)
    query = (
        select(Nomination.id, Nomination.title, Nomination.state, Department.name, Category.name,
               Nomination.submitted_on, annual)
        .join(Department, Department.id == Nomination.department_id)
        .join(Category, Category.id == Nomination.category_id)
        .order_by(Nomination.submitted_on.desc(), Nomination.id.desc())
        .offset((page - 1) * per_page)
        .limit(per_page + 1)
    )
    rows = [NominationRow(*row) for row in session.execute(query)]
    return Listing(rows=rows[:per_page], page=page, has_next=len(rows) > per_page)

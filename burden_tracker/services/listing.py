"""Paged, filtered and sorted lists of nominations, with their hours and supporters counted by the database."""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlmodel import Session

from .. import hours
from ..enums import RequirementSource, State
from ..models import Category, Department, Nomination, Supporter
from .reference import get_settings

SORTS = ("newest", "hours", "supporters")
MAX_SEARCH_WORDS = 8


def estimate_columns():
    """The estimate in force as SQL: the board's once it exists, else the submitter's."""
    return (
        func.coalesce(Nomination.board_minutes_per_occurrence, Nomination.minutes_per_occurrence),
        func.coalesce(Nomination.board_occurrences_per_week, Nomination.occurrences_per_week),
        func.coalesce(Nomination.board_clinicians_affected, Nomination.clinicians_affected),
    )


@dataclass(frozen=True)
class Filters:
    state: State | None = None
    department_id: int | None = None
    category_id: int | None = None
    source: RequirementSource | None = None
    q: str = ""
    sort: str = "newest"


@dataclass(frozen=True)
class NominationRow:
    id: int
    title: str
    state: State
    department: str
    category: str
    submitted_on: date
    annual_hours: float
    supporters: int


@dataclass(frozen=True)
class Listing:
    rows: list[NominationRow]
    page: int
    per_page: int
    has_next: bool

    @property
    def first_number(self) -> int:
        return (self.page - 1) * self.per_page + 1


def list_nominations(*, session: Session, page: int, per_page: int, filters: Filters | None = None) -> Listing:
    """One query. The page's ids are chosen first, so that only those rows are joined and their supporters counted."""
    annual = _annual_hours(session)
    chosen = _chosen_ids(filters or Filters(), annual, offset=(page - 1) * per_page, limit=per_page + 1)
    supporters = select(func.count()).select_from(Supporter).where(Supporter.nomination_id == Nomination.id)
    query = (
        select(Nomination.id, Nomination.title, Nomination.state, Department.name, Category.name,
               Nomination.submitted_on, annual, supporters.scalar_subquery())
        .join(chosen, chosen.c.id == Nomination.id)
        .join(Department, Department.id == Nomination.department_id)
        .join(Category, Category.id == Nomination.category_id)
        .order_by(*(key.desc() for key in chosen.c))
    )
    rows = [NominationRow(*row) for row in session.execute(query)]
    return Listing(rows=rows[:per_page], page=page, per_page=per_page, has_next=len(rows) > per_page)


def _chosen_ids(filters: Filters, annual, *, offset: int, limit: int):
    """The ids of one page, with the values they are sorted by (largest first; the newest breaks ties)."""
    counts = (select(Supporter.nomination_id, func.count().label("supporters"))
              .group_by(Supporter.nomination_id).subquery())
    first = {"newest": [], "hours": [annual], "supporters": [func.coalesce(counts.c.supporters, 0)]}[filters.sort]
    keys = [key.label(f"sort_{i}") for i, key in enumerate([*first, Nomination.submitted_on])]
    query = select(*keys, Nomination.id).where(*_conditions(filters))
    if filters.sort == "supporters":
        query = query.outerjoin(counts, counts.c.nomination_id == Nomination.id)
    return query.order_by(*(key.desc() for key in keys), Nomination.id.desc()).offset(offset).limit(limit).subquery()


def _annual_hours(session: Session):
    working_weeks = get_settings(session=session).working_weeks_per_year
    return hours.annual_hours(hours.weekly_hours(*estimate_columns()), working_weeks)


def _conditions(filters: Filters) -> list:
    conditions = [column == value for column, value in (
        (Nomination.state, filters.state),
        (Nomination.department_id, filters.department_id),
        (Nomination.category_id, filters.category_id),
        (Nomination.requirement_source, filters.source),
    ) if value is not None]
    for word in filters.q.split()[:MAX_SEARCH_WORDS]:
        conditions.append(Nomination.title.icontains(word, autoescape=True)
                          | Nomination.description.icontains(word, autoescape=True))
    return conditions


def filter_choices(*, session: Session) -> dict[str, list[tuple[int, str]]]:
    """The departments and categories a list can be narrowed to, by name."""
    return {"departments": _names(session, Department), "categories": _names(session, Category)}


def _names(session: Session, model) -> list[tuple[int, str]]:
    return session.execute(select(model.id, model.name).order_by(func.lower(model.name))).all()

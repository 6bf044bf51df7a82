"""Paged, filtered and sorted lists of nominations, with their hours and supporters counted by the database.

The browse page (/nominations) and the board's triage queue (/board) both ask here. A nomination is
overdue when it is still open (proposed or evaluated) and has waited longer than the settings' stale_after_days.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import case, func, select
from sqlalchemy.orm import aliased
from sqlmodel import Session

from ..enums import RequirementSource, State
from ..models import Category, Department, Nomination, Supporter, User
from ..workflow import OPEN_STATES
from .estimates import annual_hours_column
from .reference import get_settings

SORTS = ("newest", "hours", "supporters", "age")
AGES = ("new", "overdue")
NEW_DAYS = 7  # "new" is what arrived since last week's meeting
MAX_SEARCH_WORDS = 8


@dataclass(frozen=True)
class Filters:
    states: frozenset[State] = frozenset()  # any of these; none means every state
    department_id: int | None = None
    category_id: int | None = None
    source: RequirementSource | None = None
    owner_id: int | None = None
    unassigned: bool = False
    age: str | None = None  # one of AGES
    q: str = ""
    sort: str = "newest"

    @property
    def state(self) -> State | None:
        """The one state asked for, when it is just one."""
        return next(iter(self.states)) if len(self.states) == 1 else None


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
    owner: str | None = None
    age_days: int = 0  # since it was submitted
    overdue: bool = False

    @property
    def waiting(self) -> bool:
        """Still open: waiting for the board."""
        return self.state in OPEN_STATES


@dataclass(frozen=True)
class Listing:
    """One page of a list (nominations here, wins in services/wins.py)."""

    rows: list
    page: int
    per_page: int
    has_next: bool

    @property
    def first_number(self) -> int:
        return (self.page - 1) * self.per_page + 1


@dataclass(frozen=True)
class StateCount:
    nominations: int = 0
    overdue: int = 0


class _Ages:
    """The day the list is drawn up, and what "new" and "overdue" mean on it, as SQL conditions."""

    def __init__(self, session: Session, today: date | None):
        self.today = today or date.today()
        waited = timedelta(days=get_settings(session=session).stale_after_days)
        self.overdue = Nomination.state.in_(OPEN_STATES) & (Nomination.submitted_on < self.today - waited)
        self.new = Nomination.submitted_on >= self.today - timedelta(days=NEW_DAYS)


def list_nominations(*, session: Session, page: int, per_page: int, filters: Filters | None = None,
                     today: date | None = None) -> Listing:
    """One query. The page's ids are chosen first, so that only those rows are joined and their supporters counted."""
    filters = filters or Filters()
    ages = _Ages(session, today)
    annual = annual_hours_column(session=session)
    chosen = _chosen_ids(filters, ages, annual, offset=(page - 1) * per_page, limit=per_page + 1)
    supporters = select(func.count()).select_from(Supporter).where(Supporter.nomination_id == Nomination.id)
    owner = aliased(User)
    query = (
        select(Nomination.id, Nomination.title, Nomination.state, Department.name, Category.name,
               Nomination.submitted_on, annual, supporters.scalar_subquery(),
               func.coalesce(func.nullif(owner.name, ""), owner.email), case((ages.overdue, 1), else_=0))
        .join(chosen, chosen.c.id == Nomination.id)
        .join(Department, Department.id == Nomination.department_id)
        .join(Category, Category.id == Nomination.category_id)
        .outerjoin(owner, owner.id == Nomination.owner_id)
        .order_by(*_in_order(filters.sort, chosen.c))
    )
    rows = [NominationRow(*row[:9], age_days=(ages.today - row[5]).days, overdue=bool(row[9]))
            for row in session.execute(query)]
    return Listing(rows=rows[:per_page], page=page, per_page=per_page, has_next=len(rows) > per_page)


def count_by_state(*, session: Session, filters: Filters, today: date | None = None) -> dict[State, StateCount]:
    """How many nominations, and how many of them overdue, each state holds under every filter but the state."""
    ages = _Ages(session, today)
    query = (select(Nomination.state, func.count(), func.sum(case((ages.overdue, 1), else_=0)))
             .where(*_conditions(filters, ages, with_states=False)).group_by(Nomination.state))
    counted = {state: StateCount(count, overdue) for state, count, overdue in session.execute(query)}
    return {state: counted.get(state, StateCount()) for state in State}


def _chosen_ids(filters: Filters, ages: _Ages, annual, *, offset: int, limit: int):
    """The ids of one page, with the values they are sorted by (see _in_order)."""
    counts = (select(Supporter.nomination_id, func.count().label("supporters"))
              .group_by(Supporter.nomination_id).subquery())
    first = {"newest": [], "age": [], "hours": [annual],
             "supporters": [func.coalesce(counts.c.supporters, 0)]}[filters.sort]
    keys = [key.label(f"sort_{i}") for i, key in enumerate([*first, Nomination.submitted_on])]
    query = select(*keys, Nomination.id).where(*_conditions(filters, ages))
    if filters.sort == "supporters":
        query = query.outerjoin(counts, counts.c.nomination_id == Nomination.id)
    return query.order_by(*_in_order(filters.sort, [*keys, Nomination.id])).offset(offset).limit(limit).subquery()


def _in_order(sort: str, keys) -> list:
    """Largest first, the newest breaking ties; by age, the oldest first, the earlier entry breaking ties."""
    return [key.asc() if sort == "age" else key.desc() for key in keys]


def _conditions(filters: Filters, ages: _Ages, *, with_states: bool = True) -> list:
    conditions = [column == value for column, value in (
        (Nomination.department_id, filters.department_id),
        (Nomination.category_id, filters.category_id),
        (Nomination.requirement_source, filters.source),
        (Nomination.owner_id, filters.owner_id),
    ) if value is not None]
    if with_states and filters.states:
        conditions.append(Nomination.state.in_(filters.states))
    if filters.unassigned:
        conditions.append(Nomination.owner_id.is_(None))
    if filters.age:
        conditions.append({"new": ages.new, "overdue": ages.overdue}[filters.age])
    for word in filters.q.split()[:MAX_SEARCH_WORDS]:
        conditions.append(Nomination.title.icontains(word, autoescape=True)
                          | Nomination.description.icontains(word, autoescape=True))
    return conditions


def filter_choices(*, session: Session) -> dict[str, list[tuple[int, str]]]:
    """The departments and categories a list can be narrowed to, by name."""
    return {"departments": _names(session, Department), "categories": _names(session, Category)}


def _names(session: Session, model) -> list[tuple[int, str]]:
    return session.execute(select(model.id, model.name).order_by(func.lower(model.name))).all()

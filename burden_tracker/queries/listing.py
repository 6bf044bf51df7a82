"""Paged, filtered and sorted lists of nominations, with their hours and supporters counted by the database.

The browse page (/nominations) and the board's triage queue (/board) both ask here. A nomination is
overdue when it is still open (proposed or evaluated) and is past the due day the board set for its evaluation, or,
without one, has not moved for longer than the settings' stale_after_days (since its submission, until its first
move).

One module of more than 300 lines, because the browse page and the board share one query builder: the filters,
the shape of the SQL built once per kind of filter, the page and the tab counts are read together when a list
changes, and the tests of large lists (tests/integration/queries/test_listing.py) hold them as one.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from typing import NamedTuple

from sqlalchemy import Date, Float, Integer, String, bindparam, case, false, func, literal, or_, select, true, union_all
from sqlalchemy.orm import aliased
from sqlmodel import Session

from .. import hours
from ..enums import Actor, RequirementSource, State
from ..models import MINUTES_A_WEEK, Nomination, User
from ..naming import person_named
from ..schemas import without_nul
from ..workflow import OPEN_STATES
from .dialects import before_row_by_row, like_any_case
from .estimates import weekly_hours_column
from .reference import ForLists, for_lists

SORTS = ("newest", "hours", "supporters", "age")
AGES = ("new", "overdue")
NEW_DAYS = 7  # "new" is what arrived since last week's meeting
MAX_SEARCH_WORDS = 8
COUNT_LIMIT = 1000  # the tabs count up to this many nominations per state, then say "1,000+"


@dataclass(frozen=True)
class Filters:
    states: frozenset[State] = frozenset()  # any of these; none means every state
    department_id: int | None = None
    site_id: int | None = None
    category_id: int | None = None
    source: RequirementSource | None = None
    owner_id: int | None = None
    unassigned: bool = False
    age: str | None = None  # one of AGES
    q: str = ""
    sort: str = "newest"
    within_sites: frozenset[int] | None = None  # a board member's, when limited to some sites: only theirs

    @property
    def state(self) -> State | None:
        """The one state asked for, when it is just one."""
        return next(iter(self.states)) if len(self.states) == 1 else None


@dataclass(slots=True)  # not frozen: a page makes fifty, and a frozen dataclass is much slower to make
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
    due_on: date | None = None

    @property
    def waiting(self) -> bool:
        """Still open: waiting for the board."""
        return self.state in OPEN_STATES


@dataclass(frozen=True)
class Listing:
    """One page of a list (nominations here, wins in queries/wins.py)."""

    rows: list
    page: int
    per_page: int
    has_next: bool

    @property
    def first_number(self) -> int:
        return (self.page - 1) * self.per_page + 1


@dataclass(frozen=True)
class Counted:
    """A count that may have stopped at COUNT_LIMIT; `more` says there are more than `value`. Shown as 1,000+."""

    value: int = 0
    more: bool = False

    @classmethod
    def up_to_limit(cls, value: int) -> "Counted":
        return cls(min(value, COUNT_LIMIT), value > COUNT_LIMIT)

    def __add__(self, other: "Counted") -> "Counted":
        return Counted(self.value + other.value, self.more or other.more)

    def __bool__(self) -> bool:
        return self.value > 0

    def __str__(self) -> str:
        return f"{self.value:,}{'+' if self.more else ''}"


@dataclass(frozen=True)
class StateCount:
    nominations: Counted = Counted()
    overdue: Counted = Counted()

    def __add__(self, other: "StateCount") -> "StateCount":
        return StateCount(self.nominations + other.nominations, self.overdue + other.overdue)


def list_nominations(*, session: Session, page: int, per_page: int, filters: Filters | None = None,
                     today: date | None = None, owners: bool = False) -> Listing:
    """One query (two in the rare case of _names); `owners` adds each nomination's owner, which the board shows."""
    filters = filters or Filters()
    values = _Values(session, filters, today)
    offset = (page - 1) * per_page
    query = _page_query(_Shape.of(filters), first_page=offset == 0, owners=owners)
    rows = _read(session, query, values.bound | {"offset": offset, "limit": per_page + 1,
                                                  "reach": offset + per_page + 1}).all()
    departments, categories = _names(session, values.reference, rows)
    rows = [NominationRow(row[0], row[1], row[2], departments[row[3]], categories[row[4]], *row[5:8],
                          owner=_owner(row) if owners else None, age_days=(values.today - row[5]).days,
                          overdue=bool(row[8]), due_on=row[9]) for row in rows]
    return Listing(rows=rows[:per_page], page=page, per_page=per_page, has_next=len(rows) > per_page)


def _owner(row) -> str | None:
    """An owner is a board member, named as one; None while nobody owns the nomination."""
    name, email = row[10], row[11]
    return None if email is None else person_named(name, email, acted_as=Actor.BOARD)


def _names(session: Session, reference: ForLists, rows) -> tuple[dict[int, str], dict[int, str]]:
    """Department and category names by id, from this worker's copy of the reference data rather than joined
    in the query. On PostgreSQL the copy was checked by an earlier statement, so a row may name a department
    made since: then they are read afresh."""
    departments, categories = reference.names
    if all(row[3] in departments and row[4] in categories for row in rows):
        return departments, categories
    return for_lists(session=session, fresh=True).names


def count_by_state(*, session: Session, filters: Filters, today: date | None = None) -> dict[State, StateCount]:
    """How many nominations, and how many of them overdue, each state holds under every filter but the state.

    Counting stops past COUNT_LIMIT, so that the tabs of a large program read a bounded stretch of an
    index instead of the whole table."""
    values = _Values(session, filters, today)
    shape = _Shape.of(filters)._replace(states=frozenset(), sort=Filters.sort)  # the counts ignore both
    counts = _read(session, _count_query(shape), values.bound | {"count_limit": COUNT_LIMIT + 1}).one()
    states, open_states = _COUNTED
    overdue = dict(zip(open_states, counts[len(states):], strict=True))
    return {state: StateCount(Counted.up_to_limit(count), Counted.up_to_limit(overdue.get(state, 0)))
            for state, count in zip(states, counts[:len(states)], strict=True)}


# The lists' SQL depends on which filters are set (and on the states, sort, age and number of words asked
# for), not on the ids, words and dates: each shape of filters is built once (_page_query, _count_query; a
# page's also by whether it is the first and whether it names owners), and those values are written in at
# run time (_written). Building SQLAlchemy statements costs more than running these queries.
class _Shape(NamedTuple):
    states: frozenset[State]
    sort: str
    department: bool
    sites: bool
    category: bool
    source: bool
    owner: bool
    unassigned: bool
    age: str | None
    words: int

    @classmethod
    def of(cls, filters: Filters) -> "_Shape":
        return cls(filters.states, filters.sort, filters.department_id is not None,
                   filters.site_id is not None or filters.within_sites is not None, filters.category_id is not None,
                   filters.source is not None, filters.owner_id is not None, filters.unassigned, filters.age,
                   len(search_words(filters.q)))


class _Values:
    """The values a list's statement is run with, and the day it is drawn up."""

    def __init__(self, session: Session, filters: Filters, today: date | None):
        self.reference = reference = for_lists(session=session)
        self.today = today or reference.today()
        self.bound = {
            "department_id": filters.department_id, "category_id": filters.category_id,
            "site_departments": _site_departments(reference, filters),
            "source": filters.source, "owner_id": filters.owner_id,
            "new_since": self.today - timedelta(days=NEW_DAYS),
            "today": self.today,
            "overdue_before": self.today - timedelta(days=reference.stale_after_days),
            "working_weeks": reference.working_weeks_per_year,
            **{f"word_{number}": anywhere(word) for number, word in enumerate(search_words(filters.q))},
        }


def _site_departments(reference: ForLists, filters: Filters) -> list[int]:
    """The departments at the sites asked for: a nomination's site is its department's (moving a department moves
    its nominations). Their ids are written into the SQL, as every value here is (_written): PostgreSQL, given
    "department_id IN (SELECT ... WHERE site_id = ...)", cannot tell how many nominations a site holds, and read
    every open nomination of the state to find one page."""
    return [department for department, site in reference.department_sites
            if (filters.site_id is None or site == filters.site_id)
            and (filters.within_sites is None or site in filters.within_sites)]


def search_words(q: str) -> list[str]:
    return without_nul(q).split()[:MAX_SEARCH_WORDS]  # written into the SQL, which cannot hold a NUL


def anywhere(word: str) -> str:
    """A LIKE pattern for the word anywhere in the text, its own % and _ taken literally."""
    escaped = word.replace("/", "//").replace("%", "/%").replace("_", "/_")
    return f"%{escaped}%"


def _is(state: State):
    return Nomination.state == literal(state, Nomination.state.type, literal_execute=True)


def _written(name: str, type_):
    """A value written into the SQL (quoted by SQLAlchemy) when the statement runs, rather than sent beside it.

    psycopg prepares a statement that runs often, and PostgreSQL then keeps one plan for it. A plan made without
    the values cannot tell a common search word from a rare one, nor a large department or state from a small
    one: with them as parameters it read and sorted every nomination of a department to find one page. Written
    in, each set of values gets a plan of its own, and the counts of LIMIT and OFFSET can be written only so."""
    return bindparam(name, type_=type_, literal_execute=True)


# Overdue is open and stale: past its due day, or without one, unmoved too long. The lists read one state at a time,
# so they ask the open states for the stale.
_STALE = before_row_by_row(Nomination.due_on, _written("today", Date)) | (
    Nomination.due_on.is_(None) & before_row_by_row(func.coalesce(Nomination.moved_on, Nomination.submitted_on),
                                                     _written("overdue_before", Date)))
# "state = a OR state = b" rather than IN: an IN list is expanded afresh on every run.
_OVERDUE = or_(*(_is(state) for state in sorted(OPEN_STATES))) & _STALE
_NEW = Nomination.submitted_on >= _written("new_since", Date)  # a week of nominations: a narrow range
_COUNTED = (list(State), sorted(OPEN_STATES))  # every state, and those whose nominations can be overdue


@lru_cache(maxsize=1024)
def _page_query(shape: _Shape, *, first_page: bool, owners: bool):
    """A first page read from a single group comes straight off its index; any other is joined to the ids
    _chosen_ids picks, so that the rows skipped or merged away are never read."""
    annual_hours = hours.annual_hours(weekly_hours_column(), _written("working_weeks", Float))
    query = select(Nomination.id, Nomination.title, Nomination.state, Nomination.department_id,
                   Nomination.category_id, Nomination.submitted_on, annual_hours, Nomination.supporters_count,
                   case((_OVERDUE, 1), else_=0), Nomination.due_on)
    groups = _groups(shape)
    if first_page and len(groups) == 1:
        keys = [_KEY_COLUMNS[key] for key in _SORT_KEYS[shape.sort]]
        query = query.where(groups[0], *_conditions(shape)).order_by(*_in_order(shape.sort, keys)) \
            .limit(_written("limit", Integer))
    else:
        chosen = _chosen_ids(shape, groups)
        query = query.join(chosen, chosen.c.id == Nomination.id) \
            .order_by(*_in_order(shape.sort, [chosen.c[key] for key in _SORT_KEYS[shape.sort]]))
    if owners:
        owner = aliased(User)
        query = query.add_columns(owner.name, owner.email).outerjoin(owner, owner.id == Nomination.owner_id)
    return query


@lru_cache(maxsize=256)
def _count_query(shape: _Shape):
    conditions = _conditions(shape)

    def capped(state: State, *where):
        if not _can_hold(shape, state):
            return literal(0)
        found = select(Nomination.id).where(_is(state), *where, *conditions) \
            .limit(_written("count_limit", Integer)).subquery()
        return select(func.count()).select_from(found).scalar_subquery()

    states, open_states = _COUNTED
    return select(*(capped(state) for state in states), *(capped(state, _STALE) for state in open_states))


# What each sort orders by, largest first (by age: smallest first); each has its indexes (models._LIST_ORDERS).
_SORT_KEYS = {
    "newest": ["submitted_on", "id"],
    "age": ["submitted_on", "id"],
    "hours": ["minutes_a_week", "submitted_on", "id"],
    "supporters": ["supporters_count", "submitted_on", "id"],
}
_KEY_COLUMNS = {"minutes_a_week": MINUTES_A_WEEK, "supporters_count": Nomination.supporters_count,
                "submitted_on": Nomination.submitted_on, "id": Nomination.id}


def _groups(shape: _Shape) -> list:
    """What each part of a list reads on its own: each state asked for, in order (with several states in one
    query the databases would fetch all their rows and sort them). Without a state, the newest (or oldest)
    of all come straight off the index on submitted_on."""
    if shape.states or shape.age == "overdue" or shape.sort not in ("newest", "age"):
        return [_is(state) for state in _states_read(shape, shape.states or State)] or [false()]
    return [true()]


def _chosen_ids(shape: _Shape, groups: list):
    """The ids of one page, with the values they are sorted by: the first offset + limit of each group,
    merged."""
    keys = [_KEY_COLUMNS[key].label(key) for key in _SORT_KEYS[shape.sort]]
    conditions = _conditions(shape)
    offset, limit = _written("offset", Integer), _written("limit", Integer)
    if len(groups) == 1:
        return select(*keys).where(groups[0], *conditions).order_by(*_in_order(shape.sort, keys)) \
            .offset(offset).limit(limit).subquery()
    per_state = [select(*keys).where(group, *conditions).order_by(*_in_order(shape.sort, keys))
                 .limit(_written("reach", Integer)).subquery() for group in groups]
    merged = union_all(*(select(*part.c) for part in per_state)).subquery()
    return (select(*merged.c).order_by(*_in_order(shape.sort, list(merged.c)))
            .offset(offset).limit(limit).subquery())


def _states_read(shape: _Shape, asked) -> list[State]:
    return sorted(state for state in asked if _can_hold(shape, state))


def _can_hold(shape: _Shape, state: State) -> bool:
    """Whether nominations in this state can be on this list: only open ones can be overdue."""
    return shape.age != "overdue" or state in OPEN_STATES


def _in_order(sort: str, keys) -> list:
    """Largest first, the newest breaking ties; by age, the oldest first, the earlier entry breaking ties."""
    return [key.asc() if sort == "age" else key.desc() for key in keys]


def _conditions(shape: _Shape) -> list:
    """Every filter but the states, which each list reads one by one."""
    conditions = [column == _written(name, column.type) for column, name, wanted in (
        (Nomination.department_id, "department_id", shape.department),
        (Nomination.category_id, "category_id", shape.category),
        (Nomination.requirement_source, "source", shape.source),
        (Nomination.owner_id, "owner_id", shape.owner),
    ) if wanted]
    if shape.sites:
        conditions.append(Nomination.department_id.in_(bindparam("site_departments", expanding=True,
                                                                 literal_execute=True)))
    if shape.unassigned:
        conditions.append(Nomination.owner_id.is_(None))
    if shape.age:
        conditions.append({"new": _NEW, "overdue": _STALE}[shape.age])  # overdue: with _states_read
    for number in range(shape.words):
        pattern = _written(f"word_{number}", String)
        conditions.append(like_any_case(Nomination.title, pattern) | like_any_case(Nomination.description, pattern))
    return conditions


def filter_choices(*, session: Session) -> dict[str, tuple[tuple[int, str], ...]]:
    """The departments, categories and sites a list can be narrowed to, by name."""
    reference = for_lists(session=session)
    return {"departments": reference.departments, "categories": reference.categories, "sites": reference.sites}


def _read(session: Session, query, values: dict):
    """Rows of plain values. These lists are read on every page, and the ORM's handling of a statement costs
    more than the statement. Nothing here needs it: no objects, and no flush first (the callers that write,
    board decisions, have committed or rolled back before they list)."""
    return session.connection().execute(query, values)

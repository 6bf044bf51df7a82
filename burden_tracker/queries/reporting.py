"""Every figure of the program's reports, counted and summed by the database.

The dashboard, the quarterly workbook and the command line all ask here, so they cannot disagree.
What the words mean (docs/product.md, "Hours saved" and "Quarters"):

- received in a quarter: submitted on one of its days;
- evaluated, rejected in a quarter: moved to that state during it (event times, against its days), each once;
- retired in a quarter: its effective date (retired_on) is one of its days;
- retired by the quarter's end: retired on or before its last day; their hours a year are "annualized";
- open at the quarter's end: submitted by then, not retired by then, and not yet closed by a decision
  (rejected, merged as a duplicate, withdrawn, or retired with a later effective date); their hours a
  year are "potential";
- realized hours and cost: hours.realized_hours_of, counting the quarter's days on or after retired_on, through
  Quarter.realized_through: the last day for a quarter that is over, yesterday for the one under way, none for
  one that has not begun; projected hours count every day of the quarter;
- days and quarters begin at midnight on the organization's clocks (the time_zone setting).
"""

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import and_, case, func, literal, or_, select
from sqlmodel import Session

from .. import hours
from ..enums import AffectedRole, RequirementSource, State
from ..models import Category, Department, Event, Nomination
from ..workflow import CLOSED_STATES, OPEN_STATES
from .dialects import days_between
from .estimates import annual_hours_column
from .hours_sql import days_counted_column
from .reference import get_settings, hourly_rates, organization_today

HISTORY_QUARTERS = 8
GROUPINGS = ("department", "category", "source", "role")


@dataclass(frozen=True)
class Figures:
    """One quarter's figures, for the whole program or one group of it."""

    received: int = 0
    evaluated: int = 0
    retired: int = 0
    rejected: int = 0
    retired_by_end: int = 0
    open_at_end: int = 0
    realized_hours: float = 0.0  # to date for the quarter under way (Quarter.realized_through), none before it
    annualized_hours: float = 0.0
    potential_hours: float = 0.0
    realized_cost: float = 0.0
    projected_hours: float = 0.0  # realized by the quarter's last day, from what is retired now
    annualized_cost: float = 0.0
    potential_cost: float = 0.0
    annualized_fte: float = 0.0
    potential_fte: float = 0.0


@dataclass(frozen=True)
class Group:
    label: str
    figures: Figures


@dataclass(frozen=True)
class PipelineState:
    """The nominations in one open state at the quarter's end (or today, for the quarter under way)."""

    state: State
    nominations: int
    potential_hours: float
    average_age_days: float
    oldest_age_days: int
    overdue: int
    overdue_after_days: int  # the setting that made them overdue


def current_quarter(*, session: Session, today: date | None = None) -> hours.Quarter:
    start_month = get_settings(session=session).fiscal_year_start_month
    return hours.Quarter.containing(today or organization_today(session=session), start_month)


def parse_quarter(*, session: Session, text: str) -> hours.Quarter:
    """Raises ValueError with a message for people when the text is not a quarter such as 2026-Q3."""
    return hours.Quarter.parse(text, get_settings(session=session).fiscal_year_start_month)


def quarter_figures(*, session: Session, quarter: hours.Quarter, today: date | None = None) -> Figures:
    return _figures(session, [quarter], today=today)[None][0]


def history(*, session: Session, quarter: hours.Quarter, count: int = HISTORY_QUARTERS,
            today: date | None = None) -> list[tuple]:
    """(quarter, Figures) for this quarter and the count - 1 before it, oldest first."""
    quarters = quarter.last(count)
    return list(zip(quarters, _figures(session, quarters, today=today)[None], strict=True))


def breakdown(*, session: Session, quarter: hours.Quarter, by: str, today: date | None = None) -> list[Group]:
    """The quarter's figures per department, category, source of the requirement or affected role.

    Departments and categories in use are listed even when nothing of theirs counts this quarter.
    """
    per_key = _figures(session, [quarter], by=by, today=today)
    labels = _labels(session, by)
    keys = set(per_key) | {key for key, (_, active) in labels.items() if active}
    groups = [Group(labels.get(key, (str(key), True))[0], per_key.get(key, [Figures()])[0]) for key in keys]
    return sorted(groups, key=lambda group: group.label.casefold())


def pipeline_by_state(*, session: Session, quarter: hours.Quarter, today: date | None = None) -> list[PipelineState]:
    """What waits for the board at the quarter's end, by state, with how long it has waited."""
    settings = get_settings(session=session)
    on = min(today or organization_today(session=session), quarter.last_day)
    age = days_between(Nomination.submitted_on, on)
    state = state_at_end(quarter, settings.time_zone)
    query = with_closing(
        select(state, func.count(), func.sum(annual_hours_column(session=session)), func.avg(age), func.max(age),
               func.sum(case((age > settings.stale_after_days, 1), else_=0)))
    ).where(open_at_end(quarter, settings.time_zone)).group_by(state)
    found = {State(row[0]): row for row in session.execute(query)}
    return [PipelineState(s, *_pipeline_numbers(found.get(s)), overdue_after_days=settings.stale_after_days)
            for s in (State.PROPOSED, State.EVALUATED)]


def retired_by(*, session: Session, day: date) -> tuple[int, float]:
    """How many burdens were retired on or before the day, and the hours a year they give back."""
    query = select(func.count(), func.coalesce(func.sum(annual_hours_column(session=session)), 0.0)).where(
        retired_on_or_before(day))
    count, annual = session.execute(query).one()
    return count, float(annual)


# The SQL pieces, shared with queries/report_rows.py.

def start_of(quarter: hours.Quarter, zone: str) -> datetime:
    """The first instant of the quarter on the organization's clocks, for comparing event times (UTC)."""
    return hours.midnight_starting(quarter.first_day, zone)


# When each nomination was first closed by a decision. Queries that use open_at_end join it (with_closing).
CLOSING = (select(Event.nomination_id, func.min(Event.at).label("at"))
           .where(Event.to_state.in_(CLOSED_STATES)).group_by(Event.nomination_id)
           .subquery("closing"))


def with_closing(query):
    return query.select_from(Nomination).outerjoin(CLOSING, CLOSING.c.nomination_id == Nomination.id)


def retired_on_or_before(day: date):
    return (Nomination.state == State.RETIRED) & (Nomination.retired_on <= day)


def retired_by_end(quarter: hours.Quarter):
    return retired_on_or_before(quarter.last_day)


def open_at_end(quarter: hours.Quarter, zone: str):
    """Needs CLOSING joined (with_closing). Closed states are final, so a nomination open now was open
    then; a closed one without a recorded closing event counts as closed since its last change."""
    closed_at = case((Nomination.state.in_(CLOSED_STATES), func.coalesce(CLOSING.c.at, Nomination.updated_at)))
    return and_(Nomination.submitted_on <= quarter.last_day, ~retired_by_end(quarter),
                or_(closed_at.is_(None), closed_at >= start_of(quarter.next(), zone)))


def state_at_end(quarter: hours.Quarter, zone: str):
    """proposed or evaluated: the last move into one of them before the quarter ended.

    Before its first such move a nomination was proposed. One that never made such a move (an
    imported row has a single event, into the state it was recorded in) is taken to be in its
    state now if open; if retired, it was evaluated on the way; otherwise proposed.
    """
    open_moves = select(Event.to_state).where(Event.nomination_id == Nomination.id, Event.to_state.in_(OPEN_STATES))
    last_move = (open_moves.where(Event.at < start_of(quarter.next(), zone))
                 .order_by(Event.at.desc(), Event.id.desc()).limit(1).scalar_subquery())
    inferred = case((open_moves.exists(), State.PROPOSED.value),
                    (Nomination.state.in_(OPEN_STATES), Nomination.state),
                    (Nomination.state == State.RETIRED, State.EVALUATED.value),
                    else_=State.PROPOSED.value)
    return func.coalesce(last_move, inferred)


def hourly_rate_column(*, session: Session):
    return case(hourly_rates(session=session), value=Nomination.affected_role, else_=0.0)


def source_column():
    """The board's confirmed source once it has one, else the submitter's suspicion."""
    return func.coalesce(Nomination.confirmed_source, Nomination.requirement_source)


def _group_key(by: str):
    return {"department": Nomination.department_id, "category": Nomination.category_id,
            "source": source_column(), "role": Nomination.affected_role}[by]


def _labels(session: Session, by: str) -> dict:
    """key -> (label, listed even when empty)."""
    if by in ("department", "category"):
        model = Department if by == "department" else Category
        rows = session.execute(select(model.id, model.name, model.active))
        return {id_: (name, active) for id_, name, active in rows}
    vocabulary = RequirementSource if by == "source" else AffectedRole
    return {member: (member.value, True) for member in vocabulary}


def _figures(session: Session, quarters: list[hours.Quarter], by: str | None = None,
             today: date | None = None) -> dict:
    """{group key (None when not grouped): [Figures for each quarter]}, in two queries for all the quarters."""
    settings, today = get_settings(session=session), today or organization_today(session=session)
    zone = settings.time_zone
    key = [_group_key(by).label("key")] if by else []
    annual, rate = annual_hours_column(session=session), hourly_rate_column(session=session)
    measures = [m for q in quarters for m in _nomination_measures(q, annual, rate, zone, today)]
    sums = with_closing(select(*key, *measures))
    moves = (select(*key, *[m for q in quarters for m in _move_measures(q, zone)])
             .select_from(Event).join(Nomination, Nomination.id == Event.nomination_id)
             .where(Event.to_state.in_((State.EVALUATED, State.REJECTED)),
                    Event.at >= start_of(quarters[0], zone), Event.at < start_of(quarters[-1].next(), zone)))
    if by:
        sums, moves = sums.group_by(key[0]), moves.group_by(key[0])
    moved = {row[0] if by else None: row[len(key):] for row in session.execute(moves)}
    result = {}
    for row in session.execute(sums):
        group = row[0] if by else None
        values, counts = row[len(key):], moved.get(group)
        result[group] = [_to_figures(values, counts, i, settings) for i in range(len(quarters))]
    return result


_SUMMED = ("received", "retired", "retired_by_end", "open_at_end", "realized_hours", "annualized_hours",
           "potential_hours", "realized_cost", "annualized_cost", "potential_cost", "projected_hours")
_MOVED = ("evaluated", "rejected")
_COUNTS = {"received", "evaluated", "retired", "rejected", "retired_by_end", "open_at_end"}


def _nomination_measures(quarter: hours.Quarter, annual, rate, zone: str, today: date) -> list:
    """The columns of _SUMMED, in that order, for one quarter."""
    first, last, through = quarter.first_day, quarter.last_day, quarter.realized_through(today)
    retired, waiting = retired_by_end(quarter), open_at_end(quarter, zone)
    projected = realized_hours_column(annual, first, last)
    realized = realized_hours_column(annual, first, through)
    return [
        _count_if(Nomination.submitted_on.between(first, last)),
        _count_if(retired & (Nomination.retired_on >= first)),
        _count_if(retired),
        _count_if(waiting),
        _sum_if(retired, realized),
        _sum_if(retired, annual),
        _sum_if(waiting, annual),
        _sum_if(retired, hours.cost(realized, rate)),
        _sum_if(retired, hours.cost(annual, rate)),
        _sum_if(waiting, hours.cost(annual, rate)),
        _sum_if(retired, projected),
    ]


def days_realized_column(first: date, through: date):
    """The days counted from the quarter's first day through `through`, in SQL; none when that is before it."""
    return literal(0) if through < first else days_counted_column(Nomination.retired_on, first, through)


def realized_hours_column(annual, first: date, through: date):
    return hours.realized_hours_of(annual, days_realized_column(first, through))


def _move_measures(quarter: hours.Quarter, zone: str) -> list:
    """The columns of _MOVED, in that order: nominations moved there during the quarter, each once."""
    during = (Event.at >= start_of(quarter, zone)) & (Event.at < start_of(quarter.next(), zone))
    return [func.count(func.distinct(case((during & (Event.to_state == state), Event.nomination_id))))
            for state in (State.EVALUATED, State.REJECTED)]


def _count_if(condition):
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def _sum_if(condition, value):
    return func.coalesce(func.sum(case((condition, value), else_=0.0)), 0.0)


def _to_figures(sums, moves, index: int, settings) -> Figures:
    """Quarter number `index` of one result row of each query."""
    summed = sums[index * len(_SUMMED):(index + 1) * len(_SUMMED)]
    moved = moves[index * len(_MOVED):(index + 1) * len(_MOVED)] if moves else (0,) * len(_MOVED)
    numbers = {name: (int(value) if name in _COUNTS else float(value))
               for name, value in [*zip(_SUMMED, summed, strict=True), *zip(_MOVED, moved, strict=True)]}
    return Figures(**numbers,
                   annualized_fte=hours.fte(numbers["annualized_hours"], settings.fte_hours_per_year),
                   potential_fte=hours.fte(numbers["potential_hours"], settings.fte_hours_per_year))


def _pipeline_numbers(row) -> tuple:
    if row is None:
        return 0, 0.0, 0.0, 0, 0
    _, count, potential, average_age, oldest, overdue = row
    return count, float(potential or 0), float(average_age or 0), int(oldest or 0), int(overdue or 0)

"""The reports' words in SQL: where a quarter begins, what is open, retired, retiring soon or moved at its end,
and the hours realized in it. queries/reporting.py sums them into figures; queries/report_rows.py lists the rows
behind them, so the two cannot mean different things by the same word."""

from datetime import date, datetime

from sqlalchemy import and_, case, func, literal, or_, select
from sqlmodel import Session

from .. import hours
from ..enums import EventKind, State
from ..models import Event, Nomination
from ..workflow import CLOSED_STATES, OPEN_STATES
from .hours_sql import days_counted_column
from .reference import hourly_rates


def start_of(quarter: hours.Quarter, zone: str) -> datetime:
    """The first instant of the quarter on the organization's clocks, for comparing event times (UTC)."""
    return hours.midnight_starting(quarter.first_day, zone)


# When each nomination was first closed by a decision. Queries that use open_at_end join it (with_closing).
CLOSING = (select(Event.nomination_id, func.min(Event.at).label("at"))
           .where(Event.to_state.in_(CLOSED_STATES)).group_by(Event.nomination_id)
           .subquery("closing"))


def with_closing(query, only=None):
    """`only`, given a column of nomination ids, picks some nominations: the condition goes into the join too,
    where both databases push it into CLOSING, so that a few nominations' figures do not group every event."""
    joined = CLOSING.c.nomination_id == Nomination.id
    if only is not None:
        joined = joined & only(CLOSING.c.nomination_id)
    return query.select_from(Nomination).outerjoin(CLOSING, joined)


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


def retiring_soon(quarter: hours.Quarter, zone: str):
    """Needs CLOSING joined (with_closing): decided to retire by the quarter's end, effective after it."""
    return and_(Nomination.state == State.RETIRED, Nomination.retired_on > quarter.last_day,
                CLOSING.c.at < start_of(quarter.next(), zone))


def moved_during(quarter: hours.Quarter, zone: str) -> tuple:
    """The conditions on events that make them one of the quarter's moves (of a nomination, into a state)."""
    return (Event.nomination_id.is_not(None), Event.to_state.is_not(None), Event.at >= start_of(quarter, zone),
            Event.at < start_of(quarter.next(), zone))


def recorded_during(quarter: hours.Quarter, zone: str) -> tuple:
    """The quarter's decisions as the Decisions sheet lists them: its moves, and the board's revisions."""
    return (Event.nomination_id.is_not(None), Event.to_state.is_not(None) | (Event.kind == EventKind.REVISED),
            Event.at >= start_of(quarter, zone), Event.at < start_of(quarter.next(), zone))


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


def days_realized_column(first: date, through: date):
    """The days counted from the quarter's first day through `through`, in SQL; none when that is before it."""
    return literal(0) if through < first else days_counted_column(Nomination.retired_on, first, through)


def realized_hours_column(annual, first: date, through: date):
    return hours.realized_hours_of(annual, days_realized_column(first, through))

"""The rows behind the quarterly workbook's sheets, streamed from the database a batch at a time.

Each function returns a Result: read it to the end (that closes it), and its keys() name the columns.

Every figure on a row is computed in SQL with the same expressions as queries/reporting.py, so a
sheet's totals equal the reports' figures. A person appears only as the one who made a
decision, named by naming.person_named in the capacity the event records: a withdrawal by an anonymous
submitter is credited to "the submitter (anonymous)", a board member's decision to the board member.
"""

from datetime import date

from sqlalchemy import Result, func, select
from sqlalchemy.orm import aliased
from sqlmodel import Session

from .. import hours
from ..models import Category, Department, Event, EventNote, Nomination, Supporter, User
from ..naming import nobody_for, person_named
from .dialects import days_between
from .estimates import annual_hours_column, estimate_columns
from .hours_sql import days_counted_column
from .reference import get_settings
from .reporting import (
    hourly_rate_column,
    open_at_end,
    retired_by_end,
    source_column,
    start_of,
    state_at_end,
    with_closing,
)

BATCH = 2_000


def retired_rows(*, session: Session, quarter: hours.Quarter):
    """Every nomination retired on or before the quarter's last day, in order of retirement."""
    annual, rate = annual_hours_column(session=session), hourly_rate_column(session=session)
    days = days_counted_column(Nomination.retired_on, quarter.first_day, quarter.last_day)
    realized = hours.realized_hours_of(annual, days)
    query = (
        _described(Nomination.submitted_on, Nomination.retired_on, Nomination.what_changed,
                   *_estimate(session), days.label("days_counted"), realized.label("realized_hours"),
                   rate.label("hourly_rate"), hours.cost(realized, rate).label("realized_cost"),
                   hours.cost(annual, rate).label("annual_cost"))
        .where(retired_by_end(quarter))
        .order_by(Nomination.retired_on, Nomination.id)
    )
    return _streamed(session, query)


def pipeline_rows(*, session: Session, quarter: hours.Quarter, today: date | None = None):
    """Every nomination proposed or evaluated at the quarter's end (or today, for the quarter under way)."""
    on = min(today or date.today(), quarter.last_day)
    annual, rate = annual_hours_column(session=session), hourly_rate_column(session=session)
    fte_hours = get_settings(session=session).fte_hours_per_year
    supporters = (select(Supporter.nomination_id, func.count().label("supporters"))
                  .where(Supporter.created_at < start_of(quarter.next()))
                  .group_by(Supporter.nomination_id).subquery())
    query = with_closing(
        _described(state_at_end(quarter).label("state"), Nomination.submitted_on,
                   days_between(Nomination.submitted_on, on).label("age_days"),
                   func.coalesce(supporters.c.supporters, 0).label("supporters"),
                   *_estimate(session), hours.fte(annual, fte_hours).label("fte"), rate.label("hourly_rate"),
                   hours.cost(annual, rate).label("annual_cost"))
    ).outerjoin(supporters, supporters.c.nomination_id == Nomination.id).where(open_at_end(quarter)).order_by(
        Nomination.submitted_on, Nomination.id)
    return _streamed(session, query)


def decision_rows(*, session: Session, quarter: hours.Quarter):
    """The quarter's state changes: who, when, from, to, note; imports included, administration left out."""
    actor = aliased(User)
    query = (
        select(Event.at, Event.nomination_id, Nomination.title, Event.from_state, Event.to_state,
               actor.name, actor.email, Event.acted_as, Nomination.anonymous, EventNote.body.label("note"), Event.kind)
        .join(Nomination, Nomination.id == Event.nomination_id)
        .outerjoin(EventNote, EventNote.id == Event.note_id)
        .outerjoin(actor, actor.id == Event.actor_id)
        .where(Event.to_state.is_not(None), Event.at >= start_of(quarter), Event.at < start_of(quarter.next()))
        .order_by(Event.at, Event.id)
    )
    return _Decisions(_streamed(session, query))


class _Decisions:
    """The decisions as the sheet lists them, each person named by the one rule."""

    KEYS = ("at", "nomination_id", "title", "from_state", "to_state", "who", "note", "kind")

    def __init__(self, rows: Result):
        self.rows = rows

    def keys(self) -> tuple[str, ...]:
        return self.KEYS

    def __iter__(self):
        for row in self.rows:
            who = person_named(row.name, row.email, acted_as=row.acted_as, anonymous_nomination=row.anonymous,
                               nobody=nobody_for(row.kind))
            yield row.at, row.nomination_id, row.title, row.from_state, row.to_state, who, row.note, row.kind


def row_counts(*, session: Session, quarter: hours.Quarter) -> int:
    """How many rows the three long sheets will have, for a progress bar."""
    retired = select(func.count()).where(retired_by_end(quarter))
    waiting = with_closing(select(func.count())).where(open_at_end(quarter))
    moves = select(func.count()).select_from(Event).where(
        Event.nomination_id.is_not(None), Event.to_state.is_not(None),
        Event.at >= start_of(quarter), Event.at < start_of(quarter.next()))
    return sum(session.scalar(query) for query in (retired, waiting, moves))


def _described(*columns):
    """A nomination's name and classification, then the given columns."""
    return (
        select(Nomination.id, Nomination.title, Department.name.label("department"),
               Category.name.label("category"), Nomination.affected_role, source_column().label("source"),
               *columns)
        .join(Department, Department.id == Nomination.department_id)
        .join(Category, Category.id == Nomination.category_id)
    )


def _estimate(session: Session) -> list:
    minutes, per_week, clinicians = estimate_columns()
    return [minutes.label("minutes"), per_week.label("per_week"), clinicians.label("clinicians"),
            annual_hours_column(session=session).label("annual_hours")]


def _streamed(session: Session, query) -> Result:
    """Rows a batch at a time (a server-side cursor on PostgreSQL), so memory does not grow with the table.

    Run as Core on the session's connection: the rows are plain tuples with keys, without the ORM's
    per-row loading, which a workbook of a hundred thousand rows does not need."""
    return session.connection().execute(query.execution_options(yield_per=BATCH))

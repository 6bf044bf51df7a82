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
from .reference import get_settings, organization_today
from .report_groups import limited_to_site
from .report_terms import (
    CLOSING,
    days_realized_column,
    hourly_rate_column,
    open_at_end,
    realized_hours_column,
    recorded_during,
    retired_by_end,
    retiring_soon,
    source_column,
    start_of,
    state_at_end,
    with_closing,
)

BATCH = 2_000


def retired_rows(*, session: Session, quarter: hours.Quarter, today: date | None = None, site_id: int | None = None):
    """Every nomination retired on or before the quarter's last day, in order of retirement; its hours realized
    to date (Quarter.realized_through) and projected to the quarter's end. Each function here lists one site's
    nominations only, when site_id is given."""
    annual, rate = annual_hours_column(session=session), hourly_rate_column(session=session)
    through = quarter.realized_through(today or organization_today(session=session))
    days = days_realized_column(quarter.first_day, through)
    realized = hours.realized_hours_of(annual, days)
    projected = realized_hours_column(annual, quarter.first_day, quarter.last_day)
    query = (
        _described(Nomination.submitted_on, Nomination.retired_on, Nomination.what_changed,
                   *_estimate(session), days.label("days_counted"), realized.label("realized_hours"),
                   rate.label("hourly_rate"), hours.cost(realized, rate).label("realized_cost"),
                   projected.label("projected_hours"), hours.cost(annual, rate).label("annual_cost"))
        .where(retired_by_end(quarter))
        .order_by(Nomination.retired_on, Nomination.id)
    )
    return _streamed(session, limited_to_site(query, site_id))


def pipeline_rows(*, session: Session, quarter: hours.Quarter, today: date | None = None, site_id: int | None = None):
    """Every nomination proposed or evaluated at the quarter's end (or today, for the quarter under way)."""
    on = min(today or organization_today(session=session), quarter.last_day)
    annual, rate = annual_hours_column(session=session), hourly_rate_column(session=session)
    settings = get_settings(session=session)
    fte_hours, zone = settings.fte_hours_per_year, settings.time_zone
    supporters = (select(Supporter.nomination_id, func.count().label("supporters"))
                  .where(Supporter.created_at < start_of(quarter.next(), zone))
                  .group_by(Supporter.nomination_id).subquery())
    query = with_closing(
        _described(state_at_end(quarter, zone).label("state"), Nomination.submitted_on,
                   days_between(Nomination.submitted_on, on).label("age_days"),
                   func.coalesce(supporters.c.supporters, 0).label("supporters"),
                   *_estimate(session), hours.fte(annual, fte_hours).label("fte"), rate.label("hourly_rate"),
                   hours.cost(annual, rate).label("annual_cost"))
    ).outerjoin(supporters, supporters.c.nomination_id == Nomination.id).where(open_at_end(quarter, zone)).order_by(
        Nomination.submitted_on, Nomination.id)
    return _streamed(session, limited_to_site(query, site_id))


def retiring_soon_rows(*, session: Session, quarter: hours.Quarter, site_id: int | None = None):
    """Every nomination decided to retire by the quarter's end and effective after it, by effective date."""
    annual, rate = annual_hours_column(session=session), hourly_rate_column(session=session)
    zone = get_settings(session=session).time_zone
    query = with_closing(
        _described(CLOSING.c.at.label("decided_at"), Nomination.retired_on, Nomination.what_changed,
                   *_estimate(session), rate.label("hourly_rate"), hours.cost(annual, rate).label("annual_cost"))
    ).where(retiring_soon(quarter, zone)).order_by(Nomination.retired_on, Nomination.id)
    return _streamed(session, limited_to_site(query, site_id))


def decision_rows(*, session: Session, quarter: hours.Quarter, site_id: int | None = None):
    """The quarter's state changes and revisions: who, when, from, to, note; imports included, administration
    left out."""
    actor, zone = aliased(User), get_settings(session=session).time_zone
    query = (
        select(Event.at, Event.nomination_id, Nomination.title, Event.from_state, Event.to_state,
               actor.name, actor.email, Event.acted_as, Nomination.anonymous, EventNote.body.label("note"), Event.kind)
        .join(Nomination, Nomination.id == Event.nomination_id)
        .outerjoin(EventNote, EventNote.id == Event.note_id)
        .outerjoin(actor, actor.id == Event.actor_id)
        .where(*recorded_during(quarter, zone))
        .order_by(Event.at, Event.id)
    )
    return _Decisions(_streamed(session, limited_to_site(query, site_id)))


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


def row_counts(*, session: Session, quarter: hours.Quarter, site_id: int | None = None) -> int:
    """How many rows the three long sheets will have, for a progress bar."""
    zone = get_settings(session=session).time_zone
    retired = select(func.count()).select_from(Nomination).where(retired_by_end(quarter))
    waiting = with_closing(select(func.count())).where(open_at_end(quarter, zone))
    soon = with_closing(select(func.count())).where(retiring_soon(quarter, zone))
    moves = (select(func.count()).select_from(Event).join(Nomination, Nomination.id == Event.nomination_id)
             .where(*recorded_during(quarter, zone)))
    return sum(session.scalar(limited_to_site(query, site_id)) for query in (retired, waiting, soon, moves))


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

"""Every figure of the program's reports, counted and summed by the database.

The dashboard, the quarterly workbook and the command line all ask here, so they cannot disagree.
What the words mean (docs/product.md, "Hours saved" and "Quarters"):

- received in a quarter: submitted on one of its days;
- evaluated, rejected in a quarter: moved to that state during it (event times, against its days), each once;
- decided to retire in a quarter: moved to retired during it, whatever the effective date;
- retired in a quarter: its effective date (retired_on) is one of its days;
- retiring soon at a quarter's end: decided to retire by then, effective after it;
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
from datetime import date

from sqlalchemy import case, func, select
from sqlmodel import Session

from .. import hours
from ..enums import EventKind, State
from ..models import Event, Nomination
from .dialects import days_between
from .estimates import annual_hours_column
from .reference import get_settings, organization_today
from .report_groups import at_site, group_column, labels, limited_to_site
from .report_terms import (
    hourly_rate_column,
    moved_during,
    open_at_end,
    realized_hours_column,
    recorded_during,
    retired_by_end,
    retiring_soon,
    start_of,
    state_at_end,
    with_closing,
)

HISTORY_QUARTERS = 8


@dataclass(frozen=True)
class Figures:
    """One quarter's figures, for the whole program or one group of it."""

    received: int = 0
    evaluated: int = 0
    decided_to_retire: int = 0  # by a decision taken in the quarter, whatever its effective date
    retired: int = 0  # effective in the quarter
    rejected: int = 0
    retired_by_end: int = 0
    open_at_end: int = 0
    realized_hours: float = 0.0  # to date for the quarter under way (Quarter.realized_through), none before it
    annualized_hours: float = 0.0
    potential_hours: float = 0.0
    realized_cost: float = 0.0
    projected_hours: float = 0.0  # realized by the quarter's last day, from what is retired now
    retiring_soon: int = 0  # decided by the quarter's end, effective after it
    retiring_soon_hours: float = 0.0  # their hours a year, from their effective dates
    annualized_hours_board: float = 0.0  # of annualized_hours, those on the board's estimate; the rest the submitter's
    potential_hours_board: float = 0.0  # of potential_hours, likewise

    @property
    def annualized_hours_submitter(self) -> float:
        return self.annualized_hours - self.annualized_hours_board

    @property
    def potential_hours_submitter(self) -> float:
        return self.potential_hours - self.potential_hours_board
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


def quarter_figures(*, session: Session, quarter: hours.Quarter, today: date | None = None,
                    site_id: int | None = None) -> Figures:
    return figures_by(session, [quarter], today=today, site_id=site_id)[None][0]


def history(*, session: Session, quarter: hours.Quarter, count: int = HISTORY_QUARTERS,
            today: date | None = None) -> list[tuple]:
    """(quarter, Figures) for this quarter and the count - 1 before it, oldest first."""
    quarters = quarter.last(count)
    return list(zip(quarters, figures_of(session=session, quarters=quarters, today=today), strict=True))


def figures_of(*, session: Session, quarters: list[hours.Quarter], today: date | None = None,
               site_id: int | None = None) -> list[Figures]:
    """The figures of each quarter (in order, oldest first), in two queries; of one site's nominations, when given."""
    return figures_by(session, quarters, today=today, site_id=site_id)[None] if quarters else []


def breakdown(*, session: Session, quarter: hours.Quarter, by: str, today: date | None = None,
              site_id: int | None = None) -> list[Group]:
    """The quarter's figures per department, category, source of the requirement or affected role.

    Departments and categories in use are listed even when nothing of theirs counts this quarter.
    """
    found = figures_by(session, [quarter], by=by, today=today, site_id=site_id)
    return named_groups(session, by, {key: figures for key, [figures] in found.items()}, site_id=site_id)


def named_groups(session: Session, by: str, per_key: dict, keyed=lambda key: key,
                 site_id: int | None = None) -> list[Group]:
    """Each group's label and figures, by label; the active ones without figures too (of the site's, when given).
    `keyed` turns a group's key as labels() has it into per_key's."""
    named = {keyed(key): value for key, value in labels(session, by, site_id).items()}
    keys = set(per_key) | {key for key, (_, active) in named.items() if active}
    groups = [Group(named.get(key, (str(key), True))[0], per_key.get(key, Figures())) for key in keys]
    return sorted(groups, key=lambda group: group.label.casefold())


def pipeline_by_state(*, session: Session, quarter: hours.Quarter, today: date | None = None,
                      site_id: int | None = None) -> list[PipelineState]:
    """What waits for the board at the quarter's end, by state, with how long it has waited."""
    settings = get_settings(session=session)
    on = min(today or organization_today(session=session), quarter.last_day)
    age = days_between(Nomination.submitted_on, on)
    state = state_at_end(quarter, settings.time_zone)
    query = limited_to_site(with_closing(
        select(state, func.count(), func.sum(annual_hours_column(session=session)), func.avg(age), func.max(age),
               func.sum(case((age > settings.stale_after_days, 1), else_=0)))
    ).where(open_at_end(quarter, settings.time_zone)), site_id).group_by(state)
    found = {State(row[0]): row for row in session.execute(query)}
    return [PipelineState(s, *_pipeline_numbers(found.get(s)), overdue_after_days=settings.stale_after_days)
            for s in (State.PROPOSED, State.EVALUATED)]


def moves_by_target(*, session: Session, quarter: hours.Quarter, site_id: int | None = None) -> dict[State, int]:
    """The quarter's moves (the Decisions sheet's rows) by the state they moved to, each move once."""
    zone = get_settings(session=session).time_zone
    query = _of_nominations(select(Event.to_state, func.count()).where(*moved_during(quarter, zone)), site_id)
    found = dict(session.execute(query.group_by(Event.to_state)).all())
    return {state: found.get(state, 0) for state in State}


def revisions_during(*, session: Session, quarter: hours.Quarter, site_id: int | None = None) -> int:
    """The board's revisions in the quarter (rows of the Decisions sheet beside its moves)."""
    zone = get_settings(session=session).time_zone
    return session.scalar(_of_nominations(select(func.count()).select_from(Event).where(
        *recorded_during(quarter, zone), Event.kind == EventKind.REVISED), site_id))


def _of_nominations(events, site_id: int | None):
    """A query of events, of one site's nominations when one is given."""
    if site_id is None:
        return events
    return events.join(Nomination, Nomination.id == Event.nomination_id).where(at_site(site_id))


def figures_by(session: Session, quarters: list[hours.Quarter], by: str | tuple | None = None,
               today: date | None = None, only=None, site_id: int | None = None) -> dict:
    """{group key (None when not grouped): [Figures for each quarter]}, in two queries for all the quarters; only
    the nominations `only` picks, when given: by "nomination", what each adds to each quarter's figures, since
    figures are sums over nominations (queries/figure_shares.py). `only` makes an SQL condition on a column of
    nomination ids: lambda ids: ids == 7. Grouped by several groupings (a tuple), a group's key is a tuple.
    Of one site's nominations, when site_id is given."""
    settings, today = get_settings(session=session), today or organization_today(session=session)
    zone = settings.time_zone
    groupings = (by,) if isinstance(by, str) else by or ()
    key = [group_column(grouping).label(f"key{i}") for i, grouping in enumerate(groupings)]
    annual, rate = annual_hours_column(session=session), hourly_rate_column(session=session)
    measures = [m for q in quarters for m in _nomination_measures(q, annual, rate, zone, today)]
    sums = limited_to_site(with_closing(select(*key, *measures), only), site_id)
    moves = (select(*key, *[m for q in quarters for m in _move_measures(q, zone)])
             .select_from(Event).join(Nomination, Nomination.id == Event.nomination_id)
             .where(Event.to_state.in_(_MOVED_TO),
                    Event.at >= start_of(quarters[0], zone), Event.at < start_of(quarters[-1].next(), zone)))
    moves = limited_to_site(moves, site_id)
    if only is not None:
        sums, moves = sums.where(only(Nomination.id)), moves.where(only(Event.nomination_id))
    if key:
        sums, moves = sums.group_by(*key), moves.group_by(*key)

    def group_of(row):
        return None if not key else row[0] if len(key) == 1 else tuple(row[:len(key)])

    moved = {group_of(row): row[len(key):] for row in session.execute(moves)}
    result = {}
    for row in session.execute(sums):
        values, counts = row[len(key):], moved.get(group_of(row))
        result[group_of(row)] = [_to_figures(values, counts, i, settings) for i in range(len(quarters))]
    return result


_SUMMED = ("received", "retired", "retired_by_end", "open_at_end", "realized_hours", "annualized_hours",
           "potential_hours", "realized_cost", "annualized_cost", "potential_cost", "projected_hours",
           "retiring_soon", "retiring_soon_hours", "annualized_hours_board", "potential_hours_board")
_MOVED = ("evaluated", "decided_to_retire", "rejected")
_MOVED_TO = (State.EVALUATED, State.RETIRED, State.REJECTED)
_COUNTS = {"received", "evaluated", "decided_to_retire", "retired", "rejected", "retired_by_end", "open_at_end",
           "retiring_soon"}


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
        _count_if(retiring_soon(quarter, zone)),
        _sum_if(retiring_soon(quarter, zone), annual),
        _sum_if(retired & ON_BOARDS_ESTIMATE, annual),
        _sum_if(waiting & ON_BOARDS_ESTIMATE, annual),
    ]


# The board's estimate is in force once it has one (models.ESTIMATE_IN_FORCE); its three fields are set together.
ON_BOARDS_ESTIMATE = Nomination.board_minutes_per_occurrence.is_not(None)


def _move_measures(quarter: hours.Quarter, zone: str) -> list:
    """The columns of _MOVED, in that order: nominations moved there during the quarter, each once."""
    during = (Event.at >= start_of(quarter, zone)) & (Event.at < start_of(quarter.next(), zone))
    return [func.count(func.distinct(case((during & (Event.to_state == state), Event.nomination_id))))
            for state in _MOVED_TO]


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

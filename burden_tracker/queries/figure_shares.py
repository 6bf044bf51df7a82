"""What each nomination adds to the figures of a quarter, in the shape queries/kept_figures.py keeps them:
counted by queries/reporting.py's own SQL, so that the kept figures cannot mean anything else.

Figures are sums over nominations, so services/keeping.py keeps them by adding, as a change is written, the changed
nominations' shares after it less their shares before (shares, tally, difference). A quarter's first count groups in
the database instead (counted_afresh): building every nomination's share in Python would take a minute at 100,000.
"""

from collections import Counter
from dataclasses import dataclass, fields
from datetime import date

from sqlalchemy import Date, case, func, literal, select
from sqlmodel import Session

from .. import hours
from ..enums import EventKind, State
from ..models import Event, Nomination
from . import reporting
from .estimates import annual_hours_column
from .reference import get_settings
from .report_terms import (
    hourly_rate_column,
    open_at_end,
    retired_by_end,
    start_of,
    state_at_end,
    with_closing,
)
from .reporting import Figures

FROM_DAYS = ("realized_hours", "realized_cost", "projected_hours")
_FROM_HOURS = ("annualized_fte", "potential_fte")
KEPT = tuple(f.name for f in fields(Figures) if f.name not in FROM_DAYS + _FROM_HOURS)
LISTED = "nominations"
REVISED = "revised"
REALIZING_HOURS, REALIZING_COST = "realizing hours", "realizing cost"
# How many retirements begin to count on each day, by outcome alone: Wins' headline (retired on or before a day).
REALIZING_COUNT, COUNTED_BY = "retirements", "outcome"
PROGRAM = ("", "")


def moved_to(state: State) -> str:
    return f"moved to {state.value}"


# The nominations waiting at a quarter's end are kept by state (group key) and day of submission, under a grouping
# of their own, apart from the hours realized by day: each is read without the other's rows.
PIPELINE, WAITING, WAITING_HOURS = "pipeline", "waiting", "waiting hours"

# The decisions a kept quarter counts: a newer one was written around the services.
FIGURE_EVENTS = (Event.nomination_id.is_not(None), Event.to_state.is_not(None) | (Event.kind == EventKind.REVISED))


@dataclass(frozen=True)
class Share:
    """What one nomination adds to the figures of each of some quarters (in their order)."""

    groups: tuple  # (grouping, key) of the program and of each of its groups
    submitted_on: date
    retired_on: date | None
    figures: list[Figures]
    waiting_as: list  # its state at each quarter's end, when it was waiting then; else None
    moves: list[dict]  # per quarter: measure -> how many of its moves and revisions


def shares(*, session: Session, quarters: list[hours.Quarter], nominations=None) -> dict[int, Share]:
    """{nomination id: Share} for the nominations `nominations` picks (lambda ids: ids == 7), or all of them."""
    zone = get_settings(session=session).time_zone
    figures = reporting.figures_by(session, quarters, by="nomination", only=nominations)
    grouped = len(reporting.GROUPINGS)
    facts = with_closing(select(
        Nomination.id, Nomination.submitted_on, Nomination.retired_on, *reporting.group_columns(),
        *[case((open_at_end(q, zone), state_at_end(q, zone))) for q in quarters]), nominations)
    moved = _moves_query(quarters, zone)
    if nominations is not None:
        facts, moved = facts.where(nominations(Nomination.id)), moved.where(nominations(Event.nomination_id))
    counted = {row[0]: row[1:] for row in session.execute(moved)}
    found = {}
    for id_, submitted_on, retired_on, *rest in session.execute(facts):
        keys, states = rest[:grouped], rest[grouped:]
        found[id_] = Share(_groups(*keys), submitted_on, retired_on, figures[id_],
                           [State(s) if s is not None else None for s in states],
                           _moves_of(counted.get(id_), len(quarters)))
    return found


COUNTED_MOVES = [moved_to(state) for state in State] + [REVISED]


def _moves_query(quarters: list[hours.Quarter], zone: str):
    columns = []
    for quarter in quarters:
        during = (Event.at >= start_of(quarter, zone)) & (Event.at < start_of(quarter.next(), zone))
        columns += [func.count(case((during & (Event.to_state == state), 1))) for state in State]
        columns.append(func.count(case((during & (Event.kind == EventKind.REVISED), 1))))
    return (select(Event.nomination_id, *columns).where(*FIGURE_EVENTS)
            .where(Event.at >= start_of(quarters[0], zone), Event.at < start_of(quarters[-1].next(), zone))
            .group_by(Event.nomination_id))


def _moves_of(counts, quarter_count: int) -> list[dict]:
    if counts is None:
        return [{} for _ in range(quarter_count)]
    width = len(COUNTED_MOVES)
    return [{name: n for name, n in zip(COUNTED_MOVES, counts[i * width:(i + 1) * width], strict=True) if n}
            for i in range(quarter_count)]


def _groups(*keys) -> tuple:
    """(grouping, key) of the program and of each group a nomination is in: its keys, in reporting.GROUPINGS'
    order."""
    return (PROGRAM, *((by, group_key(key)) for by, key in zip(reporting.GROUPINGS, keys, strict=True)))


def group_key(value) -> str:
    """A group's key as kept: a department's or category's id, or a source's, role's or outcome's value, as text
    ("None": an outcome not recorded)."""
    return str(getattr(value, "value", value))


def tally(found, quarters: list[hours.Quarter]) -> tuple[Counter, Counter]:
    """What the shares add up to: (kept_figures, kept_days), each keyed as its table is."""
    figures, days = Counter(), Counter()
    for share in found:
        for quarter, counted, waiting_as, moves in zip(quarters, share.figures, share.waiting_as, share.moves,
                                                       strict=True):
            _tally_quarter(figures, days, quarter, share, counted, waiting_as, moves)
    return figures, days


def _tally_quarter(figures: Counter, days: Counter, quarter: hours.Quarter, share: Share, counted: Figures,
                   waiting_as, moves: dict) -> None:
    key = quarter.key
    for grouping, group in share.groups:
        figures[key, grouping, group, LISTED] += 1
        for name in KEPT:
            if value := getattr(counted, name):
                figures[key, grouping, group, name] += value
        if counted.retired_by_end:
            begins = max(quarter.first_day, share.retired_on)
            days[key, grouping, group, REALIZING_HOURS, begins.toordinal()] += counted.annualized_hours
            days[key, grouping, group, REALIZING_COST, begins.toordinal()] += counted.annualized_cost
            if grouping == COUNTED_BY:
                days[key, grouping, group, REALIZING_COUNT, begins.toordinal()] += 1
    if waiting_as is not None:
        days[key, PIPELINE, waiting_as.value, WAITING, share.submitted_on.toordinal()] += 1
        days[key, PIPELINE, waiting_as.value, WAITING_HOURS, share.submitted_on.toordinal()] += counted.potential_hours
    for name, count in moves.items():
        figures[key, *PROGRAM, name] += count


def counted_afresh(*, session: Session, quarters: list[hours.Quarter]) -> tuple[Counter, Counter]:
    """What tally() of every nomination's share comes to, grouped by the database instead: a program's first count
    reads each nomination once per query rather than building its share in Python."""
    zone = get_settings(session=session).time_zone
    figures, days = Counter(), Counter()
    for by in (None, *reporting.GROUPINGS):
        _count_grouping(session, quarters, by, figures)
    annual, rate = annual_hours_column(session=session), hourly_rate_column(session=session)
    keys = reporting.group_columns()
    for quarter in quarters:
        begins = case((Nomination.retired_on < quarter.first_day, literal(quarter.first_day, Date)),
                      else_=Nomination.retired_on)
        realizing = (select(*keys, begins, func.sum(annual), func.sum(hours.cost(annual, rate)), func.count())
                     .where(retired_by_end(quarter)).group_by(*keys, begins))
        for *groups, day, annual_hours, cost, count in session.execute(realizing):
            for grouping, group in _groups(*groups):
                days[quarter.key, grouping, group, REALIZING_HOURS, day.toordinal()] += annual_hours
                days[quarter.key, grouping, group, REALIZING_COST, day.toordinal()] += cost
                if grouping == COUNTED_BY:
                    days[quarter.key, grouping, group, REALIZING_COUNT, day.toordinal()] += count
        state = state_at_end(quarter, zone)
        waiting_then = (with_closing(select(state, Nomination.submitted_on, func.count(), func.sum(annual)))
                        .where(open_at_end(quarter, zone)).group_by(state, Nomination.submitted_on))
        for waiting_as, submitted_on, count, potential in session.execute(waiting_then):
            days[quarter.key, PIPELINE, State(waiting_as).value, WAITING, submitted_on.toordinal()] += count
            days[quarter.key, PIPELINE, State(waiting_as).value, WAITING_HOURS, submitted_on.toordinal()] += potential
        for state_moved_to, count in reporting.moves_by_target(session=session, quarter=quarter).items():
            figures[quarter.key, *PROGRAM, moved_to(state_moved_to)] += count
        figures[quarter.key, *PROGRAM, REVISED] += reporting.revisions_during(session=session, quarter=quarter)
    return figures, days


def _count_grouping(session: Session, quarters: list[hours.Quarter], by: str | None, figures: Counter) -> None:
    """The KEPT figures of one grouping (None: the program), and LISTED: how many nominations each group has."""
    grouping = by or ""
    if by:
        column = reporting.group_column(by)
        listed = dict(session.execute(select(column, func.count()).select_from(Nomination).group_by(column)).all())
    else:
        listed = {None: session.scalar(select(func.count()).select_from(Nomination))}
    for group, per_quarter in reporting.figures_by(session, quarters, by=by).items():
        place = group_key(group) if by else ""
        for quarter, counted in zip(quarters, per_quarter, strict=True):
            figures[quarter.key, grouping, place, LISTED] += listed.get(group, 0)
            for name in KEPT:
                if value := getattr(counted, name):
                    figures[quarter.key, grouping, place, name] += value


def difference(after: Counter, before: Counter) -> dict:
    """after less before, where they differ."""
    return {key: after.get(key, 0) - before.get(key, 0) for key in after.keys() | before.keys()
            if abs(after.get(key, 0) - before.get(key, 0)) > 1e-9}

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
from .report_groups import GROUPINGS, group_column, group_columns
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

# A site's report breaks down as the program's does. Its own figures and moves are its group of "site", its
# departments' are theirs; these groupings (and the pipeline) are kept again within each site, under a grouping of
# their own, each group keyed by its site's key and its own (within_site).
SITE = "site"
WITHIN_SITE = ("category", "source", "role", "outcome")


def of_site(grouping: str) -> str:
    """The grouping's name as kept within each site."""
    return f"{SITE}/{grouping}"


def within_site(site_key: str, key: str) -> str:
    return f"{site_key}/{key}"

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
    grouped = len(GROUPINGS)
    facts = with_closing(select(
        Nomination.id, Nomination.submitted_on, Nomination.retired_on, *group_columns(),
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
    """(grouping, key) of the program and of each group a nomination is in, its site's included: its keys, in
    GROUPINGS' order."""
    named = {by: group_key(key) for by, key in zip(GROUPINGS, keys, strict=True)}
    return (PROGRAM, *named.items(),
            *((of_site(by), within_site(named[SITE], named[by])) for by in WITHIN_SITE))


def site_of(share: "Share") -> str:
    return dict(share.groups)[SITE]


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
    site = site_of(share)
    if waiting_as is not None:
        for grouping, group in ((PIPELINE, waiting_as.value), (of_site(PIPELINE), within_site(site, waiting_as.value))):
            days[key, grouping, group, WAITING, share.submitted_on.toordinal()] += 1
            days[key, grouping, group, WAITING_HOURS, share.submitted_on.toordinal()] += counted.potential_hours
    for name, count in moves.items():
        figures[key, *PROGRAM, name] += count
        figures[key, SITE, site, name] += count


def counted_afresh(*, session: Session, quarters: list[hours.Quarter]) -> tuple[Counter, Counter]:
    """What tally() of every nomination's share comes to, grouped by the database instead: a program's first count
    reads each nomination once per query rather than building its share in Python."""
    zone = get_settings(session=session).time_zone
    figures, days = Counter(), Counter()
    for by in (None, *GROUPINGS, *((SITE, by) for by in WITHIN_SITE)):
        _count_grouping(session, quarters, by, figures)
    annual, rate = annual_hours_column(session=session), hourly_rate_column(session=session)
    keys = group_columns()
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
        _count_waiting(session, quarter, zone, annual, days)
        _count_moves(session, quarter, zone, figures)
    return figures, days


def _count_waiting(session: Session, quarter: hours.Quarter, zone: str, annual, days: Counter) -> None:
    state, site = state_at_end(quarter, zone), group_column(SITE)
    waiting_then = (with_closing(select(site, state, Nomination.submitted_on, func.count(), func.sum(annual)))
                    .where(open_at_end(quarter, zone)).group_by(site, state, Nomination.submitted_on))
    for site_key, waiting_as, submitted_on, count, potential in session.execute(waiting_then):
        waiting_as = State(waiting_as).value
        for grouping, group in ((PIPELINE, waiting_as), (of_site(PIPELINE), within_site(group_key(site_key),
                                                                                       waiting_as))):
            days[quarter.key, grouping, group, WAITING, submitted_on.toordinal()] += count
            days[quarter.key, grouping, group, WAITING_HOURS, submitted_on.toordinal()] += potential


def _count_moves(session: Session, quarter: hours.Quarter, zone: str, figures: Counter) -> None:
    """The quarter's moves and revisions, of the program and of each site."""
    site = group_column(SITE)
    query = (select(site, Event.to_state, Event.kind, func.count()).select_from(Event)
             .join(Nomination, Nomination.id == Event.nomination_id).where(*FIGURE_EVENTS)
             .where(Event.at >= start_of(quarter, zone), Event.at < start_of(quarter.next(), zone))
             .group_by(site, Event.to_state, Event.kind))
    for site_key, to_state, kind, count in session.execute(query):
        names = ([moved_to(State(to_state))] if to_state is not None else []) + (
            [REVISED] if kind == EventKind.REVISED else [])
        for name in names:
            figures[quarter.key, *PROGRAM, name] += count
            figures[quarter.key, SITE, group_key(site_key), name] += count


def _count_grouping(session: Session, quarters: list[hours.Quarter], by: str | tuple | None,
                    figures: Counter) -> None:
    """The KEPT figures of one grouping (None: the program; (SITE, grouping): that grouping within each site), and
    LISTED: how many nominations each group has."""
    grouping = of_site(by[1]) if isinstance(by, tuple) else by or ""
    if by:
        columns = [group_column(part) for part in ((by,) if isinstance(by, str) else by)]
        rows = session.execute(select(*columns, func.count()).select_from(Nomination).group_by(*columns))
        listed = {(tuple(row[:-1]) if len(columns) > 1 else row[0]): row[-1] for row in rows}
    else:
        listed = {None: session.scalar(select(func.count()).select_from(Nomination))}
    for group, per_quarter in reporting.figures_by(session, quarters, by=by).items():
        place = (within_site(*map(group_key, group)) if isinstance(by, tuple) else group_key(group) if by else "")
        for quarter, counted in zip(quarters, per_quarter, strict=True):
            figures[quarter.key, grouping, place, LISTED] += listed.get(group, 0)
            for name in KEPT:
                if value := getattr(counted, name):
                    figures[quarter.key, grouping, place, name] += value


def difference(after: Counter, before: Counter) -> dict:
    """after less before, where they differ."""
    return {key: after.get(key, 0) - before.get(key, 0) for key in after.keys() | before.keys()
            if abs(after.get(key, 0) - before.get(key, 0)) > 1e-9}

"""The figures of the quarters a dashboard shows, kept as nominations change, so that a page reads a few hundred
rows rather than counting the whole history. The read floor's one trick for reports: what is kept means exactly
what queries/reporting.py counts, because each nomination's share of it is counted by reporting's own SQL
(queries/figure_shares.py).

A kept quarter holds, for the program (grouping "") and for each group of each of report_groups.GROUPINGS:
- kept_figures: each Figures field that the day it is read on does not change (KEPT), the moves and revisions of
  the quarter, and how many nominations the group has (LISTED, so that a group in use is listed even when none of
  its figures falls in the quarter);
- kept_days: the hours and cost a year that begin to be realized in the quarter, and how many retirements, by the day
  they begin, from which the hours realized through any day (and Wins' headline) are summed; and (grouping
  "pipeline") the nominations waiting at the quarter's end, by state and day of submission, from which their ages on
  any day are counted.

Figures are sums over nominations, so services/keeping.py keeps them by adding, as a change is written, the
nominations' shares after it less their shares before. A kept quarter is trusted only while it has counted the
newest nomination and decision there are under the settings in force (current): a change made around the services
(a script, a restore) makes it behind, and reports then count live until it is counted again.
"""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import case, func, select, true
from sqlmodel import Session

from .. import hours
from ..enums import State
from ..models import Event, KeptDay, KeptFigure, KeptQuarter, Nomination
from . import report_groups, reporting
from .figure_shares import (
    COUNTED_BY,
    COUNTED_MOVES,
    FIGURE_EVENTS,
    FROM_DAYS,
    KEPT,
    LISTED,
    PIPELINE,
    REALIZING_COST,
    REALIZING_COUNT,
    REALIZING_HOURS,
    REVISED,
    SITE,
    WAITING,
    WAITING_HOURS,
    WITHIN_SITE,
    group_key,
    moved_to,
    of_site,
    within_site,
)
from .reference import STAMP, get_settings
from .reporting import Figures, Group, PipelineState


@dataclass(frozen=True)
class Newest:
    """What a kept quarter must have counted to be current."""

    nomination_id: int
    event_id: int
    reference_stamp: str


def newest(*, session: Session) -> Newest:
    last_event = select(Event.id).where(*FIGURE_EVENTS).order_by(Event.id.desc()).limit(1).scalar_subquery()
    row = session.execute(select(select(func.max(Nomination.id)).scalar_subquery(), last_event, STAMP)).one()
    return Newest(row[0] or 0, row[1] or 0, row[2] or "")


def current(*, session: Session, quarters: list[hours.Quarter]) -> set[hours.Quarter]:
    """Those of the quarters whose kept figures have counted every nomination and decision there is."""
    if not quarters:
        return set()
    now = newest(session=session)
    by_key = {quarter.key: quarter for quarter in quarters}
    rows = session.execute(select(KeptQuarter).where(KeptQuarter.quarter.in_(by_key))).scalars()
    return {by_key[kept.quarter] for kept in rows
            if (kept.last_nomination_id, kept.last_event_id, kept.reference_stamp) ==
            (now.nomination_id, now.event_id, now.reference_stamp)}


def keeping(*, session: Session) -> bool:
    """Whether this database keeps figures: once any quarter was kept, the current quarter's window is."""
    return session.scalar(select(KeptQuarter.quarter).limit(1)) is not None


def kept_quarters(*, session: Session, start_month: int) -> list[hours.Quarter]:
    return [hours.Quarter.parse(key, start_month) for key in session.scalars(select(KeptQuarter.quarter))]


def figures_of(*, session: Session, quarters: list[hours.Quarter], today: date,
               site_id: int | None = None) -> dict[hours.Quarter, Figures]:
    """The figures of kept quarters, of the program or of one site: realized hours counted through
    Quarter.realized_through(today)."""
    place = ("", "") if site_id is None else (SITE, group_key(site_id))
    found = _figures(session, quarters, [place[0]], today, lambda table: table.group_key == place[1])
    return {quarter: found.get((quarter, *place), Figures()) for quarter in quarters}


def breakdowns(*, session: Session, quarter: hours.Quarter, today: date,
               site_id: int | None = None) -> dict[str, list[Group]]:
    """As reporting.breakdown, for each of report_groups.GROUPINGS, from what is kept: of the program, or of one
    site (its own group of sites, its departments, and the groupings kept within it)."""
    if site_id is None:
        found = _figures(session, [quarter], report_groups.GROUPINGS, today)
        return {by: reporting.named_groups(session, by, {group: figures for (_, grouping, group), figures
                                                         in found.items() if grouping == by}, keyed=group_key)
                for by in report_groups.GROUPINGS}
    site, prefix = group_key(site_id), within_site(group_key(site_id), "")
    ours = [group_key(key) for key in report_groups.labels(session, "department", site_id)]
    kept_as = {SITE: SITE, "department": "department", **{of_site(by): by for by in WITHIN_SITE}}
    found = _figures(session, [quarter], list(kept_as), today, lambda table: (
        ((table.grouping == "department") & table.group_key.in_(ours))
        | ((table.grouping == SITE) & (table.group_key == site)) | table.group_key.startswith(prefix)))
    per_grouping: dict[str, dict] = {by: {} for by in report_groups.GROUPINGS}
    for (_, grouping, group), figures in found.items():
        by = kept_as[grouping]
        per_grouping[by][group.removeprefix(prefix) if by != grouping else group] = figures
    return {by: reporting.named_groups(session, by, per_key, keyed=group_key, site_id=site_id)
            for by, per_key in per_grouping.items()}


def _figures(session: Session, wanted: list[hours.Quarter], groupings, today: date, kept=None) -> dict:
    """{(quarter, grouping, group key): Figures} of the groupings ("" the program) of the quarters, in two queries;
    only groups with nominations, and those `kept` picks (lambda table: a condition on KeptFigure's or KeptDay's
    columns), when given."""
    if not wanted:
        return {}
    kept = kept or (lambda table: true())
    quarters = {quarter.key: quarter for quarter in wanted}
    values: dict = {}
    plain = select(KeptFigure.quarter, KeptFigure.grouping, KeptFigure.group_key, KeptFigure.measure,
                   KeptFigure.value).where(KeptFigure.quarter.in_(quarters), KeptFigure.grouping.in_(groupings),
                                           kept(KeptFigure))
    for quarter, grouping, group, measure, value in session.execute(plain):
        values.setdefault((quarters[quarter], grouping, group), {})[measure] = value
    through = case({q.key: q.realized_through(today).toordinal() for q in quarters.values()}, value=KeptDay.quarter)
    last = case({q.key: q.last_day.toordinal() for q in quarters.values()}, value=KeptDay.quarter)
    realized = (select(KeptDay.quarter, KeptDay.grouping, KeptDay.group_key, KeptDay.measure,
                       func.sum(hours.realized_hours_of(KeptDay.value, _days_counted(through))),
                       func.sum(hours.realized_hours_of(KeptDay.value, _days_counted(last))))
                .where(KeptDay.quarter.in_(quarters), KeptDay.grouping.in_(groupings), kept(KeptDay),
                       KeptDay.measure.in_((REALIZING_HOURS, REALIZING_COST)))
                .group_by(KeptDay.quarter, KeptDay.grouping, KeptDay.group_key, KeptDay.measure))
    for quarter, grouping, group, measure, to_date, to_end in session.execute(realized):
        found = values.setdefault((quarters[quarter], grouping, group), {})
        if measure == REALIZING_HOURS:
            found["realized_hours"], found["projected_hours"] = to_date, to_end
        else:
            found["realized_cost"] = to_date
    fte_hours = get_settings(session=session).fte_hours_per_year
    return {place: _as_figures(found, fte_hours) for place, found in values.items() if found.get(LISTED, 0) > 0.5}


def retired_by_outcome(*, session: Session, quarter: hours.Quarter, day: date) -> dict[str, tuple[int, float]]:
    """As wins.retired_by on a day of the kept quarter: {outcome's group key: (retirements, hours a year)} of the
    burdens retired on or before the day, summed from the days they begin to count."""
    counted = (select(KeptDay.group_key, KeptDay.measure, func.sum(KeptDay.value))
               .where(KeptDay.quarter == quarter.key, KeptDay.grouping == COUNTED_BY,
                      KeptDay.measure.in_((REALIZING_COUNT, REALIZING_HOURS)), KeptDay.day <= day.toordinal())
               .group_by(KeptDay.group_key, KeptDay.measure))
    found: dict[str, dict] = {}
    for group, measure, value in session.execute(counted):
        found.setdefault(group, {})[measure] = value
    return {group: (round(values.get(REALIZING_COUNT, 0)), float(values.get(REALIZING_HOURS, 0.0)))
            for group, values in found.items() if values.get(REALIZING_COUNT, 0) > 0.5}


def _days_counted(through):
    """Days from a kept day (on or after its quarter's first) through `through`; none when that is before it.
    Days are kept as day numbers (date.toordinal), so that both databases count them by subtracting."""
    return case((KeptDay.day <= through, through - KeptDay.day + 1), else_=0)


def _as_figures(found: dict, fte_hours_per_year: float) -> Figures:
    numbers = {name: round(found.get(name, 0)) if name in _COUNTS else float(found.get(name, 0.0))
               for name in KEPT + FROM_DAYS}
    return Figures(**numbers, annualized_fte=hours.fte(numbers["annualized_hours"], fte_hours_per_year),
                   potential_fte=hours.fte(numbers["potential_hours"], fte_hours_per_year))


_COUNTS = {name for name in KEPT if isinstance(getattr(Figures(), name), int)}


def pipeline_by_state(*, session: Session, quarter: hours.Quarter, today: date,
                      site_id: int | None = None) -> list[PipelineState]:
    """As reporting.pipeline_by_state, from what is kept: ages counted on min(today, the quarter's last day)."""
    grouping, prefix = (PIPELINE, "") if site_id is None else (of_site(PIPELINE), within_site(group_key(site_id), ""))
    stale_after_days = get_settings(session=session).stale_after_days
    on = min(today, quarter.last_day)
    age = on.toordinal() - KeptDay.day
    counted = KeptDay.value > 0.5  # a count that changes came back to nothing leaves a row of 0
    query = (select(KeptDay.group_key, KeptDay.measure, func.sum(KeptDay.value), func.sum(KeptDay.value * age),
                    func.min(case((counted, KeptDay.day))), func.sum(case((age > stale_after_days, KeptDay.value),
                                                                          else_=0)))
             .where(KeptDay.quarter == quarter.key, KeptDay.grouping == grouping,
                    KeptDay.group_key.in_([prefix + state.value for state in State]))
             .group_by(KeptDay.group_key, KeptDay.measure))
    found = {(group[len(prefix):], measure): row for group, measure, *row in session.execute(query)}
    return [_waiting(state, found, on, stale_after_days) for state in (State.PROPOSED, State.EVALUATED)]


def _waiting(state: State, found: dict, on: date, stale_after_days: int) -> PipelineState:
    count, age_days, first_day, overdue = found.get((state.value, WAITING), (0, 0, None, 0))
    count = round(count or 0)
    if not count:
        return PipelineState(state, 0, 0.0, 0.0, 0, 0, overdue_after_days=stale_after_days)
    potential = found.get((state.value, WAITING_HOURS), (0.0,))[0] or 0.0
    return PipelineState(state, count, float(potential), float(age_days) / count, on.toordinal() - first_day,
                         round(overdue or 0), overdue_after_days=stale_after_days)


def moves_by_target(*, session: Session, quarter: hours.Quarter,
                    site_id: int | None = None) -> tuple[dict[State, int], int]:
    """As reporting.moves_by_target and reporting.revisions_during, from what is kept: the program's or a site's."""
    grouping, group = ("", "") if site_id is None else (SITE, group_key(site_id))
    found = dict(session.execute(select(KeptFigure.measure, KeptFigure.value).where(
        KeptFigure.quarter == quarter.key, KeptFigure.grouping == grouping, KeptFigure.group_key == group,
        KeptFigure.measure.in_(COUNTED_MOVES))).all())
    return ({state: round(found.get(moved_to(state), 0)) for state in State}, round(found.get(REVISED, 0)))

"""What a retirement measurably gave back: its EHR metric before and after, in the departments it affected and in
the others (measured.py does the arithmetic), and the hours a year that stands for (hours.py).

Only department aggregates are read. A group of affected departments that counts fewer clinicians than the
setting in some month of its windows is not measured: its figure would be a few people's own.
"""

from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import date

from sqlalchemy import bindparam
from sqlmodel import Session, select

from .. import hours
from ..ehr_metrics import METRICS, Metric
from ..enums import State
from ..measured import Measured, level, measure, month_levels, months_around
from ..models import ESTIMATE_IN_FORCE, AffectedDepartment, Nomination
from .dialects import equal_row_by_row
from .metric_months import MetricMonths, metric_months
from .reference import for_lists, get_settings

NO_DENOMINATORS = ("the metric was imported as the departments' figures alone, with no scheduled hours (or days, "
                   "shifts, weeks) beneath them: the hours it stands for are not computed")


@dataclass(frozen=True)
class Impact:
    """A retired nomination's measured effect, in its metric's units, and in hours a year given back."""

    nomination_id: int
    title: str
    retired_on: date
    metric: Metric
    departments: list[str]
    measured: Measured
    hours_estimated: float
    hours_measured: float | None = None  # given back a year: positive when the metric fell
    hours_low: float | None = None
    hours_high: float | None = None
    why_no_hours: str | None = None
    affected_ids: tuple[int, ...] = ()
    comparison_ids: tuple[int, ...] = ()
    window_months: int = 3


@dataclass(frozen=True)
class MonthChart:
    """A metric by month, in its unit, for the affected departments and the comparison (None: not shown)."""

    months: list[date]
    affected: list[float | None]
    comparison: list[float | None]
    marked: date  # the month the change took effect


CHART_BEYOND = 3  # months shown beyond each window on the nomination's chart, where there is data


@dataclass(frozen=True)
class DepartmentTrend:
    """One department's metric by month (None: nothing imported, or too few clinicians to show), and the months
    in which a retirement linked to an EHR metric took effect there."""

    department: str
    months: list[date]
    values: list[float | None]
    marked: list[date]


@dataclass(frozen=True)
class MeasuredShare:
    """Of the hours a year retired by a day, those whose retirement the EHR metrics measure in hours."""

    retirements: int
    hours_estimated: float  # their estimate, the figure the reports count
    hours_measured: float
    share: float  # of all hours a year retired, on the estimate


TREND_METRIC, TREND_MONTHS = "WOW8", 12


def affected_department_ids(*, session: Session, nomination: Nomination) -> list[int]:
    """The departments the board named as affected, or the nomination's own when it named none."""
    named = session.exec(select(AffectedDepartment.department_id)
                         .where(AffectedDepartment.nomination_id == nomination.id)
                         .order_by(AffectedDepartment.department_id)).all()
    return list(named) or [nomination.department_id]


def measured_impacts(*, session: Session, today: date, nomination_ids: list[int] | None = None,
                     site_id: int | None = None) -> list[Impact]:
    """Every retired nomination linked to a metric (or those of nomination_ids, or of one site's departments),
    newest retirement first."""
    return _measured(session, today, nomination_ids, site_id=site_id)[0]


def _measured(session: Session, today: date, nomination_ids: list[int] | None, settings=None,
              site_id: int | None = None):
    """The impacts, and each metric's data they were measured on."""
    settings = settings or get_settings(session=session)
    retired = _retired_with_metrics(session)
    affected = _affected(session, [row.id for row in retired])
    wanted = retired if nomination_ids is None else [row for row in retired if row.id in set(nomination_ids)]
    if site_id is not None:
        ours = _departments_of(session, site_id)
        wanted = [row for row in wanted if row.department_id in ours]
    data = {metric: metric_months(session, metric) for metric in {row.measured_metric for row in wanted}}
    names = dict(for_lists(session=session).departments)
    return [_impact(row, affected, retired, data[row.measured_metric], names, settings, today)
            for row in wanted], data


def impact_of(*, session: Session, nomination: Nomination, today: date) -> tuple[Impact, MonthChart] | None:
    """A retired nomination's measured impact and the chart of its metric around the retirement; None when it
    is not retired or not linked to a metric."""
    if nomination.state is not State.RETIRED or not nomination.measured_metric:
        return None
    settings = get_settings(session=session)
    span = settings.measure_window_months + CHART_BEYOND
    found, read = _measured(session, today, [nomination.id], settings)
    if not found:
        return None
    impact = found[0]
    data = read[impact.metric.key]
    marked = impact.retired_on.replace(day=1)
    before, after = months_around(impact.retired_on, span)
    spanned = [*before, marked, *after]
    held = [index for index, month in enumerate(spanned)
            if any(month in data.series.get(d, {}) for d in impact.affected_ids)]
    months = spanned[held[0]:held[-1] + 1] if held else []  # a month missing between them stays, as a gap
    per = impact.metric.per

    def line(ids, hidden=lambda month: False):
        pooled = month_levels([data.series[d] for d in ids if d in data.series], months)
        return [None if value is None or hidden(month) else value * per for month, value in zip(months, pooled,
                                                                                                 strict=True)]

    def too_few(ids):
        return lambda month: _too_few_clinicians(data, set(ids), [month], settings.fewest_clinicians_shown)

    return impact, MonthChart(months, line(impact.affected_ids, too_few(impact.affected_ids)),
                              line(impact.comparison_ids, too_few(impact.comparison_ids)), marked)


# The statements a measured nomination's page runs, built once: building them took as long as running them.
_RETIRED_LINKED = (
    select(Nomination.id, Nomination.title, Nomination.department_id, Nomination.measured_metric,
           Nomination.retired_on, *(column.label(name) for column, name
                                    in zip(ESTIMATE_IN_FORCE, ("minutes", "per_week", "clinicians"), strict=True)))
    .where(equal_row_by_row(Nomination.state, State.RETIRED.value),
           Nomination.measured_metric > ""))  # not IS NOT NULL: SQLite reads a range through its index
_AFFECTED = select(AffectedDepartment.nomination_id, AffectedDepartment.department_id).where(
    AffectedDepartment.nomination_id.in_(bindparam("ids", expanding=True)))


def _retired_with_metrics(session: Session) -> list:
    """What measuring needs of each retired nomination linked to a metric: rows, not whole nominations, newest
    retirement first. They are few, and sorted here: asked to sort them, SQLite (without statistics) walked the
    index of every retirement in order, and left to itself, the index of every retired nomination, instead of
    the few on the index of measured_metric."""
    rows = session.connection().execute(_RETIRED_LINKED).all()
    return sorted(rows, key=lambda row: (row.retired_on, row.id), reverse=True)


def _affected(session: Session, ids: list[int]) -> dict[int, set[int]]:
    named = defaultdict(set)
    if ids:
        for nomination_id, department_id in session.connection().execute(_AFFECTED, {"ids": ids}):
            named[nomination_id].add(department_id)
    return named


def _impact(row, affected: dict, retired: list, data: MetricMonths, names: dict, settings,
            today: date) -> Impact:
    metric = METRICS[row.measured_metric]
    departments = affected.get(row.id) or {row.department_id}
    window = settings.measure_window_months
    before, after = months_around(row.retired_on, window)
    minutes, per_week, clinicians = row.minutes, row.per_week, row.clinicians
    estimated = hours.annual_hours(hours.weekly_hours(minutes, per_week, clinicians),
                                   settings.working_weeks_per_year)
    impact = Impact(row.id, row.title, row.retired_on, metric, sorted(names.get(d, "?") for d in departments),
                    Measured(), estimated, affected_ids=tuple(sorted(departments)), window_months=window)
    too_few = _too_few_clinicians(data, departments, before + after, settings.fewest_clinicians_shown)
    if too_few:
        return replace(impact, measured=Measured(why_not=too_few))
    others = [d for d in _comparison(row, departments, affected, retired, data, before[0], after[-1])
              if all(month in data.series[d] for month in before + after)]  # as measure() keeps them
    too_few = _too_few_clinicians(data, set(others), before + after, settings.fewest_clinicians_shown, "comparison")
    if others and too_few:
        return replace(impact, measured=Measured(why_not=too_few))
    measured = measure([data.series.get(d, {}) for d in sorted(departments)],
                       [data.series[d] for d in others], row.retired_on, today=today, window=window)
    impact = replace(impact, measured=_in_units(measured, metric.per), affected_ids=tuple(sorted(departments)),
                     comparison_ids=tuple(others))
    if measured.effect is None:
        return impact
    return _with_hours(impact, measured, [data.series[d] for d in departments], after, window, minutes)


def _too_few_clinicians(data: MetricMonths, departments: set[int], months: list[date], fewest: int,
                        group: str = "affected") -> str | None:
    """Why a group's figures cannot be shown: the departments that have a month count fewer clinicians than the
    setting in it, or one of them does not say how many (a figure of unknown size may be one person's)."""
    for month in months:
        counts = [data.clinicians[d].get(month) for d in departments if month in data.series.get(d, {})]
        if any(count is None for count in counts):
            return (f"the {group} departments' clinicians are not counted in {month:%B %Y} (the import needs "
                    "them): so that no one's own figures can be read from it, it is not measured")
        if counts and sum(counts) < fewest:
            return (f"the {group} departments count fewer than {fewest} clinicians in {month:%B %Y}: so that no "
                    "one's own figures can be read from it, it is not measured")
    return None


def _comparison(row, departments: set[int], affected: dict, retired: list, data: MetricMonths,
                first: date, last: date) -> list[int]:
    """Every other department with the metric, but those with their own retirement on it inside the windows."""
    busy = set()
    for other in retired:
        if other.id != row.id and other.measured_metric == row.measured_metric \
                and first <= other.retired_on.replace(day=1) <= last:
            busy |= affected.get(other.id) or {other.department_id}
    return sorted(set(data.series) - departments - busy)


def _in_units(measured: Measured, per: float) -> Measured:
    """measured.py's figures are numerator ÷ denominator: the metric's unit is that times `per`."""
    scaled = {name: (value * per if value is not None else None) for name, value in (
        ("effect", measured.effect), ("low", measured.low), ("high", measured.high), ("before", measured.before),
        ("after", measured.after), ("comparison_before", measured.comparison_before),
        ("comparison_after", measured.comparison_after))}
    return replace(measured, **scaled)


def _with_hours(impact: Impact, measured: Measured, series: list, after: list[date], window: int,
                minutes_per_occurrence: float) -> Impact:
    months = [one[month] for one in series for month in after]
    if not all(isinstance(month, tuple) for month in months):
        return replace(impact, why_no_hours=NO_DENOMINATORS)
    denominators_a_year = hours.a_year_of(sum(month[1] for month in months), window)
    each = impact.metric.hours_in_numerator(minutes_per_occurrence)

    def given_back(change):
        return None if change is None else hours.measured_hours_a_year(change, denominators_a_year, each)

    # A larger fall gives more hours back: High comes from the effect's Low, and the other way.
    return replace(impact, hours_measured=given_back(measured.effect), hours_low=given_back(measured.high),
                   hours_high=given_back(measured.low))


def _departments_of(session: Session, site_id: int) -> set[int]:
    return {department for department, site in for_lists(session=session).department_sites if site == site_id}


def measured_share(*, session: Session, today: date, last_day: date, annualized_hours: float,
                   site_id: int | None = None) -> MeasuredShare:
    """The retirements by last_day measured in hours, against the hours a year retired by then (of one site's, when
    site_id is given)."""
    counted = [impact for impact in measured_impacts(session=session, today=today, site_id=site_id)
               if impact.retired_on <= last_day and impact.hours_measured is not None]
    estimated = sum(impact.hours_estimated for impact in counted)
    return MeasuredShare(len(counted), estimated, sum(impact.hours_measured for impact in counted),
                         estimated / annualized_hours if annualized_hours else 0.0)


def department_trends(*, session: Session, today: date, metric: str = TREND_METRIC,
                      months: int = TREND_MONTHS, site_id: int | None = None) -> list[DepartmentTrend]:
    """Each department's metric over the last months before this one, by name; only departments with data (of one
    site, when site_id is given)."""
    shown = months_around(today.replace(day=1), months)[0]
    data = metric_months(session, metric)
    fewest = get_settings(session=session).fewest_clinicians_shown
    retired = defaultdict(set)
    linked = _retired_with_metrics(session)
    affected = _affected(session, [nomination.id for nomination in linked])
    for nomination in linked:
        for department in affected.get(nomination.id) or {nomination.department_id}:
            retired[department].add(nomination.retired_on.replace(day=1))
    per = METRICS[metric].per
    trends = []
    ours = None if site_id is None else _departments_of(session, site_id)
    for department_id, name in for_lists(session=session).departments:
        series = data.series.get(department_id)
        if ours is not None and department_id not in ours:
            continue
        if not series or not any(month in series for month in shown):
            continue
        values = [None if month not in series or _too_few_clinicians(data, {department_id}, [month], fewest)
                  else level([series], [month]) * per for month in shown]
        trends.append(DepartmentTrend(name, shown, values, sorted(retired[department_id] & set(shown))))
    return trends

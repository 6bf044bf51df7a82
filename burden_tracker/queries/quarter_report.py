"""One quarter's report, as the dashboard shows it and the workbook writes it: live, or as it was closed.

A quarter not closed is computed now (queries/reporting.py, executive.py, report_rows.py), or read from its kept
figures (queries/kept_figures.py) while they are current; the closed quarters in its history keep their figures as
closed, and each closed quarter that a later change altered is listed with its figures as closed, as they would be
now, and the changes that explain the difference (restatements). A closed quarter's report is the one stored when
it was closed (queries/closed_quarters.py), the same on any later day.
"""

from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from importlib.metadata import version

from sqlmodel import Session

from .. import hours
from ..enums import AffectedRole, State
from . import closed_quarters, executive, kept_figures, report_groups, report_rows, reporting
from .reference import get_settings, hourly_rates, organization_today
from .reporting import Figures, Group, PipelineState
from .restatements import Change, Restated

SHEETS = ("retired", "pipeline", "soon", "decisions")
@dataclass(frozen=True)
class Assumed:
    """The settings a report was computed with, named on its Assumptions sheet."""

    fiscal_year_start_month: int
    time_zone: str
    working_weeks_per_year: float
    fte_hours_per_year: float
    quorum_fraction: float
    stale_after_days: int
    annual_target_hours: float | None
    hourly_rates: dict[str, float]

    @classmethod
    def now(cls, session: Session) -> "Assumed":
        settings = get_settings(session=session)
        rates = {role.value: rate for role, rate in hourly_rates(session=session).items()}
        return cls(**{name: getattr(settings, name) for name in _SETTINGS}, hourly_rates=rates)


_SETTINGS = ("fiscal_year_start_month", "time_zone", "working_weeks_per_year", "fte_hours_per_year",
             "quorum_fraction", "stale_after_days", "annual_target_hours")


@dataclass(frozen=True)
class Closed:
    closing_id: int
    at: datetime
    by: str  # named by the one rule when it was closed


@dataclass(frozen=True)
class QuarterReport:
    quarter: hours.Quarter
    today: date  # the organization's day it stands on: today, or the day it was closed
    assumed: Assumed
    history: list[tuple[hours.Quarter, Figures]]  # the last eight quarters, this one last
    breakdowns: dict[str, list[Group]]
    pipeline: list[PipelineState]
    wins: list[executive.LargestWin]
    moves: dict[State, int]
    revisions: int = 0  # the board's revisions in the quarter, listed on the Decisions sheet beside the moves
    closed: Closed | None = None
    restated: list[Restated] = field(default_factory=list)  # for a report not closed: closed quarters restated
    closed_quarters: frozenset = frozenset()  # which quarters of the history are closed
    sheet_keys: dict[str, list[str]] = field(default_factory=dict)  # a closed report's stored rows' columns
    version: str = field(default_factory=lambda: version("burden-tracker"))
    site_id: int | None = None  # one site's report; None: the whole health system's
    site: str | None = None  # that site's name (as it was closed)

    @property
    def standing(self) -> str:
        """Whether these figures can still change, in words."""
        if self.closed:
            day = hours.today_in(self.assumed.time_zone, self.closed.at)
            return (f"Closed on {day:%-d %B %Y} by {self.closed.by}: every figure is as it was when the quarter "
                    "was closed.")
        return "Not closed: these figures may change."

    @property
    def figures(self) -> Figures:
        return self.history[-1][1]

    @property
    def year(self) -> Figures:
        return executive.year_to_date(self.history)

    @property
    def target(self) -> executive.Target | None:
        hours_a_year = self.assumed.annual_target_hours
        return executive.Target(hours_a_year, self.year.realized_hours) if hours_a_year else None

    @property
    def rates(self) -> dict[AffectedRole, float]:
        return {AffectedRole(role): rate for role, rate in self.assumed.hourly_rates.items()}


class NotClosedBySite(Exception):
    """A closed quarter that stored no report of the site: only the health system's, and the sites' of the time,
    are as closed."""

    def __init__(self, quarter: hours.Quarter, sites_kept: bool):
        super().__init__(
            f"This site was added after {quarter} was closed: its figures were kept for the sites there were then"
            if sites_kept else
            f"{quarter} was closed before each site's figures were kept with it. The whole health system's figures "
            "are as closed; to have this site's too, an admin reopens the quarter and closes it again")


def report_for(*, session: Session, quarter: hours.Quarter, today: date | None = None,
               site_id: int | None = None) -> QuarterReport:
    """The quarter's report, of the health system or of one site: as it was closed, or computed as of today.
    Raises NotClosedBySite for a site whose report the closed quarter did not store."""
    closings = closed_quarters.closings_in_force(session=session)
    if quarter in closings:
        return decode(closings[quarter], site_id)
    return live_report(session=session, quarter=quarter, today=today, closings=closings, site_id=site_id)


def live_report(*, session: Session, quarter: hours.Quarter, today: date | None = None,
                closings: dict | None = None, site_id: int | None = None) -> QuarterReport:
    """Closed quarters of its history as stored, kept ones as kept (queries/kept_figures.py), the rest counted; of
    one site's nominations when site_id is given (a quarter closed before sites were kept apart is counted)."""
    today = today or organization_today(session=session)
    closings = closed_quarters.closings_in_force(session=session) if closings is None else closings
    window = quarter.last(reporting.HISTORY_QUARTERS)
    stored = {closing.id: (q, _as_closed(closing, site_id)) for q, closing in closings.items()}  # read once
    closed = {q: report for q, report in stored.values() if report is not None and q in window}
    kept = kept_figures.current(session=session, quarters=[q for q in window if q not in closed])
    counted = [q for q in window if q not in closed and q not in kept]
    figures = {**{q: report.figures for q, report in closed.items()},
               **kept_figures.figures_of(session=session, quarters=sorted(kept), today=today, site_id=site_id),
               **dict(zip(counted, reporting.figures_of(session=session, quarters=counted, today=today,
                                                        site_id=site_id), strict=True))}
    parts = _kept_parts if quarter in kept else _counted_parts
    return QuarterReport(
        quarter=quarter, today=today, assumed=Assumed.now(session), history=[(q, figures[q]) for q in window],
        **parts(session, quarter, today, site_id),
        wins=executive.largest_wins(session=session, quarter=quarter, figures=figures[quarter], site_id=site_id),
        restated=_restated(session, stored, get_settings(session=session).time_zone, site_id),
        closed_quarters=frozenset(closed), site_id=site_id,
        site=None if site_id is None else report_groups.labels(session, "site", site_id)[site_id][0])


def _kept_parts(session: Session, quarter: hours.Quarter, today: date, site_id: int | None) -> dict:
    moves, revisions = kept_figures.moves_by_target(session=session, quarter=quarter, site_id=site_id)
    return dict(breakdowns=kept_figures.breakdowns(session=session, quarter=quarter, today=today, site_id=site_id),
                pipeline=kept_figures.pipeline_by_state(session=session, quarter=quarter, today=today,
                                                        site_id=site_id),
                moves=moves, revisions=revisions)


def _counted_parts(session: Session, quarter: hours.Quarter, today: date, site_id: int | None) -> dict:
    return dict(breakdowns={by: reporting.breakdown(session=session, quarter=quarter, by=by, today=today,
                                                    site_id=site_id)
                            for by in report_groups.GROUPINGS},
                pipeline=reporting.pipeline_by_state(session=session, quarter=quarter, today=today, site_id=site_id),
                moves=reporting.moves_by_target(session=session, quarter=quarter, site_id=site_id),
                revisions=reporting.revisions_during(session=session, quarter=quarter, site_id=site_id))


def _restated(session: Session, as_closed: dict, zone: str, site_id: int | None) -> list[Restated]:
    """The closed quarters whose figures changes since altered (as_closed: closing id -> (quarter, its report as
    closed, or None when it stored none of the site)): of one site, its nominations' changes."""
    changes: dict[int, list[Change]] = {}
    for closing_id, restatement, title in closed_quarters.restatements(
            session=session, closing_ids=[id_ for id_, (_, report) in as_closed.items() if report], site_id=site_id):
        changes.setdefault(closing_id, []).append(Change(
            restatement.at, hours.today_in(zone, restatement.at), restatement.nomination_id, title,
            restatement.change, closed_quarters.loads(restatement.difference)))
    found = [Restated(as_closed[closing_id][0], as_closed[closing_id][1].figures, listed)
             for closing_id, listed in changes.items()]
    return sorted((restated for restated in found if restated.differing()), key=lambda r: r.quarter)


def rows(*, session: Session, report: QuarterReport, sheet: str):
    """A sheet's rows (SHEETS), with keys(): from the database now, or as stored when the quarter was closed; of the
    report's site only, when it has one."""
    site_id = report.site_id
    if report.closed:
        return closed_quarters.StoredRows(session, report.closed.closing_id, sheet, report.sheet_keys[sheet], site_id)
    quarter, today = report.quarter, report.today
    return {"retired": lambda: report_rows.retired_rows(session=session, quarter=quarter, today=today,
                                                        site_id=site_id),
            "pipeline": lambda: report_rows.pipeline_rows(session=session, quarter=quarter, today=today,
                                                          site_id=site_id),
            "soon": lambda: report_rows.retiring_soon_rows(session=session, quarter=quarter, site_id=site_id),
            "decisions": lambda: report_rows.decision_rows(session=session, quarter=quarter, site_id=site_id)}[sheet]()


def encode(report: QuarterReport, keys: dict[str, list[str]], closed_by: str) -> str:
    """The report as stored when its quarter is closed, with the column keys of its sheets' stored rows."""
    return closed_quarters.dumps({
        "closed_by": closed_by, "today": report.today, "assumed": asdict(report.assumed), **_figures_of(report),
        "keys": keys, "version": report.version})


def encode_sites(sites: list[QuarterReport]) -> str:
    """Each site's report as stored beside the health system's (their rows are the stored rows of the site's
    nominations; what they share, the health system's report holds)."""
    return closed_quarters.dumps({str(site.site_id): {**_figures_of(site), "site": site.site} for site in sites})


def _site_part(closing, site_id: int) -> dict:
    sites = closed_quarters.loads(closing.site_reports) if closing.site_reports else None
    if not sites or str(site_id) not in sites:
        start_month = closed_quarters.loads(closing.report)["assumed"]["fiscal_year_start_month"]
        raise NotClosedBySite(hours.Quarter.parse(closing.quarter, start_month), sites_kept=sites is not None)
    return sites[str(site_id)]


def _as_closed(closing, site_id: int | None) -> QuarterReport | None:
    """As decode; None when the closed quarter stored no report of the site, which is then counted."""
    try:
        return decode(closing, site_id)
    except NotClosedBySite:
        return None


def _figures_of(report: QuarterReport) -> dict:
    """What differs between the health system's report and a site's, as stored."""
    return {
        "history": [[q.key, asdict(f)] for q, f in report.history],
        "breakdowns": {by: [[g.label, asdict(g.figures)] for g in groups] for by, groups in report.breakdowns.items()},
        "pipeline": [asdict(p) for p in report.pipeline], "wins": [asdict(w) for w in report.wins],
        "moves": {state.value: count for state, count in report.moves.items()}, "revisions": report.revisions,
        "closed": sorted({q.key for q in report.closed_quarters} | {report.quarter.key})}


def decode(closing, site_id: int | None = None) -> QuarterReport:
    """The report stored when the quarter was closed: the health system's, or a site's (NotClosedBySite when it
    stored none of the site)."""
    stored = closed_quarters.loads(closing.report)
    part = stored if site_id is None else _site_part(closing, site_id)
    assumed = Assumed(**stored["assumed"])
    start = assumed.fiscal_year_start_month
    history = [(hours.Quarter.parse(key, start), Figures(**figures)) for key, figures in part["history"]]
    return QuarterReport(
        quarter=hours.Quarter.parse(closing.quarter, start), today=stored["today"], assumed=assumed, history=history,
        breakdowns={by: [Group(label, Figures(**figures)) for label, figures in groups]
                    for by, groups in part["breakdowns"].items()},
        pipeline=[PipelineState(**{**p, "state": State(p["state"])}) for p in part["pipeline"]],
        wins=[executive.LargestWin(**w) for w in part["wins"]],
        moves={State(state): count for state, count in part["moves"].items()}, revisions=part["revisions"],
        closed=Closed(closing.id, closing.closed_at, stored["closed_by"]), sheet_keys=stored["keys"],
        closed_quarters=frozenset(hours.Quarter.parse(key, start) for key in part["closed"]),
        version=stored["version"], site_id=site_id, site=part.get("site"))

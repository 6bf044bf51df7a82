"""One quarter's report, as the dashboard shows it and the workbook writes it: live, or as it was closed.

A quarter not closed is computed now (queries/reporting.py, executive.py, report_rows.py), or read from its kept
figures (queries/kept_figures.py) while they are current; the closed quarters in its history keep their figures as
closed, and each closed quarter that a later change altered is listed with its figures as closed, as they would be
now, and the changes that explain the difference (restatements). A closed quarter's report is the one stored when
it was closed (queries/closed_quarters.py), the same on any later day.
"""

from dataclasses import asdict, dataclass, field, fields, replace
from datetime import date, datetime
from importlib.metadata import version

from sqlmodel import Session

from .. import hours
from ..enums import AffectedRole, State
from . import closed_quarters, executive, kept_figures, report_rows, reporting
from .reference import get_settings, hourly_rates, organization_today
from .reporting import Figures, Group, PipelineState

SHEETS = ("retired", "pipeline", "soon", "decisions")
FIGURES = tuple(f.name for f in fields(Figures))
_COUNTED = {name for name in FIGURES if isinstance(getattr(Figures(), name), int)}
# Each figure's name in a restatement, and the kind of number it is.
FIGURE_LABELS = {
    "received": "Nominations received", "evaluated": "Evaluated", "decided_to_retire": "Decided to retire",
    "retired": "Retired (effective)", "rejected": "Rejected", "retired_by_end": "Retired by the quarter's end",
    "open_at_end": "Open at the quarter's end", "realized_hours": "Hours realized",
    "annualized_hours": "Hours a year retired by the end", "potential_hours": "Potential hours a year (open)",
    "realized_cost": "Cost realized (USD)", "projected_hours": "Hours projected to the end",
    "retiring_soon": "Retiring soon", "retiring_soon_hours": "Hours a year retiring soon",
    "annualized_hours_board": "Hours a year retired, on the board's estimate",
    "potential_hours_board": "Potential hours a year, on the board's estimate",
    "annualized_cost": "Cost a year retired (USD)", "potential_cost": "Potential cost a year (USD)",
    "annualized_fte": "FTE retired", "potential_fte": "Potential FTE (open)"}


# The figures a restatement is shown by (the others follow from them: FTE, costs a year, the bases of estimate).
RESTATED = ("received", "decided_to_retire", "retired", "retired_by_end", "open_at_end", "realized_hours",
            "annualized_hours", "potential_hours", "realized_cost")


def kind_of(figure: str) -> str:
    if figure in _COUNTED:
        return "count"
    return "money" if figure.endswith("_cost") else "fte" if figure.endswith("_fte") else "hours"


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
class Change:
    """A change written after a quarter was closed that altered its figures."""

    at: datetime  # UTC
    day: date  # the organization's day it was written
    nomination_id: int
    title: str
    change: str
    difference: dict[str, float]


@dataclass(frozen=True)
class Restated:
    """A closed quarter whose figures a later change altered."""

    quarter: hours.Quarter
    as_closed: Figures
    changes: list[Change]

    @property
    def now(self) -> Figures:
        total = {}
        for change in self.changes:
            for name, delta in change.difference.items():
                total[name] = total.get(name, 0) + delta
        return plus(self.as_closed, total)

    def differing(self) -> list[tuple[str, float, float]]:
        """(figure, as closed, now) for each of the RESTATED figures that changed."""
        now = self.now
        return [(name, getattr(self.as_closed, name), getattr(now, name)) for name in RESTATED
                if abs(getattr(now, name) - getattr(self.as_closed, name)) > _UNCHANGED]


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


# Figures are sums of floating-point hours: a difference smaller than this is rounding, not a change.
_UNCHANGED = 1e-6


def difference(after: Figures, before: Figures) -> dict[str, float]:
    """The figures that differ, and by how much (after minus before)."""
    return {name: getattr(after, name) - getattr(before, name) for name in FIGURES
            if abs(getattr(after, name) - getattr(before, name)) > _UNCHANGED}


def plus(figures: Figures, differences: dict[str, float]) -> Figures:
    return replace(figures, **{name: _as_figure(name, getattr(figures, name) + delta)
                               for name, delta in differences.items()})


def _as_figure(name: str, value: float):
    return round(value) if name in _COUNTED else value


def report_for(*, session: Session, quarter: hours.Quarter, today: date | None = None) -> QuarterReport:
    """The quarter's report: as it was closed, or computed as of today."""
    closings = closed_quarters.closings_in_force(session=session)
    if quarter in closings:
        return decode(closings[quarter])
    return live_report(session=session, quarter=quarter, today=today, closings=closings)


def live_report(*, session: Session, quarter: hours.Quarter, today: date | None = None,
                closings: dict | None = None) -> QuarterReport:
    """Closed quarters of its history as stored, kept ones as kept (queries/kept_figures.py), the rest counted."""
    today = today or organization_today(session=session)
    closings = closed_quarters.closings_in_force(session=session) if closings is None else closings
    window = quarter.last(reporting.HISTORY_QUARTERS)
    closed = {q: decode(closing) for q, closing in closings.items() if q in window}
    kept = kept_figures.current(session=session, quarters=[q for q in window if q not in closed])
    counted = [q for q in window if q not in closed and q not in kept]
    figures = {**{q: report.figures for q, report in closed.items()},
               **kept_figures.figures_of(session=session, quarters=sorted(kept), today=today),
               **dict(zip(counted, reporting.figures_of(session=session, quarters=counted, today=today),
                          strict=True))}
    parts = _kept_parts if quarter in kept else _counted_parts
    return QuarterReport(
        quarter=quarter, today=today, assumed=Assumed.now(session), history=[(q, figures[q]) for q in window],
        **parts(session, quarter, today),
        wins=executive.largest_wins(session=session, quarter=quarter, figures=figures[quarter]),
        restated=_restated(session, closings, zone=get_settings(session=session).time_zone),
        closed_quarters=frozenset(closed))


def _kept_parts(session: Session, quarter: hours.Quarter, today: date) -> dict:
    moves, revisions = kept_figures.moves_by_target(session=session, quarter=quarter)
    return dict(breakdowns=kept_figures.breakdowns(session=session, quarter=quarter, today=today),
                pipeline=kept_figures.pipeline_by_state(session=session, quarter=quarter, today=today),
                moves=moves, revisions=revisions)


def _counted_parts(session: Session, quarter: hours.Quarter, today: date) -> dict:
    return dict(breakdowns={by: reporting.breakdown(session=session, quarter=quarter, by=by, today=today)
                            for by in reporting.GROUPINGS},
                pipeline=reporting.pipeline_by_state(session=session, quarter=quarter, today=today),
                moves=reporting.moves_by_target(session=session, quarter=quarter),
                revisions=reporting.revisions_during(session=session, quarter=quarter))


def _restated(session: Session, closings: dict, zone: str) -> list[Restated]:
    by_id = {closing.id: quarter for quarter, closing in closings.items()}
    changes: dict[int, list[Change]] = {}
    for closing_id, restatement, title in closed_quarters.restatements(session=session, closing_ids=list(by_id)):
        changes.setdefault(closing_id, []).append(Change(
            restatement.at, hours.today_in(zone, restatement.at), restatement.nomination_id, title,
            restatement.change, closed_quarters.loads(restatement.difference)))
    found = [Restated(by_id[closing_id], decode(closings[by_id[closing_id]]).figures, listed)
             for closing_id, listed in changes.items()]
    return sorted((restated for restated in found if restated.differing()), key=lambda r: r.quarter)


def rows(*, session: Session, report: QuarterReport, sheet: str):
    """A sheet's rows (SHEETS), with keys(): from the database now, or as stored when the quarter was closed."""
    if report.closed:
        return closed_quarters.StoredRows(session, report.closed.closing_id, sheet, report.sheet_keys[sheet])
    quarter, today = report.quarter, report.today
    return {"retired": lambda: report_rows.retired_rows(session=session, quarter=quarter, today=today),
            "pipeline": lambda: report_rows.pipeline_rows(session=session, quarter=quarter, today=today),
            "soon": lambda: report_rows.retiring_soon_rows(session=session, quarter=quarter),
            "decisions": lambda: report_rows.decision_rows(session=session, quarter=quarter)}[sheet]()


def encode(report: QuarterReport, keys: dict[str, list[str]], closed_by: str) -> str:
    """The report as stored when its quarter is closed, with the column keys of its sheets' stored rows."""
    return closed_quarters.dumps({
        "closed_by": closed_by, "today": report.today, "assumed": asdict(report.assumed),
        "history": [[q.key, asdict(f)] for q, f in report.history],
        "breakdowns": {by: [[g.label, asdict(g.figures)] for g in groups] for by, groups in report.breakdowns.items()},
        "pipeline": [asdict(p) for p in report.pipeline], "wins": [asdict(w) for w in report.wins],
        "moves": {state.value: count for state, count in report.moves.items()}, "revisions": report.revisions,
        "keys": keys,
        "closed": sorted({q.key for q in report.closed_quarters} | {report.quarter.key}), "version": report.version})


def decode(closing) -> QuarterReport:
    stored = closed_quarters.loads(closing.report)
    assumed = Assumed(**stored["assumed"])
    start = assumed.fiscal_year_start_month
    history = [(hours.Quarter.parse(key, start), Figures(**figures)) for key, figures in stored["history"]]
    return QuarterReport(
        quarter=hours.Quarter.parse(closing.quarter, start), today=stored["today"], assumed=assumed, history=history,
        breakdowns={by: [Group(label, Figures(**figures)) for label, figures in groups]
                    for by, groups in stored["breakdowns"].items()},
        pipeline=[PipelineState(**{**p, "state": State(p["state"])}) for p in stored["pipeline"]],
        wins=[executive.LargestWin(**w) for w in stored["wins"]],
        moves={State(state): count for state, count in stored["moves"].items()}, revisions=stored["revisions"],
        closed=Closed(closing.id, closing.closed_at, stored["closed_by"]), sheet_keys=stored["keys"],
        closed_quarters=frozenset(hours.Quarter.parse(key, start) for key in stored["closed"]),
        version=stored["version"])

"""What a restatement is: a closed quarter whose figures changes written since have altered, each change with the
figures it moved and by how much; and how each figure is named and told apart."""

from dataclasses import dataclass, fields, replace
from datetime import date, datetime

from .. import hours
from .reporting import Figures

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

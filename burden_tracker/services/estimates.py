"""An estimate's figures under the program's settings: the one sum behind every "hours a year" shown."""

from dataclasses import dataclass

from sqlmodel import Session

from .. import hours
from .reference import get_settings


@dataclass(frozen=True)
class EstimateFigures:
    minutes: float
    per_week: float
    clinicians: int
    minutes_per_clinician_week: float
    weekly_hours: float
    working_weeks: float
    annual_hours: float
    fte_hours_per_year: float
    fte: float


def estimate_figures(*, session: Session, minutes: float, per_week: float, clinicians: int) -> EstimateFigures:
    settings = get_settings(session=session)
    weekly = hours.weekly_hours(minutes, per_week, clinicians)
    annual = hours.annual_hours(weekly, settings.working_weeks_per_year)
    return EstimateFigures(
        minutes=minutes, per_week=per_week, clinicians=clinicians,
        minutes_per_clinician_week=hours.minutes_per_clinician_week(minutes, per_week),
        weekly_hours=weekly, working_weeks=settings.working_weeks_per_year, annual_hours=annual,
        fte_hours_per_year=settings.fte_hours_per_year, fte=hours.fte(annual, settings.fte_hours_per_year),
    )

"""An estimate's figures under the program's settings: the one sum behind every "hours a year" shown,
for one nomination in Python and for many as SQL columns."""

from dataclasses import dataclass

from sqlmodel import Session

from .. import hours
from ..models import ESTIMATE_IN_FORCE
from .reference import get_settings


def estimate_columns():
    """The estimate in force as SQL: the board's once it exists, else the submitter's."""
    return ESTIMATE_IN_FORCE


def weekly_hours_column():
    return hours.weekly_hours(*estimate_columns())


def annual_hours_column(*, session: Session):
    """Each nomination's hours a year under the estimate in force, as SQL."""
    return hours.annual_hours(weekly_hours_column(), get_settings(session=session).working_weeks_per_year)


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

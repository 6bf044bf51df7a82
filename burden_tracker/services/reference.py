"""Reference data every database needs: settings, hourly rates and the starting categories."""

from sqlmodel import Session, select

from ..enums import DEFAULT_CATEGORIES, AffectedRole
from ..models import Category, HourlyRate, Settings

# Starting points in USD, roughly US mean hourly wages; each program sets its own in settings.
DEFAULT_HOURLY_RATES = {
    AffectedRole.PHYSICIAN: 130.0,
    AffectedRole.APP: 65.0,
    AffectedRole.NURSE: 47.0,
    AffectedRole.MEDICAL_ASSISTANT: 21.0,
    AffectedRole.PHARMACIST: 66.0,
    AffectedRole.OTHER: 35.0,
}


def ensure_reference_data(*, session: Session) -> None:
    """Add whatever is missing; safe to run on every start."""
    if session.get(Settings, 1) is None:
        session.add(Settings(id=1))
    known_rates = set(session.exec(select(HourlyRate.affected_role)).all())
    for role, rate in DEFAULT_HOURLY_RATES.items():
        if role not in known_rates:
            session.add(HourlyRate(affected_role=role, usd_per_hour=rate))
    if session.exec(select(Category.id).limit(1)).first() is None:
        session.add_all(Category(name=name) for name in DEFAULT_CATEGORIES)
    session.commit()


def get_settings(*, session: Session) -> Settings:
    return session.exec(_THE_SETTINGS).first() or Settings(id=1)


# Read on most pages. A statement built once costs about half of session.get's first lookup; it reads the row
# afresh each time, where session.get returned the copy already in the session.
_THE_SETTINGS = select(Settings).where(Settings.id == 1)


def hourly_rates(*, session: Session) -> dict[AffectedRole, float]:
    stored = {rate.affected_role: rate.usd_per_hour for rate in session.exec(select(HourlyRate))}
    return {**DEFAULT_HOURLY_RATES, **stored}

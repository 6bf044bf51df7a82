"""Reference data every database needs: the settings, an hourly rate per affected role and the starting categories."""

from sqlmodel import Session, select

from ..enums import DEFAULT_CATEGORIES
from ..models import Category, HourlyRate, Settings
from ..queries.reference import DEFAULT_HOURLY_RATES


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

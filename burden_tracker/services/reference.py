"""Reference data every database needs: the settings, an hourly rate per affected role, the starting categories,
and the names EHR vendors give the metrics."""

from sqlmodel import Session, select

from ..ehr_metrics import DEFAULT_VENDOR_NAMES, name_key
from ..enums import DEFAULT_CATEGORIES
from ..models import Category, HourlyRate, MetricName, Settings, Site
from ..queries.reference import DEFAULT_HOURLY_RATES

FIRST_SITE = "Main site"  # as migration 0035 names it; an admin renames it after the hospital


def ensure_reference_data(*, session: Session) -> None:
    """Add whatever is missing; safe to run on every start."""
    if session.get(Settings, 1) is None:
        session.add(Settings(id=1))
    known_rates = set(session.exec(select(HourlyRate.affected_role)).all())
    for role, rate in DEFAULT_HOURLY_RATES.items():
        if role not in known_rates:
            session.add(HourlyRate(affected_role=role, usd_per_hour=rate))
    if session.exec(select(Site.id).limit(1)).first() is None:
        session.add(Site(name=FIRST_SITE))
    if session.exec(select(Category.id).limit(1)).first() is None:
        session.add_all(Category(name=name) for name in DEFAULT_CATEGORIES)
    if session.exec(select(MetricName.name_key).limit(1)).first() is None:
        names = {name_key(name): (name, metric) for metric, names in DEFAULT_VENDOR_NAMES.items()
                 for name in (metric, *names)}
        session.add_all(MetricName(name_key=key, name=name, metric=metric) for key, (name, metric) in names.items())
    session.commit()

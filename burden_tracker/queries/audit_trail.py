"""The security trail as administrators read it on /admin/audit: filtered and paged, newest first.

Lines come from audit.py (sign-ins, refusals, rate limits, 403s, CSRF refusals) and from services/admin.py (admin
changes); services/audit_trail.py stores them and deletes those older than the retention period.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import or_
from sqlalchemy.orm import aliased
from sqlmodel import Session, select

from .. import hours
from ..enums import AuditKind
from ..models import AuditEntry, User
from ..naming import person_named
from .reference import for_lists


@dataclass(frozen=True)
class TrailFilters:
    person: str = ""  # part of an email or a name
    kind: AuditKind | None = None
    since: date | None = None  # days on the organization's clocks, both included
    until: date | None = None


@dataclass(frozen=True)
class TrailLine:
    at: datetime
    kind: AuditKind
    who: str
    email: str  # the account's, else what was typed as the email (a hash when it named no account)
    address: str | None
    method: str | None
    path: str | None
    detail: str | None


@dataclass(frozen=True)
class TrailPage:
    lines: list[TrailLine]
    page: int
    has_next: bool


def trail_page(*, session: Session, filters: TrailFilters, page: int, per_page: int = 50) -> TrailPage:
    """Newest first."""
    person = aliased(User)
    query = select(AuditEntry, person.name, person.email).outerjoin(person, person.id == AuditEntry.user_id)
    if filters.person:
        query = query.where(or_(*(column.icontains(filters.person, autoescape=True)
                                  for column in (AuditEntry.email, person.email, person.name))))
    if filters.kind:
        query = query.where(AuditEntry.kind == filters.kind)
    zone = for_lists(session=session).time_zone
    if filters.since:
        query = query.where(AuditEntry.at >= hours.midnight_starting(filters.since, zone))
    if filters.until:
        query = query.where(AuditEntry.at < hours.midnight_starting(filters.until + timedelta(days=1), zone))
    query = query.order_by(AuditEntry.at.desc(), AuditEntry.id.desc()).offset((page - 1) * per_page) \
        .limit(per_page + 1)
    rows = session.execute(query).all()
    lines = [TrailLine(entry.at, entry.kind, person_named(name, email, nobody="—"), email or entry.email or "—",
                       entry.address, entry.method, entry.path, entry.detail) for entry, name, email in rows[:per_page]]
    return TrailPage(lines, page, has_next=len(rows) > per_page)

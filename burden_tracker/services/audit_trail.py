"""The security trail stored: lines written in one go, and deleted once older than the retention period in the
settings, at most once an hour per process. Administrators read it through queries/audit_trail.py."""

from datetime import datetime, timedelta

from sqlalchemy import delete, insert
from sqlmodel import Session

from ..models import AuditEntry, utc_now
from ..queries.reference import get_settings
from .sweeping import NowAndThen

_sweep = NowAndThen(3600)


def store_entries(*, session: Session, entries: list[dict]) -> None:
    session.execute(insert(AuditEntry), entries)
    if _sweep.due():
        purge(session=session)
    session.commit()


def purge(*, session: Session, now: datetime | None = None) -> int:
    """Deletes the lines older than the retention period; returns how many."""
    keep_days = get_settings(session=session).audit_retention_days
    cutoff = (now or utc_now()) - timedelta(days=keep_days)
    return session.execute(delete(AuditEntry).where(AuditEntry.at < cutoff)).rowcount

"""A key's standing as the database keeps it, for servers without Redis (services/sign_in_guard.py writes it)."""

from sqlalchemy import select
from sqlmodel import Session

from ..models import FailureTally
from ..waits import Standing

STANDING = (FailureTally.recent, FailureTally.held_until, FailureTally.wait_seconds, FailureTally.forget_at)


def standings(*, session: Session, keys: list[str], now: float) -> dict[str, Standing]:
    """Only reads: the caller's transaction stays as it was."""
    rows = session.execute(select(FailureTally.key, *STANDING).where(FailureTally.key.in_(keys)))
    found = {row.key: standing_of(row).as_of(now) for row in rows}
    return {key: found.get(key, Standing()) for key in keys}


def standing_of(row) -> Standing:
    recent = tuple(float(at) for at in row.recent.split())
    held_until = row.held_until.timestamp() if row.held_until else 0.0
    return Standing(recent, held_until, float(row.wait_seconds), row.forget_at.timestamp())

"""A person's notices: the latest, and how many are unread."""

from sqlalchemy import bindparam, func
from sqlmodel import Session, select

from ..models import Notification


def unread_count(*, session: Session, user_id: int) -> int:
    return session.connection().execute(select(unread_column(bindparam("user_id"))), {"user_id": user_id}).scalar_one()


def unread_column(user_id):
    """How many notices the user has not read, as SQL. Every page shows it, so the sign-in check reads it
    in the same query (services/auth.py)."""
    return select(func.count()).select_from(Notification).where(
        Notification.user_id == user_id, Notification.read_at.is_(None)).scalar_subquery()


def recent_notices(*, session: Session, user_id: int, limit: int = 100) -> list[Notification]:
    query = (select(Notification).where(Notification.user_id == user_id)
             .order_by(Notification.created_at.desc(), Notification.id.desc()).limit(limit))
    return list(session.exec(query))

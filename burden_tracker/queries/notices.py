"""A person's notices: the latest, and how many are unread; who follows a nomination (its submitter and supporters
unless they stopped, and anyone who chose to); and the notices not yet emailed."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import bindparam, func
from sqlmodel import Session, select

from ..enums import NoticeEmail
from ..models import Event, EventNote, Follow, Nomination, Notification, Supporter, User


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


def people_following(*, session: Session, nomination: Nomination) -> set[int]:
    """Its submitter and supporters, unless they stopped, and everyone else who chose to follow it (models.Follow)."""
    supporters = session.exec(select(Supporter.user_id).where(Supporter.nomination_id == nomination.id))
    following = set(supporters.all())
    if nomination.submitter_id is not None:
        following.add(nomination.submitter_id)
    for user_id, follows in session.execute(select(Follow.user_id, Follow.following)
                                            .where(Follow.nomination_id == nomination.id)):
        (following.add if follows else following.discard)(user_id)
    return following


def is_following(*, session: Session, nomination: Nomination, user_id: int) -> bool:
    return user_id in people_following(session=session, nomination=nomination)


@dataclass(frozen=True)
class PendingNotice:
    id: int
    email: str
    message: str
    nomination_id: int | None
    note: str | None


def pending_notices(*, session: Session, limit: int) -> list[PendingNotice]:
    query = (select(Notification.id, User.email, Notification.message, Notification.nomination_id, EventNote.body)
             .join(User, User.id == Notification.user_id)
             .outerjoin(Event, Event.id == Notification.event_id)
             .outerjoin(EventNote, EventNote.id == Event.note_id)
             .where(Notification.emailed_at.is_(None), User.notice_email == NoticeEmail.AT_ONCE)
             .order_by(Notification.id).limit(limit))
    return [PendingNotice(*row) for row in session.exec(query)]


@dataclass(frozen=True)
class DigestLine:
    id: int
    message: str
    nomination_id: int | None
    created_at: datetime
    read: bool  # read in the app already: counted, not listed


def digest_notices(*, session: Session, choice: NoticeEmail) -> dict[str, list[DigestLine]]:
    """{email: their notices not yet emailed, oldest first} for the people who asked for this digest."""
    query = (select(User.email, Notification.id, Notification.message, Notification.nomination_id,
                    Notification.created_at, Notification.read_at.is_not(None))
             .join(User, User.id == Notification.user_id)
             .where(Notification.emailed_at.is_(None), User.notice_email == choice, User.active.is_(True))
             .order_by(User.email, Notification.id))
    found: dict[str, list[DigestLine]] = {}
    for email, *line in session.exec(query):
        found.setdefault(email, []).append(DigestLine(*line))
    return found

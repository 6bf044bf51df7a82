"""Telling submitters and supporters what happened to what they nominated or supported. People read their
notices through queries/notices.py."""

from sqlalchemy import insert, update
from sqlmodel import Session

from ..models import Event, Nomination, Notification, utc_now
from ..queries.notices import people_following


def notify(*, session: Session, recipients: set[int], nomination: Nomination, event: Event | None,
           message: str) -> None:
    """Adds one notice per recipient; the caller commits."""
    if recipients:
        session.execute(
            insert(Notification),
            [
                {"user_id": user_id, "nomination_id": nomination.id, "event_id": event and event.id,
                 "message": message}
                for user_id in sorted(recipients)
            ],
        )


def notify_followers(*, session: Session, nomination: Nomination, event: Event | None, message: str,
                     actor_id: int | None) -> None:
    recipients = people_following(session=session, nomination=nomination) - {actor_id}
    notify(session=session, recipients=recipients, nomination=nomination, event=event, message=message)


def mark_all_read(*, session: Session, user_id: int, up_to_id: int | None = None) -> int:
    """Marks the person's unread notices read; with up_to_id, only those they could have seen
    (a notice that arrived after the page was shown stays unread). Returns how many."""
    query = update(Notification).where(Notification.user_id == user_id, Notification.read_at.is_(None))
    if up_to_id is not None:
        query = query.where(Notification.id <= up_to_id)
    marked = session.exec(query.values(read_at=utc_now())).rowcount
    session.commit()
    return marked

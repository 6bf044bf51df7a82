"""Telling the people who follow a nomination what happened to it, following and stopping, and reading notices.
People read their notices through queries/notices.py."""

from sqlalchemy import delete, insert, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from ..enums import NoticeEmail
from ..models import Event, Follow, Nomination, Notification, User, utc_now
from ..queries.nominations import get_nomination


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


def tell_new_owner(*, session: Session, nomination: Nomination) -> None:
    """Tells a board member made owner of a nomination (by an evaluation or from the queue); the caller commits."""
    notify(session=session, recipients={nomination.owner_id}, nomination=nomination, event=None,
           message=f"You are now the owner of “{nomination.title}”: its evaluation is yours to lead.")


def follow(*, session: Session, nomination_id: int, user: User, following: bool) -> None:
    """Starts or stops following, whether or not the person submitted or supports it; the latest choice stands."""
    get_nomination(session=session, nomination_id=nomination_id)  # NotFound for no such nomination
    session.execute(delete(Follow).where(Follow.nomination_id == nomination_id, Follow.user_id == user.id))
    session.add(Follow(nomination_id=nomination_id, user_id=user.id, following=following))
    try:
        session.commit()
    except IntegrityError:  # the same person's other click, a moment earlier, made the row: theirs stands
        session.rollback()


def set_notice_email(*, session: Session, user_id: int, choice: NoticeEmail) -> None:
    """From now on: the notices not yet emailed are left out of what the new choice sends, lest a switch from
    none to at once send months of them. Saving the same choice again changes nothing, a digest's gathering
    included."""
    if session.get(User, user_id).notice_email == choice:
        return
    session.execute(update(User).where(User.id == user_id).values(notice_email=choice))
    session.execute(update(Notification).where(Notification.user_id == user_id, Notification.emailed_at.is_(None))
                    .values(emailed_at=utc_now()))
    session.commit()


def mark_read_about(*, session: Session, user_id: int, nomination_id: int) -> int:
    """Opening a nomination reads the person's notices about it. Returns how many."""
    query = update(Notification).where(Notification.user_id == user_id, Notification.nomination_id == nomination_id,
                                       Notification.read_at.is_(None))
    marked = session.exec(query.values(read_at=utc_now())).rowcount
    session.commit()
    return marked


def mark_all_read(*, session: Session, user_id: int, up_to_id: int | None = None) -> int:
    """Marks the person's unread notices read; with up_to_id, only those they could have seen
    (a notice that arrived after the page was shown stays unread). Returns how many."""
    query = update(Notification).where(Notification.user_id == user_id, Notification.read_at.is_(None))
    if up_to_id is not None:
        query = query.where(Notification.id <= up_to_id)
    marked = session.exec(query.values(read_at=utc_now())).rowcount
    session.commit()
    return marked

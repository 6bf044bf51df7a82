"""Telling submitters and supporters what happened to what they nominated or supported."""

from sqlalchemy import insert
from sqlmodel import Session, select

from ..models import Event, Nomination, Notification, Supporter


def people_following(*, session: Session, nomination: Nomination) -> set[int]:
    supporters = session.exec(select(Supporter.user_id).where(Supporter.nomination_id == nomination.id))
    following = set(supporters.all())
    if nomination.submitter_id is not None:
        following.add(nomination.submitter_id)
    return following


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

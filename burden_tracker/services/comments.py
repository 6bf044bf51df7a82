"""A comment after it was written: its author may edit it for EDIT_MINUTES (it is then marked edited), and a board
member may hide it, with a reason that its author is told and still sees beside it.

Hiding records an event naming the board member, "Hid a comment.", in the history everyone reads; the reason stays
between the board and the author, since it may say what the comment should not have said. A redacted comment
(services/redaction.py) is the board's other tool: it removes the words for everyone, its author too.
"""

from datetime import datetime, timedelta

from sqlalchemy import update
from sqlmodel import Session

from .. import hours
from ..enums import Actor, EventKind
from ..errors import DomainError, NotFound
from ..models import REDACTED, Comment, Event, User, event_note, utc_now
from ..queries.deciders import check_decides
from ..queries.nominations import get_nomination
from ..queries.people import mentioned_in
from ..workflow import COMMENT_EDIT_MINUTES as EDIT_MINUTES
from .nominations import checked_comment, tell_mentioned
from .notices import notify

MAX_REASON = 1000


def edit_comment(*, session: Session, nomination_id: int, comment_id: int, author: User, body: str,
                 now: datetime | None = None) -> Comment:
    comment = _comment(session, nomination_id, comment_id)
    if comment.author_id != author.id:
        raise DomainError("Only the person who wrote a comment can edit it.")
    if comment.hidden_at is not None or comment.body == REDACTED:
        raise DomainError("The board has hidden or redacted this comment, so it can no longer be edited.")
    now = now or utc_now()
    if now - written_at(comment) > timedelta(minutes=EDIT_MINUTES):
        raise DomainError(f"A comment can be edited for {EDIT_MINUTES} minutes after it is written. "
                          "Add another comment instead.", fields={"body": "can no longer be edited"})
    before = mentioned_in(session=session, text=comment.body)
    comment.body, comment.edited_at = checked_comment(body), now
    tell_mentioned(session=session, nomination=get_nomination(session=session, nomination_id=nomination_id),
                   comment=comment, author=author, text=comment.body, already=before)
    session.commit()
    return comment


def hide_comment(*, session: Session, nomination_id: int, comment_id: int, actor: User, reason: str) -> Comment:
    check_decides(session=session, user=actor, nomination_id=nomination_id,
                  refusal="Only board members can hide a comment.")
    comment = _comment(session, nomination_id, comment_id)
    reason = (reason or "").strip()
    if not reason or len(reason) > MAX_REASON:
        raise DomainError("Say why, in a sentence its author will read.",
                          fields={"reason": "is required" if not reason else f"is longer than {MAX_REASON:,}"})
    nomination = get_nomination(session=session, nomination_id=nomination_id)
    hidden = session.execute(update(Comment).where(Comment.id == comment_id, Comment.hidden_at.is_(None))
                             .values(hidden_at=utc_now(), hidden_reason=reason)).rowcount
    if not hidden:  # hidden already, perhaps by another board member a moment ago: one event, one notice
        session.rollback()
        raise DomainError("That comment is hidden already.")
    event = Event(nomination_id=nomination_id, actor_id=actor.id, acted_as=Actor.BOARD, kind=EventKind.COMMENT_HIDDEN,
                  note=event_note("Hid a comment."))
    session.add(event)
    session.flush()
    notify(session=session, recipients={comment.author_id} - {actor.id}, nomination=nomination, event=None,
           message=f"The board hid your comment on “{nomination.title}”: {reason}")
    session.commit()
    return comment


def written_at(comment: Comment) -> datetime:
    return hours.on_clocks_of(comment.created_at, "UTC")  # SQLite gives it back without its zone


def _comment(session: Session, nomination_id: int, comment_id: int) -> Comment:
    comment = session.get(Comment, comment_id)
    if comment is None or comment.nomination_id != nomination_id:
        raise NotFound("There is no such comment.")
    return comment

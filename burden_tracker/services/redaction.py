"""The board redacts a stored text that should never have been typed, such as a patient's details.

The text is replaced by REDACTED where it is kept (the nomination, its comments, the board's notes, its events'
notes) and wherever it was quoted (the notes and notices of the nomination, and of the one it was merged into).
One event records who redacted which text and when, never what was removed. Pages, exports and emails read the
stored texts, so the redacted words leave all of them at once. This is the one recorded exception to "a closed
quarter never changes".
"""

from sqlmodel import Session, select

from ..enums import Actor, EventKind
from ..errors import DomainError
from ..models import REDACTED, BoardNote, Comment, Event, EventNote, Nomination, Notification, User, event_note, utc_now
from ..queries.deciders import check_decides
from ..queries.nominations import get_nomination
from ..queries.redaction import FIELDS, redactable_texts
from .closing import scrub


def redact(*, session: Session, nomination_id: int, key: str, actor: User) -> str:
    """Redacts one text and returns what it was ("the description"); refuses a text that is not there."""
    nomination = get_nomination(session=session, nomination_id=nomination_id)
    check_decides(session=session, user=actor, nomination_id=nomination_id,
                  refusal="Only board members can redact a text.")
    chosen = next((text for text in redactable_texts(session=session, nomination=nomination) if text.key == key),
                  None)
    if chosen is None:
        raise DomainError("That text is not there, or was already redacted. Reload the page.",
                          fields={"text": "Choose a text from the list."})
    removed = _replace(session, nomination, key, actor)
    _scrub_copies(session, nomination, removed, actor)
    session.add(Event(nomination_id=nomination.id, actor_id=actor.id, acted_as=Actor.BOARD, kind=EventKind.REDACTED,
                      note=event_note(f"Redacted {chosen.what}.")))
    session.commit()
    return chosen.what


def _replace(session: Session, nomination: Nomination, key: str, actor: User) -> str:
    """Puts REDACTED in place of the chosen text and returns the text it replaced."""
    if key in FIELDS:
        removed = getattr(nomination, key)
        setattr(nomination, key, REDACTED)
        session.add(nomination)
        return removed
    prefix, _, row_id = key.rpartition("-")
    row = session.get({"comment": Comment, "board-note": BoardNote, "note": EventNote}[prefix], int(row_id))
    removed = row.body
    if isinstance(row, EventNote):
        _redact_note(row, removed, actor)
    else:
        row.body = REDACTED
    session.add(row)
    return removed


def _scrub_copies(session: Session, nomination: Nomination, removed: str, actor: User) -> None:
    """The copies of the text: any of the nomination's fields with the same words (a decision's note is kept on
    the nomination and on its event), and the notes and notices of the nomination, or of the one it was merged
    into, that hold it or quote it (“like this”, as notices quote a title)."""
    for name in FIELDS:
        if getattr(nomination, name) == removed:
            setattr(nomination, name, REDACTED)
    nominations = {nomination.id, nomination.duplicate_of_id} - {None}
    quoted = f"“{removed}”"
    notes = session.exec(select(EventNote).join(Event, Event.note_id == EventNote.id).where(
        Event.nomination_id.in_(nominations),
        (EventNote.body == removed) | EventNote.body.contains(quoted, autoescape=True)))
    for note in notes:
        _redact_note(note, removed, actor)
        session.add(note)
    notices = session.exec(select(Notification).where(
        Notification.nomination_id.in_(nominations), Notification.message.contains(quoted, autoescape=True)))
    for notice in notices:
        notice.message = notice.message.replace(quoted, f"“{REDACTED}”")
        session.add(notice)
    scrub(session, nominations, removed, REDACTED)


def _redact_note(note: EventNote, removed: str, actor: User) -> None:
    note.body = REDACTED if note.body == removed else note.body.replace(f"“{removed}”", f"“{REDACTED}”")
    note.redacted_at, note.redacted_by_id = utc_now(), actor.id

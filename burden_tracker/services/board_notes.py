"""Adding to the board's private notes on a nomination: board members only. They are read in
queries/board_notes.py; staff never see them, unlike the evaluation note, which the submitter does see."""

from sqlmodel import Session

from ..errors import DomainError
from ..models import BoardNote, User
from ..queries.board_notes import board_only
from ..queries.nominations import get_nomination

MAX_NOTE = 5000


def add_note(*, session: Session, nomination_id: int, author: User, body: str | None) -> BoardNote:
    get_nomination(session=session, nomination_id=nomination_id)
    board_only(session, author, nomination_id)
    body = (body or "").strip()
    if not body:
        raise DomainError("Write a note first.", fields={"body": "Write a note first."})
    if len(body) > MAX_NOTE:
        raise DomainError("That note is too long.", fields={"body": f"A note can be at most {MAX_NOTE:,} characters."})
    note = BoardNote(nomination_id=nomination_id, author_id=author.id, body=body)
    session.add(note)
    session.commit()
    return note

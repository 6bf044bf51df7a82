"""The board's private notes on a nomination. Only board members add or read them: staff never see them,
unlike the evaluation note, which the submitter does see."""

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, select

from ..enums import Actor, Role
from ..errors import DomainError
from ..models import BoardNote, User
from ..naming import person_named
from .nominations import get_nomination

MAX_NOTE = 5000


@dataclass(frozen=True)
class NoteEntry:
    at: datetime
    who: str
    text: str


def add_note(*, session: Session, nomination_id: int, author: User, body: str | None) -> BoardNote:
    _board_only(author)
    get_nomination(session=session, nomination_id=nomination_id)
    body = (body or "").strip()
    if not body:
        raise DomainError("Write a note first.", fields={"body": "Write a note first."})
    if len(body) > MAX_NOTE:
        raise DomainError("That note is too long.", fields={"body": f"A note can be at most {MAX_NOTE:,} characters."})
    note = BoardNote(nomination_id=nomination_id, author_id=author.id, body=body)
    session.add(note)
    session.commit()
    return note


def notes_for(*, session: Session, nomination_id: int, viewer: User) -> list[NoteEntry]:
    """Oldest first, each with its author's name."""
    _board_only(viewer)
    rows = session.exec(
        select(BoardNote, User)
        .join(User, User.id == BoardNote.author_id)
        .where(BoardNote.nomination_id == nomination_id)
        .order_by(BoardNote.created_at, BoardNote.id)
    )
    return [NoteEntry(note.created_at, person_named(user.name, user.email, acted_as=Actor.BOARD), note.body)
            for note, user in rows]


def _board_only(user: User) -> None:
    if not user.has_role(Role.BOARD):
        raise DomainError("Board notes are for board members only.")

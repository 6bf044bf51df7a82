"""The board's private notes on a nomination, as board members read them: staff never see them, unlike the
evaluation note, which the submitter does see."""

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, select

from ..enums import Actor
from ..models import BoardNote, User
from ..naming import person_named
from .deciders import check_decides


@dataclass(frozen=True)
class NoteEntry:
    at: datetime
    who: str
    text: str


def notes_for(*, session: Session, nomination_id: int, viewer: User) -> list[NoteEntry]:
    """Oldest first, each with its author's name."""
    board_only(session, viewer, nomination_id)
    rows = session.exec(
        select(BoardNote, User)
        .join(User, User.id == BoardNote.author_id)
        .where(BoardNote.nomination_id == nomination_id)
        .order_by(BoardNote.created_at, BoardNote.id)
    )
    return [NoteEntry(note.created_at, person_named(user.name, user.email, acted_as=Actor.BOARD), note.body)
            for note, user in rows]


def board_only(session: Session, user: User, nomination_id: int) -> None:
    """Only the board members who decide for the nomination's site add or read the notes."""
    check_decides(session=session, user=user, nomination_id=nomination_id,
                  refusal="Board notes are for board members only.")

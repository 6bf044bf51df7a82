"""The files on a nomination that a person may see: those the board has released, and until then only its
uploader's own and, for the board members who decide for its site, all of them (services/attachments.py says why)."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import or_, select, true
from sqlmodel import Session

from ..enums import Actor
from ..errors import NotFound
from ..models import Attachment, User
from .deciders import decides

IMAGE_TYPES = frozenset({"image/png", "image/jpeg"})


@dataclass(frozen=True)
class AttachmentEntry:
    id: int
    file_name: str
    size: int
    is_image: bool
    added_by: str
    at: datetime
    released: bool
    removable: bool  # by this viewer: its uploader, or the board


def _seen_by(viewer: User, board: bool):
    if board:
        return true()
    return or_(Attachment.released_at.is_not(None), Attachment.uploader_id == viewer.id)


def attachments_seen(*, session: Session, nomination_id: int, viewer: User,
                     named: Callable[[int, Actor | None], str]) -> list[AttachmentEntry]:
    """In the order they were added; named(user_id, acted_as) names the uploader by the one rule."""
    board = decides(session=session, user=viewer, nomination_id=nomination_id)
    query = (select(Attachment).where(Attachment.nomination_id == nomination_id, _seen_by(viewer, board))
             .order_by(Attachment.created_at, Attachment.id))
    return [AttachmentEntry(a.id, a.file_name, a.size, a.media_type in IMAGE_TYPES, named(a.uploader_id, a.acted_as),
                            a.created_at, a.released_at is not None, board or a.uploader_id == viewer.id)
            for a in session.scalars(query)]


def attachment_for(*, session: Session, nomination_id: int, attachment_id: int, viewer: User) -> Attachment:
    """One file this person may open; NotFound alike for no such file and for one they may not see yet."""
    attachment = session.scalar(select(Attachment).where(
        Attachment.id == attachment_id, Attachment.nomination_id == nomination_id,
        _seen_by(viewer, decides(session=session, user=viewer, nomination_id=nomination_id))))
    if attachment is None:
        raise NotFound("There is no such file.")
    return attachment

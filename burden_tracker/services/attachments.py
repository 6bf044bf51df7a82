"""Screenshots and PDFs on a nomination: adding one, the board releasing it to everyone, and taking one away.

An EHR screenshot often shows a patient's banner, so a new file is seen only by the person who added it and by the
board until a board member has looked and released it. Whoever added a file, and any board member, may remove it:
its row and, once no nomination holds the same bytes, the kept file go; the history keeps that a file was removed,
never its name. Followers are told of a file when they can see it: the board's at once, everyone else's at release.
"""

from pathlib import Path

from sqlalchemy import func, select, update
from sqlmodel import Session

from .. import workflow
from ..enums import Actor, EventKind
from ..errors import DomainError, NotFound
from ..models import Attachment, Event, Nomination, User, event_note, utc_now
from ..queries.attachments import attachment_for
from ..queries.deciders import check_decides, deciders_among, decides
from ..queries.nominations import get_nomination
from ..queries.notices import people_following
from . import attachment_files
from .notices import notify


def attach(*, session: Session, folder: Path, nomination_id: int, uploader: User, stream, file_name: str | None,
           max_bytes: int) -> Attachment:
    """Checks the file (attachment_files.checked_file), keeps it, and records it; a refusal keeps nothing."""
    nomination = get_nomination(session=session, nomination_id=nomination_id)
    if not workflow.takes_files(nomination.state):
        raise DomainError(f"Files are added while a nomination is open; this one is {nomination.state.value}.")
    if _count(session, nomination_id) >= workflow.FILES_PER_NOMINATION:
        raise DomainError(f"A nomination holds up to {workflow.FILES_PER_NOMINATION} files. Remove one first.")
    checked = attachment_files.checked_file(stream, file_name, max_bytes=max_bytes)
    digest = attachment_files.keep(folder, checked.data)
    acted_as = workflow.commenting_as(is_submitter=uploader.id == nomination.submitter_id)
    attachment = Attachment(nomination_id=nomination_id, uploader_id=uploader.id, acted_as=acted_as,
                            file_name=checked.file_name, media_type=checked.kind.media_type, size=len(checked.data),
                            sha256=digest)
    session.add(attachment)
    _record(session, nomination, uploader, acted_as, EventKind.FILE_ADDED, "Added a file.")
    following = people_following(session=session, nomination=nomination)
    board = deciders_among(session=session, people=following, nomination_id=nomination.id) - {uploader.id}
    notify(session=session, recipients=board, nomination=nomination, event=None,
           message=f"A new file on “{nomination.title}” waits for the board to release it.")
    try:
        session.commit()
    except Exception:
        session.rollback()
        _discard_unless_held(session, folder, digest)
        raise
    return attachment


def release(*, session: Session, nomination_id: int, attachment_id: int, actor: User) -> None:
    """Everyone signed in may see it from now on; the followers who could not are told."""
    check_decides(session=session, user=actor, nomination_id=nomination_id,
                  refusal="Only board members can release a file.")
    attachment = _attachment(session, nomination_id, attachment_id)
    nomination = get_nomination(session=session, nomination_id=nomination_id)
    released = session.execute(update(Attachment).where(Attachment.id == attachment.id,
                                                        Attachment.released_at.is_(None))
                               .values(released_at=utc_now(), released_by_id=actor.id)).rowcount
    if not released:  # another board member's click a moment ago: one event, one round of notices
        session.rollback()
        raise DomainError("That file is released already.")
    _record(session, nomination, actor, Actor.BOARD, EventKind.FILE_RELEASED, "Released a file to everyone.")
    following = people_following(session=session, nomination=nomination)
    told = following - deciders_among(session=session, people=following, nomination_id=nomination.id) \
        - {actor.id, attachment.uploader_id}
    notify(session=session, recipients=told,
           nomination=nomination, event=None, message=f"A new file on “{nomination.title}”.")
    session.commit()


def remove(*, session: Session, folder: Path, nomination_id: int, attachment_id: int, actor: User) -> None:
    """Its uploader's or the board's: the row goes, and the kept bytes once nothing else holds them."""
    attachment = attachment_for(session=session, nomination_id=nomination_id, attachment_id=attachment_id,
                                viewer=actor)
    if actor.id != attachment.uploader_id and not decides(session=session, user=actor, nomination_id=nomination_id):
        raise DomainError("Only the person who added a file, or the board, can remove it.")
    nomination = get_nomination(session=session, nomination_id=nomination_id)
    own = actor.id == attachment.uploader_id
    acted_as = attachment.acted_as if own else Actor.BOARD
    uploader, digest = attachment.uploader_id, attachment.sha256
    session.delete(attachment)
    _record(session, nomination, actor, acted_as, EventKind.FILE_REMOVED, "Removed a file.")
    if not own:
        notify(session=session, recipients={uploader}, nomination=nomination, event=None,
               message=f"The board removed a file you added to “{nomination.title}”.")
    session.commit()
    _discard_unless_held(session, folder, digest)


def _record(session: Session, nomination: Nomination, actor: User, acted_as: Actor | None, kind: EventKind,
            text: str) -> None:
    session.add(Event(nomination_id=nomination.id, actor_id=actor.id, acted_as=acted_as, kind=kind,
                      note=event_note(text)))


def _count(session: Session, nomination_id: int) -> int:
    return session.scalar(select(func.count()).where(Attachment.nomination_id == nomination_id))


def _attachment(session: Session, nomination_id: int, attachment_id: int) -> Attachment:
    attachment = session.get(Attachment, attachment_id)
    if attachment is None or attachment.nomination_id != nomination_id:
        raise NotFound("There is no such file.")
    return attachment


def _discard_unless_held(session: Session, folder: Path, digest: str) -> None:
    """The kept bytes go once no row names them. Two nominations may hold the same screenshot; the rare race with
    someone adding the same bytes at this moment leaves their row without a file, which is then served as 404."""
    if not session.scalar(select(func.count()).where(Attachment.sha256 == digest)):
        attachment_files.discard(folder, digest)

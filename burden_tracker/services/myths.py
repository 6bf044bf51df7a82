"""The regulatory-myth library: the entries shipped in data/, an admin's drafts and their publishing, and the
nominations the board finds resting on one. Pages read it through queries/myths.py.

An entry is seen by everyone once published. An admin's new entry is a draft until an admin publishes it; an edit
of a published entry is a draft of its own (draft_of_id) while the published words stay, and publishing it puts
the new words in the published entry's place, so the nominations citing it keep citing it.
"""

import json
from datetime import date
from pathlib import Path

from pydantic import ValidationError
from sqlalchemy import delete, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError
from sqlmodel import Session

from ..errors import DomainError, MoveRefused, NotFound
from ..models import Myth, MythCited, Nomination, utc_now
from ..queries.myths import draft_of
from ..schemas import MythIn, field_errors, without_nul
from .admin import record_admin_change

LIBRARY = Path(__file__).resolve().parents[2] / "data" / "regulatory_myths.json"
_WORDS = ("belief", "actually", "citation", "source_url", "source_date", "keywords")


def add_library(*, session: Session, path: Path = LIBRARY) -> int:
    """Adds each shipped entry not yet added (by its key), published; an entry an admin has since edited keeps their
    words. Returns how many were added."""
    entries = json.loads(path.read_text(encoding="utf-8"))["entries"]
    known = set(session.scalars(select(Myth.key).where(Myth.key.is_not(None))))
    new = [entry for entry in entries if entry["key"] not in known]
    for entry in new:
        values = MythIn.model_validate(entry)
        session.add(Myth(key=entry["key"], **values.model_dump(), reviewed_on=date.fromisoformat(entry["reviewed_on"]),
                         published=True))
    session.commit()
    return len(new)


def save_draft(*, session: Session, actor_id: int, values: dict, myth_id: int | None = None,
               today: date) -> Myth:
    """A new entry, or the draft of an edit, as the admin wrote it; nothing is saved when anything is wrong."""
    try:
        checked = MythIn.model_validate({key: without_nul(values.get(key)) for key in _WORDS})
    except ValidationError as error:
        raise DomainError("The entry was not saved.", fields=field_errors(error)) from None
    draft = _draft_for(session, myth_id)
    for key, value in checked.model_dump().items():
        setattr(draft, key, value.strip() if isinstance(value, str) else value)
    draft.reviewed_on, draft.reviewed_by_id, draft.updated_at = today, actor_id, utc_now()
    session.add(draft)
    try:
        session.flush()
        record_admin_change(session, actor_id, f"Regulatory myth #{draft.draft_of_id or draft.id}: draft saved")
        session.commit()
    except (IntegrityError, StaleDataError):  # another admin's edit, publishing or discarding, a moment ago
        session.rollback()
        raise DomainError("Another admin changed this entry a moment ago: open it again and redo the edit.") from None
    return draft


def _draft_for(session: Session, myth_id: int | None) -> Myth:
    """What an edit writes into: a new entry, the entry itself while a draft, or a published entry's one draft."""
    if myth_id is None:
        return Myth(belief="", actually="", citation="", source_url="", reviewed_on=date.today())
    myth = _myth(session, myth_id)
    if not myth.published:
        return myth
    return draft_of(session=session, myth_id=myth.id) or Myth(
        draft_of_id=myth.id, key=None, belief="", actually="", citation="", source_url="", reviewed_on=date.today())


def publish(*, session: Session, actor_id: int, myth_id: int) -> Myth:
    """Publishes a draft: a new entry becomes visible, or an edit's words replace its entry's. Returns the published
    entry."""
    draft = _myth(session, myth_id)
    if draft.published:
        raise DomainError("This entry is already published.")
    entry = session.get(Myth, draft.draft_of_id) if draft.draft_of_id else draft
    if entry is not draft:
        for key in (*_WORDS, "reviewed_on", "reviewed_by_id"):
            setattr(entry, key, getattr(draft, key))
        session.delete(draft)
    entry.published, entry.updated_at = True, utc_now()
    record_admin_change(session, actor_id, f"Regulatory myth #{entry.id}: published")
    session.commit()
    return entry


def discard(*, session: Session, actor_id: int, myth_id: int) -> int | None:
    """Throws a draft away; returns the published entry it was an edit of, if any."""
    draft = _myth(session, myth_id)
    if draft.published:
        raise DomainError("A published entry is not thrown away; edit it instead.")
    edited = draft.draft_of_id
    session.delete(draft)
    record_admin_change(session, actor_id, f"Regulatory myth #{edited or myth_id}: draft thrown away")
    session.commit()
    return edited


def cite(session: Session, nomination: Nomination, fields: dict) -> None:
    """The published entries the board found this nomination resting on (`myths`, ids as the form sends them), in
    place of those it named before, in the evaluation's transaction; a move without `myths` (or with None) leaves
    them."""
    if fields.get("myths") is None:
        return
    texts = {str(value) for value in fields["myths"] or []}
    chosen = {int(text) for text in texts if text.isascii() and text.isdigit() and len(text) < 10}
    # On the connection, not the session: flushing the nomination here would write it (and its version) twice.
    connection = session.connection()
    known = set(connection.scalars(select(Myth.id).where(Myth.id.in_(chosen), Myth.published.is_(True)))) \
        if chosen else set()
    if known != chosen or len(chosen) != len(texts):
        raise MoveRefused("Please choose the regulatory myths from the library.",
                          fields={"myths": "names an entry that is not in the library"})
    connection.execute(delete(MythCited).where(MythCited.nomination_id == nomination.id))
    if known:
        connection.execute(insert(MythCited), [{"nomination_id": nomination.id, "myth_id": id_}
                                               for id_ in sorted(known)])


def _myth(session: Session, myth_id: int) -> Myth:
    myth = session.get(Myth, myth_id)
    if myth is None:
        raise NotFound(f"There is no regulatory myth #{myth_id}.")
    return myth

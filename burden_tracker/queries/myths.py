"""The regulatory-myth library as pages read it: the published entries, one entry with the nominations citing it,
those matching what someone types, and an admin's view with the drafts. Written by services/myths.py.

The library holds tens of entries, not thousands: matching reads the published ones and counts shared words here,
the same on both databases, rather than keeping a text-search index of them.
"""

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlmodel import Session

from ..enums import State
from ..errors import NotFound
from ..models import Department, Myth, MythCited, Nomination, User
from ..naming import SYSTEM, person_named
from .similar import meaningful_words

LIBRARY_REVIEWER = f"{SYSTEM}'s library"  # who reviewed an entry shipped in data/
MOST_WORDS = 60
SHARED_WORDS = 2  # an entry is offered when it shares at least this many words with what is typed


@dataclass(frozen=True)
class Citing:
    id: int
    title: str
    state: State
    department: str


@dataclass(frozen=True)
class MythPage:
    myth: Myth
    reviewed_by: str
    citing: list[Citing]
    draft_id: int | None  # an edit waiting to be published, for admins


def published(*, session: Session, q: str = "") -> list[Myth]:
    """The published entries, by belief; with `q`, those holding every word of it in their belief, keywords or
    citation."""
    query = select(Myth).where(Myth.published.is_(True)).order_by(func.lower(Myth.belief), Myth.id)
    entries = list(session.scalars(query))
    words = [word.casefold() for word in q.split()][:8]
    return [myth for myth in entries if all(word in f"{_text(myth)} {myth.citation}".casefold() for word in words)]


def myth_page(*, session: Session, myth_id: int, admin: bool) -> MythPage:
    """One entry; a draft is an admin's only."""
    myth = session.get(Myth, myth_id)
    if myth is None or not (myth.published or admin):
        raise NotFound(f"There is no regulatory myth #{myth_id}.")
    reviewer = session.get(User, myth.reviewed_by_id) if myth.reviewed_by_id else None
    cited = myth.draft_of_id or myth.id  # a draft's are its published entry's
    citing = session.execute(
        select(Nomination.id, Nomination.title, Nomination.state, Department.name)
        .join(MythCited, MythCited.nomination_id == Nomination.id)
        .join(Department, Department.id == Nomination.department_id)
        .where(MythCited.myth_id == cited).order_by(Nomination.id.desc()))
    draft = draft_of(session=session, myth_id=myth.id) if admin else None
    return MythPage(myth, person_named(reviewer.name, reviewer.email) if reviewer else LIBRARY_REVIEWER,
                    [Citing(*row) for row in citing], draft and draft.id)


def being_edited(*, session: Session, myth_id: int) -> Myth:
    """What an admin's edit form starts from: the entry's draft when it has one, else the entry."""
    myth = session.get(Myth, myth_id)
    if myth is None:
        raise NotFound(f"There is no regulatory myth #{myth_id}.")
    return draft_of(session=session, myth_id=myth.id) or myth


def draft_of(*, session: Session, myth_id: int) -> Myth | None:
    """A published entry's one draft, the edit waiting to be published, if there is one."""
    return session.scalar(select(Myth).where(Myth.draft_of_id == myth_id))


def for_admin(*, session: Session) -> list[Myth]:
    """Every entry and draft: the drafts first, then by belief."""
    return list(session.scalars(select(Myth).order_by(Myth.published, func.lower(Myth.belief), Myth.id)))


def matching(*, session: Session, text: str, limit: int = 3) -> list[Myth]:
    """Published entries sharing at least SHARED_WORDS words with the text, most shared first."""
    if len(meaningful_words(text, most=SHARED_WORDS)) < SHARED_WORDS:
        return []
    return _most_alike(session.scalars(select(Myth).where(Myth.published.is_(True))), text, limit)


def _most_alike(entries, text: str, limit: int) -> list[Myth]:
    typed = set(meaningful_words(text, most=MOST_WORDS))
    scored = [(len(typed & set(meaningful_words(_text(myth), most=MOST_WORDS))), myth) for myth in entries]
    found = sorted(((score, myth) for score, myth in scored if score >= SHARED_WORDS),
                   key=lambda pair: (-pair[0], pair[1].id))
    return [myth for _score, myth in found[:limit]]


def cited_by(*, session: Session, nomination_id: int) -> list[tuple[int, str]]:
    """(id, belief) of the entries a nomination cites."""
    return list(session.execute(select(Myth.id, Myth.belief).join(MythCited, MythCited.myth_id == Myth.id)
                                .where(MythCited.nomination_id == nomination_id).order_by(Myth.id)))


def choices_for(*, session: Session, nomination: Nomination) -> list[tuple[int, str]]:
    """What the board may cite while evaluating: the entries matching the nomination first, then the rest."""
    entries = published(session=session)
    matched = _most_alike(entries, f"{nomination.title} {nomination.description}", limit=len(entries))
    return [(myth.id, myth.belief) for myth in (*matched, *(myth for myth in entries if myth not in matched))]


def _text(myth: Myth) -> str:
    return f"{myth.belief} {myth.keywords}"

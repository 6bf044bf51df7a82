"""Burden cards as pages read them: the retired nominations marked for sharing (/admin/commons), and the cards
other health systems shared (/commons, and those offered while a nomination is typed). services/commons.py writes
them. A card names no person, so nothing here passes through naming.person_named."""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, or_, select
from sqlmodel import Session

from ..enums import AffectedRole, Outcome, RequirementSource, State
from ..errors import NotFound
from ..models import Category, CommonsCard, Nomination, SharedCard
from .dialects import like_any_case
from .listing import Listing, anywhere, search_words
from .similar import meaningful_words
from .word_search import cards_with_any_word

PER_PAGE = 20


@dataclass(frozen=True)
class Marked:
    nomination_id: int
    title: str
    card_id: str
    ehr_vendor: str | None
    shared_on: date


def marked_for_sharing(*, session: Session) -> list[Marked]:
    """Newest first."""
    rows = session.execute(select(SharedCard.nomination_id, Nomination.title, SharedCard.card_id,
                                  SharedCard.ehr_vendor, SharedCard.shared_on)
                           .join(Nomination, Nomination.id == SharedCard.nomination_id)
                           .order_by(SharedCard.shared_on.desc(), SharedCard.nomination_id.desc()))
    return [Marked(*row) for row in rows]


def shared_card(*, session: Session, nomination_id: int) -> SharedCard | None:
    return session.get(SharedCard, nomination_id)


def cards_imported(*, session: Session) -> int:
    return session.scalar(select(func.count()).select_from(CommonsCard))


@dataclass(frozen=True)
class CardFilters:
    """What /commons is narrowed to: every word of `q` somewhere in a card's words, and the choices."""

    q: str = ""
    vendor: str | None = None
    outcome: Outcome | None = None
    role: AffectedRole | None = None
    source: RequirementSource | None = None

    def address_values(self) -> dict:
        """The query string asking for these filters: only those set."""
        values = {"q": self.q, "vendor": self.vendor, "outcome": self.outcome, "role": self.role,
                  "source": self.source}
        return {name: str(value) for name, value in values.items() if value}


@dataclass(frozen=True)
class StartedHere:
    id: int
    title: str
    state: State


@dataclass(frozen=True)
class Offered:
    """A card retired elsewhere, as offered beside a nomination being typed."""

    id: int
    title: str
    organization: str | None
    what_changed: str
    outcome: Outcome | None


def field_cards(*, session: Session, filters: CardFilters, page: int) -> Listing:
    """One page of the imported cards, the latest retired first."""
    query = select(CommonsCard).order_by(CommonsCard.retired_on.desc(), CommonsCard.id.desc())
    for word in search_words(filters.q):
        query = query.where(or_(*(like_any_case(column, anywhere(word)) for column in _SEARCHED)))
    for column, value in ((CommonsCard.ehr_vendor, filters.vendor), (CommonsCard.outcome, filters.outcome),
                          (CommonsCard.affected_role, filters.role),
                          (CommonsCard.requirement_source, filters.source)):
        if value is not None:
            query = query.where(column == value)
    rows = list(session.scalars(query.offset((page - 1) * PER_PAGE).limit(PER_PAGE + 1)))
    return Listing(rows=rows[:PER_PAGE], page=page, per_page=PER_PAGE, has_next=len(rows) > PER_PAGE)


_SEARCHED = (CommonsCard.title, CommonsCard.what_was_done, CommonsCard.what_changed, CommonsCard.category,
             CommonsCard.citation, CommonsCard.ehr_module, CommonsCard.build_type, CommonsCard.organization)


def vendors(*, session: Session) -> list[str]:
    """The EHR vendors the imported cards name, for /commons's filter."""
    named = select(CommonsCard.ehr_vendor).where(CommonsCard.ehr_vendor.is_not(None)).distinct()
    return sorted(session.scalars(named), key=str.casefold)


def field_card(*, session: Session, card_id: int) -> CommonsCard:
    card = session.get(CommonsCard, card_id)
    if card is None:
        raise NotFound(f"There is no burden card #{card_id}.")
    return card


def card_titled(*, session: Session, card_id: int | None) -> tuple[int, str] | None:
    if card_id is None:
        return None
    found = session.execute(select(CommonsCard.id, CommonsCard.title).where(CommonsCard.id == card_id)).first()
    return tuple(found) if found else None


def started_here(*, session: Session, card_id: int) -> list[StartedHere]:
    """The nominations made here from the card, newest first."""
    rows = session.execute(select(Nomination.id, Nomination.title, Nomination.state)
                           .where(Nomination.from_card_id == card_id).order_by(Nomination.id.desc()))
    return [StartedHere(*row) for row in rows]


def offered_cards(*, session: Session, text: str, leaving_out: int | None = None, limit: int = 3) -> list[Offered]:
    """Imported cards sharing whole words with what is typed, best matches first; `leaving_out` is the card the
    nomination was begun from."""
    words = meaningful_words(text)
    if not words:
        return []
    query = select(CommonsCard.id, CommonsCard.title, CommonsCard.organization, CommonsCard.what_changed,
                   CommonsCard.outcome).where(CommonsCard.id != (leaving_out or 0))
    query = cards_with_any_word(query, session.get_bind().dialect.name, words).limit(limit)
    return [Offered(*row) for row in session.execute(query)]


def nomination_from(*, session: Session, card_id: int) -> dict:
    """A new nomination's fields as the card fills them: its words, role and requirement, and its category where
    one of ours has that name. Department and the estimate are the nominator's; the sharer's name is not copied."""
    card = field_card(session=session, card_id=card_id)
    ours = session.scalars(select(Category.name).where(Category.active.is_(True)).order_by(Category.id))
    category = next((name for name in ours if name.casefold() == card.category.casefold()), None)  # any letter
    return {"title": card.title, "description": card.what_was_done, "suggested_change": card.what_changed,
            "affected_role": card.affected_role.value, "requirement_source": card.requirement_source.value,
            "category": category, "from_card": card.id}

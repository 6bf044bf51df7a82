"""Burden cards as the admin page reads them: the retired nominations marked for sharing, and how many cards other
health systems' files brought. services/commons.py writes them."""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlmodel import Session

from ..models import CommonsCard, Nomination, SharedCard


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

"""The nominations a person submitted or supports, with where each one stands."""

from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlmodel import Session

from ..enums import State
from ..models import Nomination, Supporter


@dataclass(frozen=True)
class MyNomination:
    id: int
    title: str
    state: State
    relation: str
    decision_note: str | None


def my_nominations(*, session: Session, user_id: int) -> list[MyNomination]:
    supported = select(Supporter.nomination_id).where(Supporter.user_id == user_id)
    query = (select(Nomination)
             .where(or_(Nomination.submitter_id == user_id, Nomination.id.in_(supported)))
             .order_by(Nomination.updated_at.desc(), Nomination.id.desc()))
    return [
        MyNomination(n.id, n.title, n.state, "submitted" if n.submitter_id == user_id else "supported",
                     n.what_changed or n.rejection_rationale or n.evaluation_note)
        for n in session.scalars(query)
    ]

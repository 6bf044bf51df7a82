"""The nominations a person submitted or supports, with where each one stands.

Only ever asked for by the person themself, so their anonymous nominations are listed as
theirs (and marked anonymous); nobody else learns of it from here.
"""

from dataclasses import dataclass

from sqlalchemy import func, select, union
from sqlmodel import Session

from ..enums import EventKind, State
from ..models import Event, EventNote, Nomination, Supporter


@dataclass(frozen=True)
class MyNomination:
    id: int
    title: str
    state: State
    submitted: bool
    anonymous: bool
    decision_note: str | None

    @property
    def relation(self) -> str:
        if not self.submitted:
            return "supported"
        return "submitted anonymously" if self.anonymous else "submitted"


_NOTE_OF_STATE = {State.EVALUATED: "evaluation_note", State.RETIRED: "what_changed",
                  State.REJECTED: "rejection_rationale"}


def my_nominations(*, session: Session, user_id: int) -> list[MyNomination]:
    # One list of ids, each half read through its own index: with `submitter_id = … OR id IN (…)` PostgreSQL read
    # the whole table to find a person's few dozen.
    theirs = union(select(Nomination.id).where(Nomination.submitter_id == user_id),
                   select(Supporter.nomination_id).where(Supporter.user_id == user_id))
    query = (select(Nomination)
             .where(Nomination.id.in_(select(theirs.subquery().c[0])))
             .order_by(Nomination.updated_at.desc(), Nomination.id.desc()))
    nominations = list(session.scalars(query))
    move_notes = latest_move_notes(session=session, nomination_ids=[n.id for n in nominations])
    return [
        MyNomination(n.id, n.title, n.state, n.submitter_id == user_id, n.anonymous,
                     move_notes[n.id] if n.id in move_notes else _state_note(n))
        for n in nominations
    ]


def latest_move_notes(*, session: Session, nomination_ids: list[int]) -> dict[int, str | None]:
    """The note of each nomination's latest live move (evaluation note, what changed, rationale,
    the reason for reopening...); nominations never moved live are left out."""
    if not nomination_ids:
        return {}
    latest = (select(func.max(Event.id))
              .where(Event.kind == EventKind.MOVED, Event.nomination_id.in_(nomination_ids))
              .group_by(Event.nomination_id))
    return dict(session.execute(select(Event.nomination_id, EventNote.body)
                                .outerjoin(EventNote, EventNote.id == Event.note_id).where(Event.id.in_(latest))).all())


def _state_note(nomination: Nomination) -> str | None:
    """For an imported nomination, the decision note recorded with its state."""
    field = _NOTE_OF_STATE.get(nomination.state)
    return getattr(nomination, field) if field else None

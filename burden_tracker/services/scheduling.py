"""The board's schedule for its queue: who owns each evaluation and when it is due, set for several nominations at
once from /board, and the reminders an owner gets as the due day comes.

Each nomination chosen is taken on its own: one its state does not allow (workflow.takes_schedule) is refused with
the reason, and the others change together, each with an event in its history and a notice to its owner.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import or_, select, update
from sqlalchemy.orm.exc import StaleDataError
from sqlmodel import Session

from .. import workflow
from ..enums import Actor, EventKind, Role
from ..errors import DomainError
from ..models import Event, Nomination, User, event_note, utc_now
from ..naming import person_named
from ..queries.deciders import decides
from ..queries.users import active_board_member
from .notices import notify, tell_new_owner

MOST_AT_ONCE = 200  # a page of the queue is fifty


@dataclass(frozen=True)
class Refusal:
    nomination_id: int
    title: str
    reason: str


@dataclass(frozen=True)
class Scheduled:
    changed: int
    refused: list[Refusal]


def assign_owner(*, session: Session, nomination_ids: list[int], owner_id: int | None, actor: User) -> Scheduled:
    """Makes one board member (or, with None, nobody) the owner of each nomination chosen."""
    _board_only(actor)
    owner = _board_member(session, owner_id) if owner_id is not None else None
    said = (f"Made {person_named(owner.name, owner.email, acted_as=Actor.BOARD)} its owner." if owner
            else "Left it without an owner.")

    def change(nomination: Nomination) -> str | None:
        if nomination.owner_id == owner_id:
            return None
        nomination.owner_id = owner_id
        return said

    def tell(nomination: Nomination) -> None:
        if owner_id not in (None, actor.id):
            tell_new_owner(session=session, nomination=nomination)

    def refused(nomination: Nomination) -> str | None:
        if owner is not None and not decides(session=session, user=owner, nomination_id=nomination.id):
            return "its site is not one its new owner decides for."
        return None

    return _each(session, nomination_ids, actor, "an owner", change, tell, refused)


def set_due_day(*, session: Session, nomination_ids: list[int], due_on: date | None, actor: User,
                today: date) -> Scheduled:
    """Sets (or, with None, clears) the day each chosen nomination's evaluation is due; its owner is told."""
    _board_only(actor)
    if due_on is not None and due_on < today:
        raise DomainError("A due day is today or later.", fields={"due_on": "is in the past"})
    said = f"Due for evaluation on {due_on.isoformat()}." if due_on else "No longer has a due day."

    def change(nomination: Nomination) -> str | None:
        if nomination.due_on == due_on:
            return None
        nomination.due_on = due_on
        return said

    def tell(nomination: Nomination) -> None:
        if nomination.owner_id not in (None, actor.id):
            notify(session=session, recipients={nomination.owner_id}, nomination=nomination, event=None,
                   message=f"“{nomination.title}”: {said[0].lower()}{said[1:]}")

    return _each(session, nomination_ids, actor, "a due day", change, tell)


def remind_owners(*, session: Session, today: date) -> int:
    """Tells each owner of an open nomination due tomorrow, today or already past, once for each due day (run
    daily: `burden-tracker remind`). Returns how many were reminded."""
    due = session.scalars(select(Nomination).where(
        Nomination.state.in_(workflow.SCHEDULED_STATES), Nomination.owner_id.is_not(None),
        Nomination.due_on <= today + timedelta(days=1),
        or_(Nomination.reminded_of_due_on.is_(None), Nomination.reminded_of_due_on != Nomination.due_on),
    ).order_by(Nomination.id)).all()
    for nomination in due:
        notify(session=session, recipients={nomination.owner_id}, nomination=nomination, event=None,
               message=f"“{nomination.title}” {_when_due(nomination.due_on, today)}: its evaluation is yours.")
        # Not a change anyone could be editing against: the version stays (a bulk UPDATE leaves it).
        session.execute(update(Nomination).where(Nomination.id == nomination.id)
                        .values(reminded_of_due_on=nomination.due_on))
    session.commit()
    return len(due)


def _when_due(due_on: date, today: date) -> str:
    if due_on > today:
        return "is due for evaluation tomorrow"
    return "is due for evaluation today" if due_on == today else f"was due for evaluation on {due_on.isoformat()}"


def _each(session: Session, nomination_ids: list[int], actor: User, what: str, change, tell,
          refused_for=lambda _nomination: None) -> Scheduled:
    """change(nomination) makes the change and says it for the history, or returns None when there was nothing
    to change; tell(nomination) then tells whom it concerns, once every change is made (a notice's INSERT flushes
    them, and each nomination's version then moves once); refused_for(nomination) may say why one is not
    changed. All of it is one transaction: a nomination changed by someone else meanwhile refuses the lot."""
    chosen = sorted(set(nomination_ids))
    if not chosen:
        raise DomainError("Tick the nominations to change first.", fields={"chosen": "none ticked"})
    if len(chosen) > MOST_AT_ONCE:
        raise DomainError(f"Change at most {MOST_AT_ONCE} nominations at once.", fields={"chosen": "too many"})
    found = {n.id: n for n in session.scalars(select(Nomination).where(Nomination.id.in_(chosen)))}
    changed, refused = [], []
    try:
        for nomination_id in chosen:
            nomination = found.get(nomination_id)
            if nomination is None:
                refused.append(Refusal(nomination_id, "", "there is no such nomination."))
            elif not workflow.takes_schedule(nomination.state):
                refused.append(Refusal(nomination_id, nomination.title, f"it is {nomination.state.value}: it gets "
                                       f"{what} only while it waits for the board."))
            elif not decides(session=session, user=actor, nomination_id=nomination_id):
                refused.append(Refusal(nomination_id, nomination.title, "its site is not one you decide for."))
            elif reason := refused_for(nomination):
                refused.append(Refusal(nomination_id, nomination.title, reason))
            elif (said := change(nomination)) is not None:
                nomination.updated_at = utc_now()
                session.add(Event(nomination_id=nomination_id, actor_id=actor.id, acted_as=Actor.BOARD,
                                  kind=EventKind.SCHEDULED, note=event_note(said)))
                changed.append(nomination)
        for nomination in changed:
            tell(nomination)
        session.commit()
    except StaleDataError:
        session.rollback()
        raise DomainError("Someone changed one of them a moment ago, so nothing was changed. Try again.") from None
    return Scheduled(len(changed), refused)


def _board_only(actor: User) -> None:
    if not actor.has_role(Role.BOARD):
        raise DomainError("Only board members schedule the board's work.")


def _board_member(session: Session, user_id: int) -> User:
    member = active_board_member(session=session, user_id=user_id)
    if member is None:
        raise DomainError("Choose a board member to own them.", fields={"new_owner": "is not a board member"})
    return member

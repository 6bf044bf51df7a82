"""One nomination by its id, its version and its form's values as they stand, who changed it last, whether its
submitter may still edit it, whether there are any, and the departments and categories a new one may be filed under."""

from sqlmodel import Session, select

from .. import hours, workflow
from ..enums import EventKind
from ..errors import NotFound
from ..models import Category, Department, Event, Nomination, User
from ..naming import nobody_for, person_named
from ..schemas import as_typed
from .reference import for_lists


def get_nomination(*, session: Session, nomination_id: int) -> Nomination:
    nomination = session.get(Nomination, nomination_id)
    if nomination is None:
        raise NotFound(f"There is no nomination #{nomination_id}.")
    return nomination


def board_has_worked_on(*, session: Session, nomination: Nomination) -> bool:
    """Whether the board has given it an estimate or revised it: then its submitter's edit could undo the board's
    work, and it is no longer theirs to edit, even when reopened (workflow.may_edit says the rest)."""
    if nomination.board_minutes_per_occurrence is not None:
        return True
    revised = select(Event.id).where(Event.nomination_id == nomination.id, Event.kind == EventKind.REVISED).limit(1)
    return session.execute(revised).first() is not None


def why_not_editable(*, session: Session, nomination: Nomination, editor_id: int) -> str | None:
    """Why this person may not edit this nomination now, or None when they may: the one rule that the page's
    button, the edit form and the edit itself all read."""
    if nomination.submitter_id != editor_id:
        return "Only the person who submitted a nomination can edit it."
    if not workflow.may_edit(nomination.state) or board_has_worked_on(session=session, nomination=nomination):
        return (f"The board has taken up this {nomination.state.value} nomination, so it can no longer be edited. "
                "Add a comment instead.")
    return None


def nomination_version(*, session: Session, nomination_id: int) -> int | None:
    """The version as it stands now, for a form sent again after someone else changed the nomination."""
    return session.scalar(select(Nomination.version).where(Nomination.id == nomination_id))


def as_it_stands(*, session: Session, nomination: Nomination) -> dict:
    """The nomination form's values for this nomination, as its submitter last left them."""
    return {"title": nomination.title, "description": nomination.description,
            "category": session.get(Category, nomination.category_id).name,
            "department": session.get(Department, nomination.department_id).name,
            "affected_role": str(nomination.affected_role), "requirement_source": str(nomination.requirement_source),
            "minutes_per_occurrence": as_typed(nomination.minutes_per_occurrence),
            "occurrences_per_week": as_typed(nomination.occurrences_per_week),
            "clinicians_affected": as_typed(nomination.clinicians_affected),
            "suggested_change": nomination.suggested_change, "version": str(nomination.version)}


def active_names(*, session: Session) -> dict[str, list[str]]:
    """The departments and categories a person may choose from, by name."""
    return {
        "categories": list(session.exec(select(Category.name).where(Category.active).order_by(Category.name))),
        "departments": list(session.exec(select(Department.name).where(Department.active).order_by(Department.name))),
    }


def has_nominations(*, session: Session) -> bool:
    return session.execute(select(Nomination.id).limit(1)).first() is not None


def changed_under_you(session: Session, nomination: Nomination) -> str:
    session.refresh(nomination)
    latest = session.exec(
        select(Event, User)
        .outerjoin(User, User.id == Event.actor_id)
        .where(Event.nomination_id == nomination.id)
        .order_by(Event.id.desc())
    ).first()
    if latest is None:
        return "This nomination was changed by someone else. Reload it to see the change."
    event, user = latest
    who = person_named(user and user.name, user and user.email, acted_as=event.acted_as,
                       anonymous_nomination=nomination.anonymous, nobody=nobody_for(event.kind))
    at = hours.on_clocks_of(event.at, for_lists(session=session).time_zone)
    return f"This nomination was changed by {who} at {at:%Y-%m-%d %H:%M %Z}. Reload it to see the change."

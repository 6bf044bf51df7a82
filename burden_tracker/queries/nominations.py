"""One nomination by its id, who changed it last, whether there are any, and the departments and categories a new
one may be filed under."""

from sqlmodel import Session, select

from .. import hours
from ..errors import NotFound
from ..models import Category, Department, Event, Nomination, User
from ..naming import nobody_for, person_named
from .reference import for_lists


def get_nomination(*, session: Session, nomination_id: int) -> Nomination:
    nomination = session.get(Nomination, nomination_id)
    if nomination is None:
        raise NotFound(f"There is no nomination #{nomination_id}.")
    return nomination


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

"""One nomination by its id, and the departments and categories a new one may be filed under."""

from sqlmodel import Session, select

from ..errors import NotFound
from ..models import Category, Department, Nomination


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

"""What the admin pages show: users, accounts awaiting activation, the history of administration, departments
and categories, and the settings as the form shows them. services/admin.py makes the changes."""

from dataclasses import dataclass

from sqlalchemy import func
from sqlmodel import Session, select

from ..enums import AffectedRole, EventKind
from ..errors import NotFound
from ..models import Category, Department, Event, HourlyRate, Settings, Site, User
from ..schemas import as_typed
from .reference import DEFAULT_HOURLY_RATES

MAX_SEARCH_WORDS = 8
NAMED_LISTS = {"sites": (Site, "Site"), "departments": (Department, "Department"), "categories": (Category, "Category")}
SETTING_LABELS = {
    "working_weeks_per_year": "working weeks",
    "fte_hours_per_year": "FTE hours",
    "quorum_fraction": "quorum",
    "fiscal_year_start_month": "fiscal year start month",
    "stale_after_days": "stale after days",
    "audit_retention_days": "security trail kept (days)",
    "time_zone": "time zone",
    "annual_target_hours": "annual target (hours)",
    "measure_window_months": "months measured before and after",
    "fewest_clinicians_shown": "fewest clinicians shown",
}


# Users


@dataclass(frozen=True)
class UserPage:
    users: list[User]
    page: int
    has_next: bool


def list_users(*, session: Session, q: str = "", page: int = 1, per_page: int = 25) -> UserPage:
    query = select(User)
    for word in q.split()[:MAX_SEARCH_WORDS]:
        query = query.where(User.email.icontains(word, autoescape=True) | User.name.icontains(word, autoescape=True))
    users = list(session.exec(query.order_by(User.email).offset((page - 1) * per_page).limit(per_page + 1)))
    return UserPage(users=users[:per_page], page=page, has_next=len(users) > per_page)


def awaiting_activation(*, session: Session) -> int:
    """Imported submitters: accounts that are neither active nor have a password."""
    query = select(func.count()).select_from(User).where(User.active.is_(False), User.password_hash.is_(None))
    return session.exec(query).one()


def recent_changes(*, session: Session, limit: int = 20) -> list[tuple[Event, User | None]]:
    query = (select(Event, User).outerjoin(User, User.id == Event.actor_id)
             .where(Event.kind == EventKind.ADMIN).order_by(Event.id.desc()).limit(limit))
    return list(session.exec(query))


# Departments and categories


def named_items(*, session: Session, kind: str) -> list:
    model, _ = NAMED_LISTS[kind]
    return list(session.exec(select(model).order_by(func.lower(model.name))))


def site_choices(*, session: Session) -> list[tuple[int, str]]:
    """Every site, active ones first, for choosing a department's; by name."""
    return [(site.id, site.name if site.active else f"{site.name} (inactive)") for site in session.exec(
        select(Site).order_by(Site.active.desc(), func.lower(Site.name)))]


def named_item(*, session: Session, kind: str, item_id: int):
    model, label = NAMED_LISTS[kind]
    item = session.get(model, item_id)
    if item is None:
        raise NotFound(f"There is no {label.lower()} #{item_id}.")
    return item


# Settings


def rate_field(role: AffectedRole) -> str:
    return f"rate_{role.name.lower()}"


def as_shown(value: float | str | None) -> str:
    """A setting as the form and the history show it: numbers without a needless .0, text as it is, nothing
    blank."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return as_typed(value)


def settings_values(*, session: Session) -> dict[str, str]:
    """The settings as the form shows them."""
    settings = session.get(Settings, 1) or Settings(id=1)
    values = {name: as_shown(getattr(settings, name)) for name in SETTING_LABELS}
    rates = {**DEFAULT_HOURLY_RATES, **{r.affected_role: r.usd_per_hour for r in session.exec(select(HourlyRate))}}
    return values | {rate_field(role): as_shown(rates[role]) for role in AffectedRole}

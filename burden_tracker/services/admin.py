"""What administrators change: users and their roles, departments, categories and settings.

Every change writes one Event (kind ADMIN, no nomination) whose note says what changed, in words;
never a password or a token. A request that changes nothing writes nothing. What the admin pages show is read
in queries/admin.py.
"""

from typing import Annotated

from pydantic import AfterValidator, BaseModel, ValidationError, create_model
from pydantic import Field as Limits
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from .. import hours
from ..enums import AffectedRole, AuditKind, EventKind, Role
from ..errors import DomainError
from ..models import AuditEntry, Department, Event, HourlyRate, Settings, Site, User, UserRole, event_note
from ..queries.admin import NAMED_LISTS, SETTING_LABELS, as_shown, named_item, rate_field
from ..queries.closed_quarters import any_closed
from ..queries.reference import DEFAULT_HOURLY_RATES, first_site_id
from ..queries.users import find_user, get_user
from ..schemas import field_errors
from .auth import set_active
from .board_sites import release_ownership, set_board_sites
from .invites import cancel_invites, issue_invite
from .keeping import count_kept_afresh
from .users import normalize_email
from .workbooks import forget as forget_workbooks

NAME_MAX = 120
MAX_DETAIL = 340  # what a line of the security trail holds


def record_admin_change(session: Session, actor_id: int | None, note: str) -> None:
    """In the history of administration (kept), and in the security trail (purged after the retention period)."""
    session.add(Event(kind=EventKind.ADMIN, actor_id=actor_id, note=event_note(note)))
    session.add(AuditEntry(kind=AuditKind.ADMIN_CHANGE, user_id=actor_id, detail=note[:MAX_DETAIL]))


def _roles(roles) -> str:
    return ", ".join(role.value for role in Role if role in roles) or "none"


# Users


def create_user(*, session: Session, actor_id: int, email: str, name: str, roles: set[Role]) -> tuple[User, str]:
    """The new user and the token of their invite link."""
    problems = {}
    try:
        email = normalize_email(email or "")
    except DomainError as error:
        problems |= error.fields
    name = (name or "").strip()
    if not 1 <= len(name) <= NAME_MAX:
        problems["name"] = f"must be 1 to {NAME_MAX} characters"
    if not roles:
        problems["roles"] = "choose at least one role"
    if "email" not in problems and find_user(session=session, email=email):
        problems["email"] = "is already in use"
    if problems:
        raise DomainError("The user was not added.", fields=problems)
    user = User(email=email, name=name)
    user.role_links = [UserRole(role=role) for role in sorted(roles)]
    session.add(user)
    try:
        session.flush()
    except IntegrityError:  # someone added the same email a moment ago
        session.rollback()
        raise DomainError("The user was not added.", fields={"email": "is already in use"}) from None
    token = issue_invite(session=session, user_id=user.id, issued_by_id=actor_id)
    record_admin_change(session, actor_id, f"User {email}: added with roles {_roles(roles)}; invite link issued")
    session.commit()
    return user, token


def change_roles(*, session: Session, actor_id: int, user_id: int, roles: set[Role],
                 sites: set[int] | None = None) -> User:
    """Their roles and, when `sites` is given, the sites they decide for as a board member (none: every site)."""
    user = get_user(session=session, user_id=user_id)
    if not roles:
        raise DomainError("Choose at least one role.", fields={"roles": "choose at least one role"})
    if user_id == actor_id and Role.ADMIN not in roles:
        raise DomainError("You cannot remove your own admin role; another administrator can.",
                          fields={"roles": "you cannot remove your own admin role"})
    sites_changed = None
    if sites is not None or Role.BOARD not in roles:
        sites_changed = set_board_sites(session=session, user=user, site_ids=sites or set(),
                                        on_board=Role.BOARD in roles)
    before = user.roles
    if roles != before:
        user.role_links = [link for link in user.role_links if link.role in roles] + [
            UserRole(role=role) for role in sorted(roles - before)]
        record_admin_change(session, actor_id, f"User {user.email}: roles {_roles(before)} → {_roles(roles)}")
    if sites_changed:
        record_admin_change(session, actor_id, f"User {user.email}: {sites_changed}")
    if released := release_ownership(session, user.id, on_board=Role.BOARD in roles):
        record_admin_change(session, actor_id, f"User {user.email}: no longer owns {released} open nomination"
                                               f"{'' if released == 1 else 's'} they do not decide")
    session.commit()
    return user


def deactivate(*, session: Session, actor_id: int, user_id: int) -> User:
    """Signs the person out everywhere and cancels their invite links."""
    user = get_user(session=session, user_id=user_id)
    if user_id == actor_id:
        raise DomainError("You cannot deactivate yourself; another administrator can.")
    if not user.active:
        return user
    cancel_invites(session=session, user_id=user_id)
    record_admin_change(session, actor_id, f"User {user.email}: deactivated")
    return set_active(session=session, user_id=user_id, active=False)  # commits the event with it


def activate(*, session: Session, actor_id: int, user_id: int) -> str | None:
    """Activates the account; one without a password (an imported submitter) gets an invite link, whose
    token is returned."""
    user = get_user(session=session, user_id=user_id)
    if user.active:
        return None
    token = None if user.password_hash else issue_invite(session=session, user_id=user_id, issued_by_id=actor_id)
    record_admin_change(session, actor_id, f"User {user.email}: activated" + ("; invite link issued" if token else ""))
    set_active(session=session, user_id=user_id, active=True)  # commits the invite and event with it
    return token


def new_invite(*, session: Session, actor_id: int, user_id: int) -> str:
    """A fresh link for an active account (lost, expired, or a forgotten password); earlier links stop working."""
    user = get_user(session=session, user_id=user_id)
    if not user.active:
        raise DomainError("Activate the account first.")
    token = issue_invite(session=session, user_id=user_id, issued_by_id=actor_id)
    record_admin_change(session, actor_id, f"User {user.email}: new invite link issued")
    session.commit()
    return token


# Departments and categories: renamed and deactivated, never deleted (nominations refer to them).


def _checked_name(session: Session, kind: str, name: str, *, except_id: int | None = None) -> str:
    """Unique ignoring case, compared in Python: SQLite's lower() folds only ASCII letters."""
    model, label = NAMED_LISTS[kind]
    name = (name or "").strip()
    problem = None
    if not 1 <= len(name) <= NAME_MAX:
        problem = f"must be 1 to {NAME_MAX} characters"
    elif any(ord(character) < 32 for character in name):
        problem = "must be plain text on one line"
    elif any(item.name.casefold() == name.casefold() and item.id != except_id
             for item in session.exec(select(model))):
        problem = f"another {label.lower()} already has this name"
    if problem:
        raise DomainError(f"The name {problem}.", fields={"name": problem})
    return name


def _commit_name(session: Session, kind: str) -> None:
    try:
        session.commit()
    except IntegrityError:  # the same name added by someone else a moment ago
        session.rollback()
        label = NAMED_LISTS[kind][1].lower()
        raise DomainError("The name is taken.", fields={"name": f"another {label} already has this name"}) from None


def add_named(*, session: Session, actor_id: int, kind: str, name: str, site_id: int | None = None):
    """A site, category or department; a department goes to the site chosen, or to the first one."""
    model, label = NAMED_LISTS[kind]
    item = model(name=_checked_name(session, kind, name))
    if kind == "departments":
        item.site_id = _site(session, site_id).id if site_id else first_site_id(session=session)
    session.add(item)
    record_admin_change(session, actor_id, f"{label}: added “{item.name}”")
    _commit_name(session, kind)
    return item


def move_department(*, session: Session, actor_id: int, department_id: int, site_id: int) -> Department:
    """To another site: its nominations, past and future, count there in every report."""
    department = named_item(session=session, kind="departments", item_id=department_id)
    site = _site(session, site_id)
    if department.site_id != site.id:
        department.site_id = site.id
        session.flush()
        count_kept_afresh(session=session)  # its nominations' shares move from one site to the other
        record_admin_change(session, actor_id, f"Department “{department.name}”: moved to the site “{site.name}”")
        session.commit()
    return department


def _site(session: Session, site_id: int) -> Site:
    site = session.get(Site, site_id)
    if site is None:
        raise DomainError("Choose one of the sites.", fields={"site_id": "choose one of the sites"})
    return site


def rename_named(*, session: Session, actor_id: int, kind: str, item_id: int, name: str):
    item = named_item(session=session, kind=kind, item_id=item_id)
    name = _checked_name(session, kind, name, except_id=item_id)
    if name != item.name:
        record_admin_change(session, actor_id, f"{NAMED_LISTS[kind][1]}: “{item.name}” renamed “{name}”")
        item.name = name
        _commit_name(session, kind)
    return item


def set_named_active(*, session: Session, actor_id: int, kind: str, item_id: int, active: bool):
    item = named_item(session=session, kind=kind, item_id=item_id)
    if item.active != active:
        item.active = active
        record_admin_change(session, actor_id, f"{NAMED_LISTS[kind][1]} “{item.name}”: "
                + ("reactivated" if active else "deactivated"))
        session.commit()
    return item


# Settings


def _a_time_zone(value: str) -> str:
    value = value.strip()
    if not hours.is_time_zone(value):
        raise ValueError("is not a time zone we know: write it as a region and city, like America/Chicago")
    return value


def _below_one(value: float) -> float:
    if value >= 1:
        raise ValueError("must be less than 1 (at 1 no vote could ever reach quorum)")
    return value


class _Settings(BaseModel):
    working_weeks_per_year: Annotated[float, Limits(ge=1, le=53, allow_inf_nan=False)]
    fte_hours_per_year: Annotated[float, Limits(ge=1, le=8784, allow_inf_nan=False)]
    quorum_fraction: Annotated[float, Limits(ge=0, allow_inf_nan=False), AfterValidator(_below_one)]
    fiscal_year_start_month: Annotated[int, Limits(ge=1, le=12)]
    stale_after_days: Annotated[int, Limits(ge=1, le=365)]
    audit_retention_days: Annotated[int, Limits(ge=30, le=3650)]
    time_zone: Annotated[str, Limits(max_length=64), AfterValidator(_a_time_zone)]
    annual_target_hours: Annotated[float | None, Limits(gt=0, le=100_000_000, allow_inf_nan=False)] = None
    measure_window_months: Annotated[int, Limits(ge=1, le=12)] = 3
    fewest_clinicians_shown: Annotated[int, Limits(ge=1, le=100)] = 5


Rate = Annotated[float, Limits(ge=0, le=10_000, allow_inf_nan=False)]
# The settings plus one hourly rate per affected role, so that a role added to the enum gets its field.
SettingsIn = create_model("SettingsIn", __base__=_Settings, **{rate_field(role): (Rate, ...) for role in AffectedRole})

# What a closed quarter is: which days it holds. Changing either would make its stored figures another quarter's.
_DEFINE_QUARTERS = {"fiscal_year_start_month": "the fiscal year's start month", "time_zone": "the time zone"}


def _keep_closed_quarters(session: Session, settings: Settings, checked) -> None:
    changed = {name: label for name, label in _DEFINE_QUARTERS.items()
               if getattr(settings, name) != getattr(checked, name)}
    if changed and any_closed(session=session):
        raise DomainError("Nothing was saved: a quarter is closed.", fields={
            name: f"{label} cannot change while a quarter is closed (it decides which days a quarter holds); "
                  "reopen the closed quarters first" for name, label in changed.items()})


def update_settings(*, session: Session, actor_id: int, values: dict) -> list[str]:
    """All fields or none. Returns what changed, in words."""
    try:
        checked = SettingsIn.model_validate(values)
    except ValidationError as error:
        raise DomainError("Nothing was saved: please correct the fields marked.", fields=field_errors(error)) from None
    settings = session.get(Settings, 1)
    if settings is None:
        settings = Settings(id=1)
        session.add(settings)
    _keep_closed_quarters(session, settings, checked)
    changes = []
    for name, label in SETTING_LABELS.items():
        old, new = getattr(settings, name), getattr(checked, name)
        if old != new:
            changes.append(f"{label} {as_shown(old) or 'none'} → {as_shown(new) or 'none'}")
            setattr(settings, name, new)
    rates = {rate.affected_role: rate for rate in session.exec(select(HourlyRate))}
    for role in AffectedRole:
        if role not in rates:
            rates[role] = HourlyRate(affected_role=role, usd_per_hour=DEFAULT_HOURLY_RATES[role])
            session.add(rates[role])
        rate, new = rates[role], getattr(checked, rate_field(role))
        if rate.usd_per_hour != new:
            changes.append(f"hourly rate {role.value} {as_shown(rate.usd_per_hour)} → {as_shown(new)}")
            rate.usd_per_hour = new
    if changes:
        count_kept_afresh(session=session)  # a setting or a rate can change every nomination's share
        forget_workbooks(session)  # and the Measured impact sheets of the kept workbooks
        record_admin_change(session, actor_id, "Settings: " + "; ".join(changes))
        session.commit()
    return changes

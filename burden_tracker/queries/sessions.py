"""Who holds a sign-in token: the one read that every signed-in request makes, before its page reads anything.

Because it comes first, the list pages' reference stamp rides along with it (queries/reference.py): a list page
then spends no query of its own on learning whether this worker's copy of the departments, categories and
settings still holds. What the row means (an idle or too old session) is services/auth.py's to decide.
"""

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import bindparam, select
from sqlmodel import Session

from ..enums import Role
from ..models import User, UserRole, UserSession
from .notices import unread_column
from .reference import STAMP, for_lists, note_stamp


@dataclass(frozen=True)
class TokenHolder:
    user_id: int
    email: str
    name: str
    roles: frozenset[Role]
    unread_notices: int
    created_at: datetime
    last_seen_at: datetime


def token_holder(*, session: Session, token_hash: str) -> TokenHolder | None:
    """The active person whose session the token's hash names, or None."""
    rows = session.connection().execute(_HOLDER_OF_TOKEN, {"token_hash": token_hash}).all()
    if not rows:
        return None
    user_id, email, name, created_at, last_seen_at, unread, reference_stamp, _role = rows[0]
    note_stamp(session, reference_stamp)
    return TokenHolder(user_id, email, name, frozenset(row.role for row in rows if row.role is not None), unread,
                       created_at, last_seen_at)


# Every request asks this, so it is built once and run without the ORM: one row per role (or one without).
_HOLDER_OF_TOKEN = (
    select(User.id, User.email, User.name, UserSession.created_at, UserSession.last_seen_at,
           unread_column(User.id), STAMP, UserRole.role)
    .join(UserSession, UserSession.user_id == User.id)
    .outerjoin(UserRole, UserRole.user_id == User.id)
    .where(UserSession.token_hash == bindparam("token_hash"), User.active.is_(True))
)


@dataclass(frozen=True)
class SignedInBrowser:
    """One of the person's sessions, for their list of them; its times on the organization's clocks."""

    key: str  # the hash of its token (services/auth.py: session_key), which the form that ends it names
    user_agent: str | None
    address: str | None
    signed_in_at: datetime
    last_seen_at: datetime
    through_provider: bool
    this_one: bool


def signed_in_browsers(*, session: Session, user_id: int, this_key: str, seen_since: datetime,
                       begun_since: datetime) -> list[SignedInBrowser]:
    """The person's sessions that have not ended on their own (idle since seen_since, begun before begun_since),
    the one asking first, then the most recently seen."""
    zone = ZoneInfo(for_lists(session=session).time_zone)
    rows = session.scalars(select(UserSession).where(
        UserSession.user_id == user_id, UserSession.last_seen_at >= seen_since,
        UserSession.created_at >= begun_since)).all()
    browsers = [SignedInBrowser(row.token_hash, row.user_agent, row.address, row.created_at.astimezone(zone),
                                row.last_seen_at.astimezone(zone), row.id_token is not None,
                                row.token_hash == this_key) for row in rows]
    return sorted(browsers, key=lambda browser: (not browser.this_one, -browser.last_seen_at.timestamp()))


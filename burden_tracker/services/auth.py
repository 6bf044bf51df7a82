"""Signing in and out. A sign-in creates a server-side session row; the browser keeps a random
token whose hash names that row. Signing out deletes it; deactivating a user deletes all of theirs.

A session also ends on its own: after SESSION_IDLE_MINUTES without a request (a computer left signed in on a
ward) and SESSION_MAX_HOURS after sign-in whatever happens (a stolen cookie does not live for ever).
"""

import hashlib
import secrets
from contextlib import suppress
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache

from argon2.exceptions import VerifyMismatchError
from sqlalchemy import delete, or_, update
from sqlmodel import Session

from ..enums import Role
from ..errors import DomainError
from ..models import User, UserSession, utc_now
from ..queries.sessions import token_holder
from ..queries.users import find_user
from .users import hasher, password_matches

SIGN_IN_REFUSED = "That email and password do not match an active account."
PASSWORDS_OFF = "Passwords are turned off here: sign in with single sign-on above."
# A session's last_seen_at is written at most this often, so reading pages is not a write per request.
TOUCH_EVERY = timedelta(minutes=1)
IDLE, LIFETIME = "idle", "lifetime"
# How long a proof of who one is (a sign-in, or the password asked again) lets sensitive admin actions go ahead.
FRESH_PROOF = timedelta(minutes=10)

# The hash of a random password nobody knows, made with the hasher's parameters. An unknown email is checked
# against it so that it costs one argon2 verify, like a wrong password. Kept as a constant so that the first
# unknown email after a start costs no extra hash; made afresh only if the parameters change.
_DECOY = "$argon2id$v=19$m=65536,t=3,p=4$yeDaRVjOxupV0GOFdJcdOQ$EaNlcHsMflCAfwy6izKyvw2VE4x7pdev+lNXh/jB7IE"


@dataclass(frozen=True)
class SessionPolicy:
    idle: timedelta
    lifetime: timedelta


@dataclass(frozen=True)
class SignedIn:
    """Who a session belongs to, as every page shows them. Services that change things take the User row."""

    id: int
    email: str
    name: str
    roles: frozenset[Role]
    unread_notices: int = 0

    @classmethod
    def of(cls, user: User) -> "SignedIn":
        """At sign-in, which answers with a redirect: the next page reads the person afresh."""
        return cls(user.id, user.email, user.name, frozenset(user.roles))

    def has_any(self, *roles: str) -> bool:
        return not self.roles.isdisjoint(roles)


@dataclass(frozen=True)
class SessionState:
    """What a token is worth now: whose it is, or why it ended (IDLE or LIFETIME), and whether it is time to
    note that the person was seen."""

    person: SignedIn | None
    ended_by: str | None = None
    touch_due: bool = False


@dataclass(frozen=True)
class Where:
    """The browser and network address a sign-in came from, as the person will see them in their sessions."""

    user_agent: str | None = None
    address: str | None = None


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@cache
def _decoy_hash() -> str:
    return hasher.hash(secrets.token_hex(16)) if hasher.check_needs_rehash(_DECOY) else _DECOY


def sign_in(*, session: Session, email: str, password: str, policy: SessionPolicy | None = None,
            now: datetime | None = None, break_glass_only: bool = False,
            where: Where | None = None) -> tuple[User, str] | None:
    """The user and a new session token, or None; unknown and wrong take the same time (one argon2 verify)."""
    user = check_password(session=session, email=email, password=password, break_glass_only=break_glass_only)
    return (user, start_session(session=session, user=user, policy=policy, now=now, where=where)) if user else None


def check_password(*, session: Session, email: str, password: str, break_glass_only: bool = False) -> User | None:
    """The active user the email and password name, or None; unknown and wrong take the same time (one argon2
    verify). A second factor, when the person has one, is asked next (services/second_factor.py)."""
    user = find_user(session=session, email=email or "")
    # The verify below is the slowest step of any request. A POST's transaction holds SQLite's write lock (db.py):
    # ended here, every other writer (and every refusal of the sign-in limits) need not queue behind it.
    session.commit()
    if user is None or not user.password_hash:
        _spend_a_verify(password)
        return None
    if not password_matches(user, password) or not user.active:
        return None
    if break_glass_only and not user.break_glass:
        raise DomainError(PASSWORDS_OFF)  # said only to whoever knows the password
    if hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hasher.hash(password)
        session.commit()
    return user


def start_session(*, session: Session, user: User, policy: SessionPolicy | None = None, now: datetime | None = None,
                  id_token: str | None = None, where: Where | None = None) -> str:
    """A new session for someone whose proof was checked; commits, and answers its token.

    With a policy, the person's sessions that have ended on their own are cleared out on the way.
    """
    now = now or utc_now()
    if policy:
        _forget_ended_sessions(session=session, user_id=user.id, policy=policy, now=now)
    token, where = secrets.token_urlsafe(32), where or Where()
    session.add(UserSession(token_hash=_token_hash(token), user_id=user.id, created_at=now, last_seen_at=now,
                            proved_at=now, id_token=id_token, user_agent=(where.user_agent or "")[:255] or None,
                            address=where.address and where.address[:64]))
    session.commit()
    return token


def proof_is_fresh(*, session: Session, token: str, now: datetime | None = None) -> bool:
    """Whether the person proved who they are in this session within FRESH_PROOF (sensitive admin actions ask)."""
    row = session.get(UserSession, _token_hash(token))
    return bool(row and row.proved_at and (now or utc_now()) - row.proved_at <= FRESH_PROOF)


def proved_again(*, session: Session, token: str, now: datetime | None = None) -> None:
    """The person proved who they are again in this session. Commits."""
    session.execute(update(UserSession).where(UserSession.token_hash == _token_hash(token))
                    .values(proved_at=now or utc_now()))
    session.commit()


def session_key(token: str) -> str:
    """What names a session in the person's list of them: the hash of its token, never the token."""
    return _token_hash(token)


def end_session(*, session: Session, user_id: int, key: str) -> bool:
    """Signs one of the person's own sessions out; False when it is not theirs, already gone, or no key at all."""
    if len(key) != 64 or not all(c in "0123456789abcdef" for c in key):
        return False
    ended = session.execute(delete(UserSession).where(UserSession.user_id == user_id, UserSession.token_hash == key))
    session.commit()
    return ended.rowcount > 0


def end_other_sessions(*, session: Session, user_id: int, token: str) -> int:
    """Signs the person out everywhere but in this session; how many ended."""
    ended = session.execute(delete(UserSession).where(UserSession.user_id == user_id,
                                                      UserSession.token_hash != _token_hash(token)))
    session.commit()
    return ended.rowcount


def session_id_token(*, session: Session, token: str) -> str | None:
    """The provider's ID token this session began with, when single sign-on began it."""
    row = session.get(UserSession, _token_hash(token))
    return row.id_token if row else None


def _spend_a_verify(password: str) -> None:
    """The decoy never matches; only the time it takes matters."""
    with suppress(VerifyMismatchError):
        hasher.verify(_decoy_hash(), password)


def _forget_ended_sessions(*, session: Session, user_id: int, policy: SessionPolicy, now: datetime) -> None:
    """Rows of browsers that never came back would otherwise stay for ever."""
    session.execute(delete(UserSession).where(
        UserSession.user_id == user_id,
        or_(UserSession.last_seen_at < now - policy.idle, UserSession.created_at < now - policy.lifetime)))


def session_state(*, session: Session, token: str, policy: SessionPolicy, now: datetime | None = None) -> SessionState:
    """Only reads: ending or touching the session is the caller's choice of transaction (see views/auth.py)."""
    holder = token_holder(session=session, token_hash=_token_hash(token))
    if holder is None:
        return SessionState(None)
    person = SignedIn(holder.user_id, holder.email, holder.name, holder.roles, holder.unread_notices)
    now = now or utc_now()
    if now - holder.last_seen_at > policy.idle:
        return SessionState(person, ended_by=IDLE)  # checked first: after a night away, idleness is the reason
    if now - holder.created_at > policy.lifetime:
        return SessionState(person, ended_by=LIFETIME)
    return SessionState(person, touch_due=now - holder.last_seen_at >= TOUCH_EVERY)


def touch_session(*, session: Session, token: str, now: datetime | None = None) -> None:
    session.execute(update(UserSession).where(UserSession.token_hash == _token_hash(token))
                    .values(last_seen_at=now or utc_now()))
    session.commit()


def sign_out(*, session: Session, token: str) -> None:
    session.execute(delete(UserSession).where(UserSession.token_hash == _token_hash(token)))
    session.commit()


def set_break_glass(*, session: Session, email: str, allowed: bool) -> User:
    """Name (or stop naming) an account that may sign in with its password while SSO_ONLY is on."""
    user = find_user(session=session, email=email)
    if user is None:
        raise DomainError(f"There is no account with the email {email}.")
    user.break_glass = allowed
    session.commit()
    return user


def set_active(*, session: Session, user_id: int, active: bool) -> User:
    """Deactivating signs the person out everywhere at once."""
    user = session.get(User, user_id)
    if user is None:
        raise DomainError(f"There is no user #{user_id}.")
    user.active = active
    if not active:
        end_all_sessions(session=session, user_id=user_id)
    session.commit()
    return user


def end_all_sessions(*, session: Session, user_id: int) -> None:
    """For deactivation: every browser the person is signed in on is signed out. The caller commits."""
    session.execute(delete(UserSession).where(UserSession.user_id == user_id))

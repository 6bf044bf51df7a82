"""Signing in and out. A sign-in creates a server-side session row; the browser keeps a random
token whose hash names that row. Signing out deletes it; deactivating a user deletes all of theirs."""

import hashlib
import secrets
from contextlib import suppress
from functools import cache

from argon2.exceptions import VerifyMismatchError
from sqlalchemy import delete, select
from sqlmodel import Session

from ..models import User, UserSession
from .users import find_user, hasher, password_matches

SIGN_IN_REFUSED = "That email and password do not match an active account."


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@cache
def _decoy_hash() -> str:
    return hasher.hash(secrets.token_hex(16))


def sign_in(*, session: Session, email: str, password: str) -> tuple[User, str] | None:
    """The user and a new session token, or None; unknown and wrong take the same time."""
    user = find_user(session=session, email=email or "")
    if user is None or not user.password_hash:
        _spend_a_verify(password)
        return None
    if not password_matches(user, password) or not user.active:
        return None
    if hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hasher.hash(password)
    token = secrets.token_urlsafe(32)
    session.add(UserSession(token_hash=_token_hash(token), user_id=user.id))
    session.commit()
    return user, token


def _spend_a_verify(password: str) -> None:
    """The decoy never matches; only the time it takes matters."""
    with suppress(VerifyMismatchError):
        hasher.verify(_decoy_hash(), password)


def signed_in_user(*, session: Session, token: str) -> User | None:
    return session.execute(
        select(User).join(UserSession, UserSession.user_id == User.id)
        .where(UserSession.token_hash == _token_hash(token), User.active.is_(True))
    ).scalar_one_or_none()


def sign_out(*, session: Session, token: str) -> None:
    session.execute(delete(UserSession).where(UserSession.token_hash == _token_hash(token)))
    session.commit()


def end_all_sessions(*, session: Session, user_id: int) -> None:
    """For deactivation: every browser the person is signed in on is signed out. The caller commits."""
    session.execute(delete(UserSession).where(UserSession.user_id == user_id))



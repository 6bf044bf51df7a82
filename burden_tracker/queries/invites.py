"""Whose an invite link is, and whether it still works: asked by the invite page, and by accepting the invite
(services/invites.py) before the password is set."""

import hashlib

from sqlmodel import Session

from ..errors import DomainError, NotFound
from ..models import Invite, User, utc_now

USED = ("This invite link has been used already. Sign in with the password you set, "
        "or ask an administrator for a new link.")
EXPIRED = "This invite link has expired. Ask an administrator for a new one."
INACTIVE = "This account is not active. Ask an administrator."


class InviteRefused(DomainError):
    """The link was real but is used, expired, or for an account that is no longer active."""


def token_hash(token: str) -> str:
    """What is stored of a link's token: its SHA-256, never the token."""
    return hashlib.sha256(token.encode()).hexdigest()


def invited_user(*, session: Session, token: str) -> User:
    """The person a usable link is for. NotFound for a token never issued; InviteRefused for a spent one."""
    invite = session.get(Invite, token_hash(token))
    if invite is None:
        raise NotFound("There is no such invite link.")
    if invite.used_at is not None:
        raise InviteRefused(USED)
    if invite.expires_at <= utc_now():
        raise InviteRefused(EXPIRED)
    user = session.get(User, invite.user_id)
    if not user.active:
        raise InviteRefused(INACTIVE)
    return user

"""Whose a one-time link to set a password is (an admin's invite, or a reset the person asked for), and whether it
still works: asked by its page, and by using it (services/invites.py) before the password is set."""

import hashlib

from sqlmodel import Session

from ..errors import DomainError, NotFound
from ..models import Invite, User, utc_now

INVITE, RESET = "invite", "reset"  # an admin's invite, or the link a person who forgot their password asked for
USED = {INVITE: "This invite link has been used already. Sign in with the password you set, "
                "or ask an administrator for a new link.",
        RESET: "This link has been used already. Sign in with the password you chose, or ask for a new link."}
EXPIRED = {INVITE: "This invite link has expired. Ask an administrator for a new one.",
           RESET: "This link has expired: a link to choose a new password works for one hour. Ask for a new one."}
INACTIVE = "This account is not active. Ask an administrator."


class InviteRefused(DomainError):
    """The link was real but is used, expired, or for an account that is no longer active."""


def token_hash(token: str) -> str:
    """What is stored of a link's token: its SHA-256, never the token."""
    return hashlib.sha256(token.encode()).hexdigest()


def invited_user(*, session: Session, token: str, purpose: str = INVITE) -> User:
    """The person a usable link of this purpose is for. NotFound for a token never issued (or issued for the other
    purpose); InviteRefused for a spent one."""
    invite = session.get(Invite, token_hash(token))
    if invite is None or invite.purpose != purpose:
        raise NotFound("There is no such link.")
    if invite.used_at is not None:
        raise InviteRefused(USED[purpose])
    if invite.expires_at <= utc_now():
        raise InviteRefused(EXPIRED[purpose])
    user = session.get(User, invite.user_id)
    if not user.active:
        raise InviteRefused(INACTIVE)
    return user

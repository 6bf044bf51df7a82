"""API tokens: a person's own, as /me/tokens lists them, and who a presented token speaks for.

A token speaks for its owner while it is neither revoked nor expired, its owner is active, and, for an account
that signs in with single sign-on, they have signed in there within SSO_SIGN_IN_DAYS: roles removed at the
identity provider reach this app only at a sign-in, and must not live on in a token.
"""

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session, func, select

from ..enums import TokenScope
from ..models import ApiToken, SignOnIdentity, User

PREFIX = "bt_"  # says what it is wherever it turns up: a log, a script, a secret scanner
SSO_SIGN_IN_DAYS = 30
UNKNOWN = "The token is not known here, or was revoked."


class TokenRefused(Exception):
    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class TokenHolder:
    user: User
    scope: TokenScope
    token_id: int
    last_used_at: datetime | None


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def tokens_of(*, session: Session, user_id: int) -> list[ApiToken]:
    """Newest first, revoked and expired ones too: their owner sees what became of them."""
    return list(session.exec(select(ApiToken).where(ApiToken.user_id == user_id)
                             .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())))


def live_token_count(*, session: Session, user_id: int, now: datetime) -> int:
    return session.exec(select(func.count()).select_from(ApiToken).where(
        ApiToken.user_id == user_id, ApiToken.revoked_at.is_(None), ApiToken.expires_at > now)).one()


def holder_of(*, session: Session, token: str, now: datetime) -> TokenHolder:
    """Who the token speaks for, or TokenRefused saying why not."""
    if not token.startswith(PREFIX):
        raise TokenRefused(UNKNOWN)
    row = session.exec(select(ApiToken, User).join(User, User.id == ApiToken.user_id)
                       .where(ApiToken.token_hash == token_hash(token))).first()
    if row is None or row[0].revoked_at is not None:
        raise TokenRefused(UNKNOWN)
    found, user = row
    if found.expires_at <= now:
        raise TokenRefused(f"The token expired on {found.expires_at.date().isoformat()}: renew it on /me/tokens.")
    if not user.active:
        raise TokenRefused("The token's owner is deactivated.")
    last_sign_on = session.exec(select(func.max(SignOnIdentity.signed_in_at))
                                .where(SignOnIdentity.user_id == user.id)).one()
    if last_sign_on is not None and last_sign_on < now - timedelta(days=SSO_SIGN_IN_DAYS):
        raise TokenRefused(f"The token's owner has not signed in with single sign-on for {SSO_SIGN_IN_DAYS} days: "
                           "it works again once they do.")
    return TokenHolder(user=user, scope=found.scope, token_id=found.id, last_used_at=found.last_used_at)

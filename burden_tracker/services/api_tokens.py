"""Personal API tokens: made on /me/tokens or by `burden-tracker token create`, shown once, kept as their SHA-256,
renewed or revoked by their owner. queries/api_tokens.py says who a presented token speaks for.

A token is 32 random bytes: a SHA-256 of it cannot be guessed back, so no slow hash is needed (unlike passwords),
and a request's token is found by its hash in one indexed read.
"""

import secrets
from datetime import datetime, timedelta

from sqlalchemy import update
from sqlmodel import Session

from ..enums import TokenScope
from ..errors import DomainError, NotFound
from ..models import ApiToken, User, utc_now
from ..queries.api_tokens import PREFIX, live_token_count, token_hash

LONGEST_DAYS = 90
DAYS_OFFERED = (7, 30, 90)
NAME_LONGEST = 80
MOST_PER_PERSON = 20
USE_STAMPED_EVERY = timedelta(minutes=1)


def create_token(*, session: Session, user: User, name: str, scope: TokenScope, days: int = LONGEST_DAYS,
                 now: datetime | None = None) -> tuple[ApiToken, str]:
    """The token's row and the token itself, which is shown once and never again."""
    name = " ".join((name or "").split())
    if not 1 <= len(name) <= NAME_LONGEST:
        raise DomainError("Name the token after what will use it, say \u201cintranet wins page\u201d.",
                          fields={"name": f"must be 1 to {NAME_LONGEST} characters"})
    if not 1 <= days <= LONGEST_DAYS:
        raise DomainError(f"A token lasts at most {LONGEST_DAYS} days; renew it before then.",
                          fields={"days": f"must be 1 to {LONGEST_DAYS}"})
    if not user.active:
        raise DomainError("A deactivated account cannot have tokens.")
    if live_token_count(session=session, user_id=user.id, now=now or utc_now()) >= MOST_PER_PERSON:
        raise DomainError(f"You have {MOST_PER_PERSON} tokens already: revoke one you no longer use first.")
    made = now or utc_now()
    secret = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user_id=user.id, name=name, scope=scope, token_hash=token_hash(secret),
                     shown_start=secret[:len(PREFIX) + 6], created_at=made, expires_at=made + timedelta(days=days))
    session.add(token)
    session.commit()
    return token, secret


def renew_token(*, session: Session, user: User, token_id: int, now: datetime | None = None) -> ApiToken:
    """Another LONGEST_DAYS from now, for a token that has not been revoked; an expired one comes back."""
    token = _own(session, user, token_id)
    if token.revoked_at is not None:
        raise DomainError("A revoked token stays revoked: make a new one.")
    token.expires_at = (now or utc_now()) + timedelta(days=LONGEST_DAYS)
    session.commit()
    return token


def revoke_token(*, session: Session, user: User, token_id: int, now: datetime | None = None) -> ApiToken:
    token = _own(session, user, token_id)
    if token.revoked_at is None:
        token.revoked_at = now or utc_now()
        session.commit()
    return token


def _own(session: Session, user: User, token_id: int) -> ApiToken:
    token = session.get(ApiToken, token_id)
    if token is None or token.user_id != user.id:
        raise NotFound("You have no such token.")
    return token



def note_use(*, session: Session, token_id: int, last_used_at: datetime | None, now: datetime | None = None) -> None:
    """Stamps the token's last use, at most once a USE_STAMPED_EVERY: a script's every read is not a write."""
    now = now or utc_now()
    if last_used_at is not None and now - last_used_at < USE_STAMPED_EVERY:
        return
    session.exec(update(ApiToken).where(ApiToken.id == token_id).values(last_used_at=now))
    session.commit()

"""A person's own password: changing it, and the link a person who forgot theirs asks for. What a new password
must be is services/users.py's rule."""

import secrets
from datetime import timedelta

from sqlmodel import Session

from ..errors import DomainError
from ..models import Invite, User, utc_now
from ..queries.invites import RESET, token_hash
from ..queries.users import find_user, get_user
from .auth import end_other_sessions
from .invites import cancel_invites
from .users import checked_password, password_matches

RESET_LIFETIME = timedelta(hours=1)


def change_password(*, session: Session, user_id: int, current: str, new: str, token: str) -> None:
    """The current password is asked again: a browser left signed in must not be enough. Every other session of
    the person ends, in case one of them was someone else's."""
    user = get_user(session=session, user_id=user_id)
    if not password_matches(user, current):
        raise DomainError("That is not your current password.", fields={"current": "is not your current password"})
    user.password_hash = checked_password(user, new, field="password")
    cancel_invites(session=session, user_id=user.id)
    end_other_sessions(session=session, user_id=user.id, token=token)  # commits


def issue_reset(*, session: Session, email: str, passwords_for_all: bool) -> tuple[User, str] | None:
    """A link for the account with this email, or None when there is no active account that may have a password;
    the caller answers the same either way. Earlier links stop working. Commits."""
    user = find_user(session=session, email=email or "")
    if user is None or not user.active or not (passwords_for_all or user.break_glass):
        return None
    cancel_invites(session=session, user_id=user.id)
    token = secrets.token_urlsafe(32)
    session.add(Invite(token_hash=token_hash(token), user_id=user.id, purpose=RESET,
                       expires_at=utc_now() + RESET_LIFETIME))
    session.commit()
    return user, token


RESET_SUBJECT = "Burden Tracker: choose a new password"


def reset_text(link: str) -> str:
    return ("Someone, most likely you, asked to choose a new password for your Burden Tracker account. The link "
            f"works once, for one hour:\n\n{link}\n\nIf it was not you, ignore this email: your password stays as "
            "it is.\n")

"""One-time invite links: a person an administrator added (or activated) sets their own password.

The link holds a random token; only its SHA-256 is stored, as for sign-in sessions. A link works once
and for INVITE_LIFETIME; a new link for the same person replaces the ones before it. Whose a link is, and
whether it still works, is read in queries/invites.py.
"""

import logging
import secrets
import smtplib
from datetime import timedelta
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from sqlalchemy import delete, update
from sqlmodel import Session

from ..models import Invite, User, utc_now
from ..queries.invites import INVITE, USED, InviteRefused, invited_user, token_hash
from .auth import end_all_sessions
from .users import checked_password

INVITE_LIFETIME = timedelta(days=7)
SMTP_TIMEOUT_SECONDS = 10
log = logging.getLogger(__name__)


def issue_invite(*, session: Session, user_id: int, issued_by_id: int) -> str:
    """A new link's token, shown once and never stored. The caller commits."""
    cancel_invites(session=session, user_id=user_id)
    token = secrets.token_urlsafe(32)
    session.add(Invite(token_hash=token_hash(token), user_id=user_id, created_by_id=issued_by_id,
                       expires_at=utc_now() + INVITE_LIFETIME))
    return token


def cancel_invites(*, session: Session, user_id: int) -> None:
    """The person's links stop working. The caller commits."""
    session.execute(delete(Invite).where(Invite.user_id == user_id))


def accept_invite(*, session: Session, token: str, password: str, purpose: str = INVITE) -> User:
    """Sets the password and spends the link; of two tries at once, only one succeeds."""
    user = invited_user(session=session, token=token, purpose=purpose)
    password_hash = checked_password(user, password)
    claimed = session.execute(update(Invite).where(Invite.token_hash == token_hash(token),
                                                   Invite.used_at.is_(None)).values(used_at=utc_now()))
    if claimed.rowcount != 1:
        session.rollback()
        raise InviteRefused(USED[purpose])
    user.password_hash = password_hash
    end_all_sessions(session=session, user_id=user.id)  # a new password signs out any older browser
    session.commit()
    return user


def email_invite(*, smtp_host: str, smtp_port: int, mail_from: str, to: str, link: str) -> bool:
    """Emails the link; False (and a log entry without the link) when the mail server fails."""
    return email_person(smtp_host=smtp_host, smtp_port=smtp_port, mail_from=mail_from, to=to,
                      subject="Burden Tracker: set your password",
                      text=f"You have an account in Burden Tracker. Set your password here (the link works once, "
                           f"for {INVITE_LIFETIME.days} days):\n\n{link}\n")


def email_person(*, smtp_host: str, smtp_port: int, mail_from: str, to: str, subject: str, text: str) -> bool:
    """Emails one person a message of their own (a link, a change to their account); False, and a log entry
    without the message, when the mail server fails."""
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = mail_from, to, subject
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain=mail_from.rpartition("@")[2] or "localhost")
    message.set_content(text, cte="quoted-printable")
    try:
        with smtplib.SMTP(smtp_host, smtp_port, timeout=SMTP_TIMEOUT_SECONDS) as smtp:
            smtp.send_message(message)
    except (smtplib.SMTPException, OSError) as error:
        log.error("Emailing %r through %s:%s failed: %s", subject, smtp_host, smtp_port,
                  type(error).__name__)
        return False
    return True

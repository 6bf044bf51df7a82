"""The daily and weekly digests: one email per person who asked for one (/me/settings), listing their notices not
yet emailed, oldest first, each with its time on the organization's clocks and a link to the nomination.

`burden-tracker digest daily` (or weekly) sends them; a scheduler runs it. As for single notices (services/mail.py)
each person's notices are claimed by a conditional UPDATE before the email goes, so two runs at once send each
digest once, and a failed send releases them for the next run. Notices read in the app are counted, not listed.
"""

import logging
import smtplib
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from sqlalchemy import update
from sqlmodel import Session

from .. import hours
from ..enums import NoticeEmail
from ..models import Notification, utc_now
from ..queries.notices import DigestLine, digest_notices
from .mail import SMTP_TIMEOUT_SECONDS, NominationAddress

log = logging.getLogger(__name__)
TITLES = {NoticeEmail.DAILY: "today", NoticeEmail.WEEKLY: "this week"}


def send_digests(*, session: Session, choice: NoticeEmail, smtp_host: str, smtp_port: int, mail_from: str,
                 nomination_address: NominationAddress | None, zone: str) -> int:
    """Sends each digest due and returns how many went. SMTP trouble is logged; the rest stay for the next run."""
    due = digest_notices(session=session, choice=choice)
    session.commit()  # hold no transaction while talking to the mail server
    sent = 0
    try:
        with smtplib.SMTP(smtp_host, smtp_port, timeout=SMTP_TIMEOUT_SECONDS) as smtp:
            for email, lines in due.items():
                ids = [line.id for line in lines]
                if not _claim(session, ids):
                    continue  # another run took them
                if all(line.read for line in lines):
                    continue  # read in the app already: nothing to tell
                try:
                    smtp.send_message(compose_digest(email, lines, choice=choice, mail_from=mail_from,
                                                     nomination_address=nomination_address, zone=zone))
                except (smtplib.SMTPException, OSError):
                    _release(session, ids)
                    raise
                sent += 1
    except (smtplib.SMTPException, OSError):
        log.exception("Sending the %s digests through %s:%s failed after %d sent; the rest stay pending.",
                      choice.value, smtp_host, smtp_port, sent)
    return sent


def compose_digest(email: str, lines: list[DigestLine], *, choice: NoticeEmail, mail_from: str,
                   nomination_address: NominationAddress | None, zone: str) -> EmailMessage:
    unread = [line for line in lines if not line.read]
    message = EmailMessage()
    message["From"], message["To"] = mail_from, email
    message["Subject"] = f"Burden Tracker: {len(unread)} notice{'s' if len(unread) != 1 else ''} {TITLES[choice]}"
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain=mail_from.rpartition("@")[2] or "localhost")
    text = [f"What happened {TITLES[choice]} to the nominations you follow:", ""]
    for line in unread:
        at = hours.on_clocks_of(line.created_at, zone)
        text.append(f"- {at:%Y-%m-%d %H:%M %Z}: {line.message}")
        if line.nomination_id is not None and nomination_address:
            text.append(f"  {nomination_address(line.nomination_id)}")
    if len(unread) < len(lines):
        text += ["", f"You already read {len(lines) - len(unread)} more in Burden Tracker."]
    text += ["", "You receive this digest because you chose it in your settings in Burden Tracker; change it there."]
    message.set_content("\n".join(text), cte="quoted-printable")
    return message


def _claim(session: Session, ids: list[int]) -> bool:
    claimed = session.execute(update(Notification).where(Notification.id.in_(ids), Notification.emailed_at.is_(None))
                              .values(emailed_at=utc_now())).rowcount
    if claimed != len(ids):
        session.rollback()
        return False
    session.commit()
    return True


def _release(session: Session, ids: list[int]) -> None:
    session.execute(update(Notification).where(Notification.id.in_(ids)).values(emailed_at=None))
    session.commit()

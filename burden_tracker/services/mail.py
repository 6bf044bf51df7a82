"""Emailing notices: every notice not yet emailed goes to its recipient once, as plain text.

Several app servers may deliver at the same time. Each notice is claimed with a conditional
UPDATE before it is sent, so only the one process whose UPDATE changed the row sends it.
Notices never name people, so neither do the emails: an anonymous submitter stays anonymous.
Links in them start with the configured BASE_URL, or are left out: never a host a request named.
"""

import logging
import smtplib
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from sqlalchemy import select, update
from sqlmodel import Session

from ..models import Event, EventNote, Notification, User, utc_now

log = logging.getLogger(__name__)
SMTP_TIMEOUT_SECONDS = 10
BATCH = 200


@dataclass(frozen=True)
class PendingNotice:
    id: int
    email: str
    message: str
    nomination_id: int | None
    note: str | None


def pending_notices(*, session: Session, limit: int = BATCH) -> list[PendingNotice]:
    query = (select(Notification.id, User.email, Notification.message, Notification.nomination_id, EventNote.body)
             .join(User, User.id == Notification.user_id)
             .outerjoin(Event, Event.id == Notification.event_id)
             .outerjoin(EventNote, EventNote.id == Event.note_id)
             .where(Notification.emailed_at.is_(None))
             .order_by(Notification.id).limit(limit))
    pending = [PendingNotice(*row) for row in session.exec(query)]
    session.commit()  # hold no transaction (on SQLite, no lock) while talking to the mail server
    return pending


def send_pending_notices(*, session: Session, smtp_host: str, smtp_port: int, mail_from: str,
                         base_url: str | None) -> int:
    """Sends what is pending and returns how many were sent; without base_url the emails carry no link.
    SMTP trouble is logged, never raised: whatever was not sent stays pending (emailed_at NULL) for the
    next attempt."""
    pending = pending_notices(session=session)
    if not pending:
        return 0
    sent = 0
    claimed = None
    try:
        with smtplib.SMTP(smtp_host, smtp_port, timeout=SMTP_TIMEOUT_SECONDS) as smtp:
            for notice in pending:
                # Claim, then send, then undo the claim if sending fails. Claiming first means two
                # processes never send one notice twice; the price is that a process killed between
                # claim and send leaves that one email unsent (the notice itself is still in the app).
                # Claiming after the send would risk the opposite: the same email twice.
                if not _claim(session, notice.id):
                    continue
                claimed = notice.id
                try:
                    smtp.send_message(compose(notice, mail_from=mail_from, base_url=base_url))
                except smtplib.SMTPRecipientsRefused as refused:
                    # This address only: the connection still works for the others. The address is
                    # not logged, lest the log tie a person to an anonymous nomination.
                    _release(session, notice.id)
                    log.error("The mail server refused the recipient of notice %d (%s); it stays pending.",
                              notice.id, ", ".join(str(code) for code, _ in refused.recipients.values()))
                else:
                    sent += 1
                claimed = None
    except (smtplib.SMTPException, OSError):
        if claimed is not None:
            _release(session, claimed)
        log.exception("Emailing notices through %s:%s failed after %d sent; the rest stay pending.",
                      smtp_host, smtp_port, sent)
    return sent


def link(base_url: str, path: str) -> str:
    """An address in an email: the configured BASE_URL and a path of the app."""
    return f"{base_url.rstrip('/')}{path}"


def compose(notice: PendingNotice, *, mail_from: str, base_url: str | None) -> EmailMessage:
    message = EmailMessage()
    message["From"] = mail_from
    message["To"] = notice.email
    message["Subject"] = " ".join(f"Burden Tracker: {notice.message}".split())  # one line, whatever the title
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain=mail_from.rpartition("@")[2] or "localhost")
    lines = [notice.message, ""]
    if notice.note:
        lines += [f"Note: {notice.note}", ""]
    if notice.nomination_id is not None and base_url:
        lines += [f"See the nomination: {link(base_url, f'/nominations/{notice.nomination_id}')}", ""]
    lines.append("You receive this because you submitted or support this nomination in Burden Tracker.")
    message.set_content("\n".join(lines), cte="quoted-printable")
    return message


def _claim(session: Session, notice_id: int) -> bool:
    claimed = session.exec(update(Notification)
                           .where(Notification.id == notice_id, Notification.emailed_at.is_(None))
                           .values(emailed_at=utc_now()))
    session.commit()
    return claimed.rowcount == 1


def _release(session: Session, notice_id: int) -> None:
    session.exec(update(Notification).where(Notification.id == notice_id).values(emailed_at=None))
    session.commit()

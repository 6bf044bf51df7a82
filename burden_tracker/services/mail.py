"""Emailing notices: every notice not yet emailed goes once, as plain text, to each person who wants them at once
(the others get a digest, services/digests.py, or none).

Several app servers may deliver at the same time. Each notice is claimed with a conditional
UPDATE before it is sent, so only the one process whose UPDATE changed the row sends it.
Notices never name people, so neither do the emails: an anonymous submitter stays anonymous.
Links in them come from the caller (addresses.py: under BASE_URL, never a host a request named),
or are left out.
"""

import logging
import smtplib
from collections.abc import Callable
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from sqlalchemy import update
from sqlmodel import Session

from ..models import Notification, utc_now
from ..queries.notices import PendingNotice, pending_notices

log = logging.getLogger(__name__)
SMTP_TIMEOUT_SECONDS = 10
BATCH = 200
NominationAddress = Callable[[int], str]  # a nomination's full address, from its id


@dataclass(frozen=True)
class Sent:
    count: int
    failed: bool  # the mail server could not be reached or failed part-way: the rest wait for the next attempt


def send_pending_notices(*, session: Session, smtp_host: str, smtp_port: int, mail_from: str,
                         nomination_address: NominationAddress | None) -> Sent:
    """Sends what is pending; without nomination_address the emails carry no link. SMTP trouble is logged, not
    raised: whatever was not sent stays pending (emailed_at NULL) for the next attempt. A recipient the server
    refuses stays pending too, but is not a failure of the server."""
    pending = pending_notices(session=session, limit=BATCH)
    session.commit()  # hold no transaction (on SQLite, no lock) while talking to the mail server
    if not pending:
        return Sent(0, failed=False)
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
                    smtp.send_message(compose(notice, mail_from=mail_from, nomination_address=nomination_address))
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
        return Sent(sent, failed=True)
    return Sent(sent, failed=False)


def compose(notice: PendingNotice, *, mail_from: str, nomination_address: NominationAddress | None) -> EmailMessage:
    message = EmailMessage()
    message["From"] = mail_from
    message["To"] = notice.email
    message["Subject"] = " ".join(f"Burden Tracker: {notice.message}".split())  # one line, whatever the title
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain=mail_from.rpartition("@")[2] or "localhost")
    lines = [notice.message, ""]
    if notice.note:
        lines += [f"Note: {notice.note}", ""]
    if notice.nomination_id is not None and nomination_address:
        lines += [f"See the nomination: {nomination_address(notice.nomination_id)}", ""]
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

"""How failed sign-ins (and failed invite links) earn a wait, and the database that keeps the count.

Each account, address or browser has a standing: the failures still inside its window and, once it has failed
too often, the wait it must sit out. The rules are plain functions of the standing and the time, so the database
here and Redis (limits.py) keep the same count the same way.

The same table keeps, for a minute, what a sign-out hands over to the sign-in page after it (limits.py).

The account holder is told by email when their account starts a wait: what happened, from which address and
when, in UTC. The email holds no password and no link a request could have chosen.
"""

import json
import logging
import math
import smtplib
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from sqlalchemy import delete, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session

from ..models import FailureTally
from .mail import SMTP_TIMEOUT_SECONDS
from .sweeping import NowAndThen

log = logging.getLogger(__name__)
MINUTE, HOUR = 60.0, 3600.0
# Old rows are deleted at most this often per process: a sign-in that fails need not also sweep the table.
_sweep = NowAndThen(10 * MINUTE)


@dataclass(frozen=True)
class Policy:
    """How many failures one key may have, and what each one past that costs."""

    allowance: int  # failures inside the moving window before the first wait
    window: float = 15 * MINUTE
    first_wait: float = 15 * MINUTE
    longest_wait: float = 4 * HOUR
    # After a wait ends, a failure this soon doubles it rather than starting the count afresh: someone guessing
    # steadily cannot wait each hold out and be given the whole allowance again.
    memory: float = 24 * HOUR


@dataclass(frozen=True)
class Standing:
    """What one key's failures have earned. Times are seconds since the epoch."""

    recent: tuple[float, ...] = ()  # failures inside the window; empty while a wait is running
    held_until: float = 0.0
    wait: float = 0.0  # the length of the last wait given, while it is remembered; 0 before any
    forget_at: float = 0.0  # from then on nothing here matters, and the record may go

    def wait_left(self, now: float) -> float:
        return max(0.0, self.held_until - now)

    def after_failure(self, policy: Policy, now: float) -> "Standing":
        if self.wait and now < self.held_until + policy.memory:
            return _held(policy, now, min(self.wait * 2, policy.longest_wait))
        recent = (*(at for at in self.recent if at > now - policy.window), now)
        if len(recent) >= policy.allowance:
            return _held(policy, now, policy.first_wait)
        return Standing(recent=recent, forget_at=max(recent) + policy.window)

    def as_of(self, now: float) -> "Standing":
        """Itself, or a blank standing once it is past forgetting (a row the purge has not reached yet)."""
        return self if now < self.forget_at else Standing()

    def dumps(self) -> str:
        return json.dumps([self.recent, self.held_until, self.wait, self.forget_at])

    @classmethod
    def loads(cls, text: str | bytes | None) -> "Standing":
        if text is None:
            return cls()
        recent, held_until, wait, forget_at = json.loads(text)
        return cls(tuple(recent), held_until, wait, forget_at)


def _held(policy: Policy, now: float, wait: float) -> Standing:
    return Standing(held_until=now + wait, wait=wait, forget_at=now + wait + policy.memory)


def held_for(seconds: float, now: float) -> Standing:
    """A plain hold with nothing to remember after it: the throttle on emails to one account holder."""
    return Standing(held_until=now + seconds, forget_at=now + seconds)


# The database's copy, for servers without Redis. A POST's own session takes SQLite's write lock as it begins
# (db.py), and a second session would wait on it: counting goes through the session the caller hands over. On
# PostgreSQL the key's row is locked while it is read and rewritten, so two workers counting one key at once both
# count.


_STANDING = (FailureTally.recent, FailureTally.held_until, FailureTally.wait_seconds, FailureTally.forget_at)


def standings(*, session: Session, keys: list[str], now: float) -> dict[str, Standing]:
    """Only reads: the caller's transaction stays as it was."""
    rows = session.execute(select(FailureTally.key, *_STANDING).where(FailureTally.key.in_(keys)))
    found = {row.key: _standing(row).as_of(now) for row in rows}
    return {key: found.get(key, Standing()) for key in keys}


def change(*, session: Session, key: str, how, now: float) -> Standing:
    """Rewrites one key's standing as how(standing) says, with the key's row locked meanwhile; the caller
    commits. Returns the new standing."""
    insert_once = (sqlite if session.get_bind().dialect.name == "sqlite" else postgresql).insert
    session.execute(insert_once(FailureTally).values(key=key, recent="", wait_seconds=0, forget_at=_moment(now))
                    .on_conflict_do_nothing(index_elements=["key"]))
    row = session.execute(select(*_STANDING).where(FailureTally.key == key).with_for_update()).one()
    new = how(_standing(row).as_of(now))
    session.execute(update(FailureTally).where(FailureTally.key == key).values(_columns(new)))
    if _sweep.due():
        purge(session=session, now=now)
    return new


def forget(*, session: Session, keys: list[str]) -> None:
    """The caller commits."""
    session.execute(delete(FailureTally).where(FailureTally.key.in_(keys)))


def keep(*, session: Session, key: str, items: list[str], now: float, until: float) -> None:
    """Keeps a few short texts under key until then, for take(); the caller commits. A row each, in the column
    a tally keeps its failure times in: too short for all of them in one."""
    session.execute(insert(FailureTally), [{"key": f"{key}/{number}", "recent": item, "wait_seconds": 0,
                                            "forget_at": _moment(until)} for number, item in enumerate(items)])
    if _sweep.due():
        purge(session=session, now=now)


def take(*, session: Session, key: str, now: float) -> list[str]:
    """What keep() put under key, deleted as it is read, so that of two takers at once only one has it; nothing
    once past its time. The caller commits."""
    kept = FailureTally.key.startswith(f"{key}/", autoescape=True)
    rows = session.execute(delete(FailureTally).where(kept)
                           .returning(FailureTally.key, FailureTally.recent, FailureTally.forget_at)).all()
    fresh = sorted((int(row.key.rpartition("/")[2]), row.recent) for row in rows if row.forget_at.timestamp() > now)
    return [item for _, item in fresh]


def purge(*, session: Session, now: float) -> int:
    return session.execute(delete(FailureTally).where(FailureTally.forget_at < _moment(now))).rowcount


def _standing(row) -> Standing:
    recent = tuple(float(at) for at in row.recent.split())
    held_until = row.held_until.timestamp() if row.held_until else 0.0
    return Standing(recent, held_until, float(row.wait_seconds), row.forget_at.timestamp())


def _columns(standing: Standing) -> dict:
    return {"recent": " ".join(f"{at:.3f}" for at in standing.recent),
            "held_until": _moment(standing.held_until) if standing.held_until else None,
            "wait_seconds": round(standing.wait), "forget_at": _moment(standing.forget_at)}


def _moment(seconds: float) -> datetime:
    return datetime.fromtimestamp(seconds, UTC)


def wait_in_words(seconds: float) -> str:
    minutes = max(1, math.ceil(seconds / MINUTE))
    if minutes < 60:
        return "1 minute" if minutes == 1 else f"{minutes} minutes"
    hours = math.ceil(minutes / 60)
    return "1 hour" if hours == 1 else f"{hours} hours"


# Telling the account holder.


@dataclass(frozen=True)
class FailureAlert:
    email: str
    address: str | None
    at: float
    wait: float  # seconds their account is held for, from then


def compose_alert(alert: FailureAlert, *, mail_from: str, base_url: str | None) -> EmailMessage:
    message = EmailMessage()
    message["From"] = mail_from
    message["To"] = alert.email
    message["Subject"] = "Burden Tracker: failed sign-ins to your account"
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain=mail_from.rpartition("@")[2] or "localhost")
    message.set_content("\n".join(_alert_lines(alert, base_url)), cte="quoted-printable")
    return message


def _alert_lines(alert: FailureAlert, base_url: str | None) -> list[str]:
    at = _moment(alert.at).strftime("%Y-%m-%d %H:%M UTC")
    site = f"Burden Tracker ({base_url})" if base_url else "Burden Tracker"
    return [
        f"Someone has typed a wrong password for your account on {site} several times in a row.",
        f"The latest attempt came from the network address {alert.address or 'unknown'} at {at}.",
        "",
        f"Sign-ins to your account are paused for {wait_in_words(alert.wait)}, except in browsers you have signed in "
        "with before: those still let you in.",
        "",
        "If this was you, nothing needs doing. If it was not, every one of those passwords was refused. If "
        "you think someone knows your password, ask an administrator for a link to set a new one.",
        "",
        "You receive this email at most once a day, while the attempts go on.",
    ]


def send_alert(alert: FailureAlert, *, smtp_host: str, smtp_port: int, mail_from: str, base_url: str | None) -> bool:
    """True once the mail server has taken it. Trouble is logged, not raised: nobody waits on this."""
    try:
        with smtplib.SMTP(smtp_host, smtp_port, timeout=SMTP_TIMEOUT_SECONDS) as smtp:
            smtp.send_message(compose_alert(alert, mail_from=mail_from, base_url=base_url))
        return True
    except (smtplib.SMTPException, OSError):
        log.exception("Could not email an account holder about failed sign-ins through %s:%s", smtp_host, smtp_port)
        return False

"""The database that keeps the count of failed sign-ins (and failed invite links), for servers without Redis.

Each account, address or browser has a standing: the failures still inside its window and, once it has failed
too often, the wait it must sit out. The rules are in waits.py; queries/sign_in_guard.py reads a standing, and
this module writes it.

The same table keeps, for a minute, what a sign-out hands over to the sign-in page after it (limits.py).

The account holder is told by email when their account starts a wait: what happened, from which address and
when, on the organization's clocks. The email holds no password and no link a request could have chosen.
"""

import logging
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import delete, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session

from .. import hours
from ..models import FailureTally
from ..queries.sign_in_guard import STANDING, standing_of
from ..waits import MINUTE, Standing, wait_in_words
from .sweeping import NowAndThen

log = logging.getLogger(__name__)
# Old rows are deleted at most this often per process: a sign-in that fails need not also sweep the table.
_sweep = NowAndThen(10 * MINUTE)


# The database's copy, for servers without Redis. A POST's own session takes SQLite's write lock as it begins
# (db.py), and a second session would wait on it: counting goes through the session the caller hands over. On
# PostgreSQL the key's row is locked while it is read and rewritten, so two workers counting one key at once both
# count.


def change(*, session: Session, key: str, how, now: float) -> Standing:
    """Rewrites one key's standing as how(standing) says, with the key's row locked meanwhile; the caller
    commits. Returns the new standing."""
    insert_once = (sqlite if session.get_bind().dialect.name == "sqlite" else postgresql).insert
    session.execute(insert_once(FailureTally).values(key=key, recent="", wait_seconds=0, forget_at=_moment(now))
                    .on_conflict_do_nothing(index_elements=["key"]))
    row = session.execute(select(*STANDING).where(FailureTally.key == key).with_for_update()).one()
    new = how(standing_of(row).as_of(now))
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


def _columns(standing: Standing) -> dict:
    return {"recent": " ".join(f"{at:.3f}" for at in standing.recent),
            "held_until": _moment(standing.held_until) if standing.held_until else None,
            "wait_seconds": round(standing.wait), "forget_at": _moment(standing.forget_at)}


def _moment(seconds: float) -> datetime:
    return datetime.fromtimestamp(seconds, UTC)


# Telling the account holder.


@dataclass(frozen=True)
class FailureAlert:
    email: str
    address: str | None
    at: float
    wait: float  # seconds their account is held for, from then
    time_zone: str = "UTC"  # the organization's, for telling when


ALERT_SUBJECT = "Burden Tracker: failed sign-ins to your account"


def alert_text(alert: FailureAlert, base_url: str | None) -> str:
    """The email's text; the job queue sends it (views/mailing.email_once_answered)."""
    return "\n".join(_alert_lines(alert, base_url))


def _alert_lines(alert: FailureAlert, base_url: str | None) -> list[str]:
    at = hours.on_clocks_of(_moment(alert.at), alert.time_zone).strftime("%Y-%m-%d %H:%M %Z")
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



"""Keeping a job that failed its last try (jobs.py), and letting an admin clear the list once it is dealt with."""

from sqlalchemy import delete
from sqlmodel import Session

from ..enums import Role
from ..errors import DomainError
from ..models import FailedJob, User

MOST_SAID = 500


def keep_failure(*, session: Session, job: str, error: str, tries: int) -> None:
    said = " ".join(error.split())
    session.add(FailedJob(job=job[:64], error=said[:MOST_SAID - 1] + "…" if len(said) > MOST_SAID else said,
                          tries=tries))
    session.commit()


def clear_failures(*, session: Session, actor: User) -> int:
    if not actor.has_role(Role.ADMIN):
        raise DomainError("Only admins clear the failed jobs.")
    cleared = session.exec(delete(FailedJob)).rowcount
    session.commit()
    return cleared

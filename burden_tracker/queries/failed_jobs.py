"""The jobs that failed their last try, newest first, as /admin/jobs lists them."""

from sqlmodel import Session, func, select

from ..models import FailedJob

SHOWN = 100


def recent_failures(*, session: Session) -> tuple[list[FailedJob], int]:
    """The SHOWN newest, and how many there are in all."""
    failures = session.exec(select(FailedJob).order_by(FailedJob.failed_at.desc(), FailedJob.id.desc())
                            .limit(SHOWN)).all()
    return list(failures), session.exec(select(func.count()).select_from(FailedJob)).one()

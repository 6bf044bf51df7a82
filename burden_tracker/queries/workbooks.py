"""The quarters' workbooks kept in the database (services/workbooks.py writes them): which one answers a reader,
how far one being written has got, and its file's parts in order."""

from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlmodel import Session

from ..enums import WorkbookState
from ..models import Nomination, Workbook, WorkbookPart

# A workbook whose writing has not moved for this long was left by a worker that stopped: it is asked for again.
STALLED = timedelta(minutes=5)
# A reader's workbook of a quarter not closed answers them again for this long, then one as of then is written.
PREPARED_SERVES_FOR = timedelta(minutes=15)
UNDER_WAY = (WorkbookState.QUEUED, WorkbookState.WRITING)


def kept_for(*, session: Session, quarter: str, closing_id: int, now: datetime,
             site_id: int | None = None) -> Workbook | None:
    """The closed quarter's workbook (the health system's, or a site's), ready or under way, for every reader."""
    return _latest(session, now, Workbook.quarter == quarter, Workbook.closing_id == closing_id, _of(site_id))


def prepared_for(*, session: Session, quarter: str, reader_id: int, now: datetime,
                 site_id: int | None = None) -> Workbook | None:
    """The reader's own workbook of a quarter not closed (the health system's, or a site's): under way, or ready
    within PREPARED_SERVES_FOR."""
    found = _latest(session, now, Workbook.quarter == quarter, Workbook.closing_id.is_(None),
                    Workbook.requested_by_id == reader_id, _of(site_id))
    if found and found.state == WorkbookState.READY and now - found.updated_at > PREPARED_SERVES_FOR:
        return None
    return found


def _of(site_id: int | None):
    return Workbook.site_id.is_(None) if site_id is None else Workbook.site_id == site_id


def _latest(session: Session, now: datetime, *where) -> Workbook | None:
    """The newest workbook neither failed nor stalled."""
    return session.scalars(
        select(Workbook).where(*where, Workbook.state != WorkbookState.FAILED)
        .where((Workbook.state == WorkbookState.READY) | (Workbook.updated_at >= now - STALLED))
        .order_by(Workbook.id.desc()).limit(1)).first()


def stalled(workbook: Workbook, now: datetime) -> bool:
    return workbook.state in UNDER_WAY and now - workbook.updated_at > STALLED


def part(*, session: Session, workbook_id: int, position: int) -> bytes | None:
    """The file's part at this position (0 first), or None past its end."""
    return session.scalar(select(WorkbookPart.data).where(WorkbookPart.workbook_id == workbook_id,
                                                         WorkbookPart.position == position))


def more_nominations_than(*, session: Session, count: int) -> bool:
    """Whether the program holds more than `count` nominations, counting no further than one past it (a quarter's
    workbook has about as many rows as nominations)."""
    first = select(Nomination.id).limit(count + 1).subquery()
    return session.scalar(select(func.count()).select_from(first)) > count

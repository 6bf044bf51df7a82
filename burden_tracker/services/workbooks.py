"""A quarter's workbook written by the job queue and kept in the database, in parts, so that a download streams it.

A closed quarter's workbook is written once, as it is closed, and served as it was kept to every reader: it
changes only when the quarter is reopened or a redaction reaches it, and both forget it here. A quarter not closed
is written while its reader waits when the program is small (views/reports.py); past WORKBOOK_IN_REQUEST_UP_TO
nominations it is written by a job too, for that reader, whose page shows how far it has got.

Kept in the database, not in files: several app servers and workers share it, a backup holds it, and forgetting it
is part of the transaction that reopens or redacts.
"""

import logging
import tempfile
from dataclasses import dataclass
from datetime import datetime, timedelta

from lxml.etree import SerialisationError
from sqlalchemy import delete, insert, or_, select, update
from sqlalchemy.exc import OperationalError
from sqlmodel import Session

from ..enums import WorkbookState
from ..export import write_workbook
from ..models import QuarterClosing, User, Workbook, WorkbookPart, utc_now
from ..naming import SYSTEM, person_named
from ..queries import workbooks
from ..queries.reporting import parse_quarter

log = logging.getLogger(__name__)
PART_BYTES = 1024 * 1024
TO_WRITE = "workbooks_to_write"  # session.info: workbooks to queue once the change is committed
FORGOTTEN_AFTER = timedelta(days=1)  # a reader's own workbook, and one that failed
# What each writer says of a full disk: the file system, the database, or lxml (which wraps a failed write).
COULD_NOT_WRITE = (OSError, OperationalError, SerialisationError)
DISK = "The server could not write it (its disk may be full)."


@dataclass(frozen=True)
class Ready:
    workbook: Workbook


@dataclass(frozen=True)
class UnderWay:
    workbook: Workbook
    new: bool  # asked for just now: to be queued, or written at once
    at_once: bool = False  # small enough to write while the reader waits


def ask_for(*, session: Session, quarter_key: str, closing_id: int | None, reader_id: int, in_request_up_to: int,
            now: datetime | None = None, site_id: int | None = None) -> Ready | UnderWay | None:
    """What answers a reader asking for the quarter's workbook (of one site, when site_id is given): one ready, or
    one under way (made here when none was); or None, when the quarter is not closed and the program small enough
    to write it in the request."""
    now = now or utc_now()
    small = not workbooks.more_nominations_than(session=session, count=in_request_up_to)
    closing = closing_id and session.get(QuarterClosing, closing_id, with_for_update=True)  # one at a time
    if closing and closing.reopened_at is None:  # not reopened since the request read it
        found = workbooks.kept_for(session=session, quarter=quarter_key, closing_id=closing_id, now=now,
                                   site_id=site_id)
        if found is None:
            return UnderWay(_new(session, quarter_key, closing_id, None, now, site_id), new=True, at_once=small)
        if found.state == WorkbookState.QUEUED and small:  # no need to wait for the worker: its job will find
            session.commit()                               # it claimed, and do nothing
            return UnderWay(found, new=True, at_once=True)
    else:
        found = workbooks.prepared_for(session=session, quarter=quarter_key, reader_id=reader_id, now=now,
                                       site_id=site_id)
        if found is None:
            return None if small else UnderWay(_new(session, quarter_key, None, reader_id, now, site_id), new=True)
    session.commit()
    return Ready(found) if found.state == WorkbookState.READY else UnderWay(found, new=False)


def keep_when_closed(session: Session, quarter_key: str, closing_id: int) -> None:
    """In the transaction that closes the quarter: its workbook, to write once it is committed."""
    workbook = Workbook(quarter=quarter_key, closing_id=closing_id)
    session.add(workbook)
    session.flush()
    session.info.setdefault(TO_WRITE, []).append(workbook.id)


def _new(session: Session, quarter_key: str, closing_id: int | None, reader_id: int | None,
         now: datetime, site_id: int | None) -> Workbook:
    workbook = Workbook(quarter=quarter_key, closing_id=closing_id, requested_by_id=reader_id, requested_at=now,
                        updated_at=now, site_id=site_id)
    session.add(workbook)
    session.commit()
    return workbook


def write(*, reader: Session, writer: Session, workbook_id: int) -> None:
    """Writes the workbook, reading through `reader` (read-only: on SQLite it takes no lock) while `writer` notes
    its progress, then keeps it. Claimed first, so that two workers never write the same one. A disk that cannot
    hold it marks it failed, for the reader to ask again; any other failure too, and is raised for the queue."""
    workbook = _claimed(writer, workbook_id)
    if workbook is None:
        return

    def progress(rows: int) -> None:
        _still_writing(writer, workbook_id, rows_written=Workbook.rows_written + rows)
        writer.commit()

    with tempfile.TemporaryFile() as file:
        try:
            quarter = parse_quarter(session=reader, text=workbook.quarter)
            write_workbook(session=reader, quarter=quarter, destination=file, progress=progress,
                           generated_by=_generated_by(reader, workbook), site_id=workbook.site_id)
            reader.rollback()  # its reading is done: end the transaction before the long write below
            _keep(writer, workbook_id, file)
        except _Forgotten:  # reopened or redacted meanwhile: nobody wants it now
            writer.rollback()
        except COULD_NOT_WRITE:
            log.exception("The workbook of %s could not be written", workbook.quarter)
            _failed(writer, workbook_id, DISK)
        except BaseException:
            _failed(writer, workbook_id, "It stopped before it was written: tell your administrator.")
            raise


def _claimed(writer: Session, workbook_id: int) -> Workbook | None:
    claimed = writer.execute(update(Workbook).where(Workbook.id == workbook_id,
                                                    Workbook.state == WorkbookState.QUEUED)
                             .values(state=WorkbookState.WRITING, updated_at=utc_now())).rowcount
    workbook = writer.get(Workbook, workbook_id) if claimed else None
    writer.commit()  # a read begins a transaction, which on SQLite would hold the write lock until the first rows
    return workbook


class _Forgotten(Exception):
    """The workbook being written was forgotten (services/closing.py): its rows are gone."""


def _still_writing(writer: Session, workbook_id: int, **values) -> None:
    """Updates the workbook being written; raises _Forgotten when it is no longer there. Ids are never used again
    (AUTOINCREMENT on SQLite, a sequence on PostgreSQL), so a forgotten one cannot be mistaken for a new one."""
    found = writer.execute(update(Workbook).where(Workbook.id == workbook_id, Workbook.state == WorkbookState.WRITING)
                           .values(updated_at=utc_now(), **values)).rowcount
    if not found:
        raise _Forgotten


def _generated_by(session: Session, workbook: Workbook) -> str:
    """A closed quarter's workbook says who closed it instead."""
    if workbook.requested_by_id is None:
        return SYSTEM
    person = session.get(User, workbook.requested_by_id)
    return person_named(person.name, person.email)


def _keep(writer: Session, workbook_id: int, file) -> None:
    """The file in parts of PART_BYTES, one at a time: memory holds one part, whatever the file's size."""
    file.seek(0)
    position = size = 0
    _still_writing(writer, workbook_id)  # and held, on PostgreSQL, until its parts are in
    while data := file.read(PART_BYTES):
        writer.execute(insert(WorkbookPart).values(workbook_id=workbook_id, position=position, data=data))
        position, size = position + 1, size + len(data)
    writer.execute(update(Workbook).where(Workbook.id == workbook_id)
                   .values(state=WorkbookState.READY, size=size, updated_at=utc_now()))
    writer.commit()


def _failed(writer: Session, workbook_id: int, problem: str) -> None:
    writer.rollback()
    writer.execute(delete(WorkbookPart).where(WorkbookPart.workbook_id == workbook_id))
    writer.execute(update(Workbook).where(Workbook.id == workbook_id)
                   .values(state=WorkbookState.FAILED, problem=problem, updated_at=utc_now()))
    writer.commit()


def queue_failed(session: Session, workbook_id: int) -> None:
    """Its job could not be queued: said on its page, so that nobody waits for it. Commits."""
    session.execute(update(Workbook).where(Workbook.id == workbook_id, Workbook.state == WorkbookState.QUEUED)
                    .values(state=WorkbookState.FAILED, updated_at=utc_now(),
                            problem="The job queue could not be reached: try again later, or tell your administrator."))
    session.commit()


def forget(session: Session, *, closing_id: int | None = None) -> None:
    """In the caller's transaction: the closing's kept workbook (it is reopened), or, with no closing, every
    workbook (a redaction: any of them may hold the removed words)."""
    chosen = select(Workbook.id) if closing_id is None else select(Workbook.id).where(
        Workbook.closing_id == closing_id)
    _delete(session, chosen)


def forget_old(*, session: Session, now: datetime | None = None) -> None:
    """Readers' own workbooks, failed ones and ones a stopped worker left, a day on. Commits."""
    before = (now or utc_now()) - FORGOTTEN_AFTER
    _delete(session, select(Workbook.id).where(
        Workbook.updated_at < before,
        or_(Workbook.closing_id.is_(None), Workbook.state != WorkbookState.READY)))
    session.commit()


def _delete(session: Session, chosen) -> None:
    ids = list(session.scalars(chosen))
    if ids:
        session.execute(delete(WorkbookPart).where(WorkbookPart.workbook_id.in_(ids)))
        session.execute(delete(Workbook).where(Workbook.id.in_(ids)))

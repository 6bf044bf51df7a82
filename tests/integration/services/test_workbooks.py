"""A closed quarter's workbook written once and kept, in parts, for every reader until the quarter is reopened or a
redaction reaches it; a large program's workbook written by a job for its reader alone; on both databases."""

import io
from datetime import timedelta

import openpyxl
import pytest
from sqlalchemy import func, select

from burden_tracker import hours
from burden_tracker.db import open_session
from burden_tracker.enums import Role, WorkbookState
from burden_tracker.models import Site, Workbook, WorkbookPart, utc_now
from burden_tracker.queries import workbooks as kept
from burden_tracker.services import workbooks
from burden_tracker.services.closing import close_quarter, reopen_quarter
from burden_tracker.services.metrics_import import import_metrics
from burden_tracker.services.redaction import redact
from burden_tracker.services.sheet_files import read_upload
from tests.support.factories import make_user
from tests.support.reporting_data import build_program

Q3, Q4 = hours.Quarter(2026, 3), hours.Quarter(2026, 4)
SMALL, LARGE = 100_000, 0  # WORKBOOK_IN_REQUEST_UP_TO: past it, a quarter not closed is written by a job


@pytest.fixture
def program(session):
    return build_program(session)


@pytest.fixture
def closing(session, program):
    admin = make_user(session, Role.ADMIN, name="Ada Admin")
    return close_quarter(session=session, quarter=Q3, actor_id=admin.id, closed_by=admin.name)


def write(engine, workbook_id: int) -> None:
    """As the job does (jobs.write_workbook_now)."""
    with open_session(engine, read_only=True) as reader, open_session(engine) as writer:
        workbooks.write(reader=reader, writer=writer, workbook_id=workbook_id)


def the_file(session, workbook_id: int) -> bytes:
    parts, position = [], 0
    while (data := kept.part(session=session, workbook_id=workbook_id, position=position)) is not None:
        parts.append(data)
        position += 1
    return b"".join(parts)


def sheet_values(data: bytes) -> dict[str, list[tuple]]:
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    try:
        return {sheet.title: list(sheet.iter_rows(values_only=True)) for sheet in book.worksheets}
    finally:
        book.close()


def ask(session, reader, quarter=Q3, closing=None, up_to=SMALL, now=None):
    return workbooks.ask_for(session=session, quarter_key=quarter.key, closing_id=closing.id if closing else None,
                             reader_id=reader.id, in_request_up_to=up_to, now=now)


def test_closing_a_quarter_queues_its_workbook_which_is_then_kept_in_parts_for_every_reader(
        session, engine, closing, monkeypatch):
    queued = session.scalars(select(Workbook)).one()
    assert (queued.quarter, queued.closing_id, queued.state) == ("2026-Q3", closing.id, WorkbookState.QUEUED)
    assert session.info[workbooks.TO_WRITE] == [queued.id]
    monkeypatch.setattr(workbooks, "PART_BYTES", 4096)  # several parts, so that their order counts
    session.commit()
    write(engine, queued.id)
    session.expire_all()
    ready = session.get(Workbook, queued.id)
    data = the_file(session, ready.id)
    assert ready.state == WorkbookState.READY and ready.size == len(data) and ready.rows_written > 0
    assert session.scalar(select(func.count()).select_from(WorkbookPart)) == -(-len(data) // 4096) > 1
    values = sheet_values(data)
    assert {"Summary", "Retired", "Pipeline", "Assumptions"} <= set(values)
    assert ("Closed by", "Ada Admin") in [row[:2] for row in values["Assumptions"]]
    one, other = make_user(session, Role.EXECUTIVE), make_user(session, Role.BOARD)
    assert ask(session, one, closing=closing) == ask(session, other, closing=closing) == workbooks.Ready(ready)


def test_a_workbook_is_written_once_however_often_its_job_runs(session, engine, closing):
    queued = session.scalars(select(Workbook)).one()
    session.commit()
    write(engine, queued.id)
    write(engine, queued.id)  # a job run twice, or by two workers: the second finds it claimed
    assert session.scalar(select(func.count()).select_from(WorkbookPart)) == 1


def test_reopening_the_quarter_forgets_its_kept_workbook_and_closing_again_keeps_a_new_one(session, engine, closing):
    first = session.scalars(select(Workbook)).one()
    session.commit()
    write(engine, first.id)
    reopen_quarter(session=session, quarter=Q3, actor_id=None, reason="A retirement was dated in the wrong month.")
    assert session.scalars(select(Workbook)).all() == []
    assert session.scalar(select(func.count()).select_from(WorkbookPart)) == 0
    again = close_quarter(session=session, quarter=Q3, actor_id=None, closed_by="an operator")
    assert session.scalars(select(Workbook.closing_id)).all() == [again.id]


def test_a_redaction_forgets_every_kept_workbook_since_any_may_hold_the_removed_words(session, engine, program,
                                                                                       closing):
    queued = session.scalars(select(Workbook)).one()
    session.commit()
    write(engine, queued.id)
    retired, title = program.mid, program.mid.title
    assert any(title in row for row in sheet_values(the_file(session, queued.id))["Retired"])
    board = make_user(session, Role.BOARD)
    redact(session=session, nomination_id=retired.id, key="title", actor=board)
    assert session.scalars(select(Workbook)).all() == []
    reader = make_user(session, Role.EXECUTIVE)
    written_again = ask(session, reader, closing=closing)
    assert isinstance(written_again, workbooks.UnderWay) and written_again.new and written_again.at_once
    write(engine, written_again.workbook.id)
    assert not any(title in row
                   for row in sheet_values(the_file(session, written_again.workbook.id))["Retired"])


def test_a_quarter_not_closed_is_written_in_the_request_while_the_program_is_small(session, program):
    reader = make_user(session, Role.EXECUTIVE)
    assert ask(session, reader, quarter=Q4) is None
    assert session.scalars(select(Workbook)).all() == []


def test_a_large_programs_workbook_is_its_readers_own_and_answers_them_a_while(session, engine, program):
    reader, other = make_user(session, Role.EXECUTIVE), make_user(session, Role.BOARD, name="Bo Board")
    asked = ask(session, reader, quarter=Q4, up_to=LARGE)
    assert isinstance(asked, workbooks.UnderWay) and asked.new and not asked.at_once
    assert ask(session, reader, quarter=Q4, up_to=LARGE) == workbooks.UnderWay(asked.workbook, new=False)
    others = ask(session, other, quarter=Q4, up_to=LARGE)
    assert others.workbook.id != asked.workbook.id
    write(engine, others.workbook.id)
    session.expire_all()
    values = sheet_values(the_file(session, others.workbook.id))
    assert ("Generated by", "Bo Board") in [row[:2] for row in values["Assumptions"]]
    ready = ask(session, other, quarter=Q4, up_to=LARGE)
    assert isinstance(ready, workbooks.Ready) and ready.workbook.id == others.workbook.id
    later = utc_now() + kept.PREPARED_SERVES_FOR + timedelta(seconds=1)
    fresh = ask(session, other, quarter=Q4, up_to=LARGE, now=later)
    assert isinstance(fresh, workbooks.UnderWay) and fresh.new and fresh.workbook.id != others.workbook.id


def test_a_workbook_whose_writing_stalled_is_asked_for_anew(session, program):
    reader = make_user(session, Role.EXECUTIVE)
    stalled = ask(session, reader, quarter=Q4, up_to=LARGE).workbook
    later = utc_now() + kept.STALLED + timedelta(seconds=1)
    assert kept.stalled(session.get(Workbook, stalled.id), later)
    anew = ask(session, reader, quarter=Q4, up_to=LARGE, now=later)
    assert anew.new and anew.workbook.id != stalled.id


def test_a_workbook_that_cannot_be_written_is_marked_failed_and_the_failure_raised(session, engine):
    broken = Workbook(quarter="not a quarter")
    session.add(broken)
    session.commit()
    with pytest.raises(ValueError):
        write(engine, broken.id)
    session.expire_all()
    failed = session.get(Workbook, broken.id)
    assert failed.state == WorkbookState.FAILED and "tell your administrator" in failed.problem


def test_readers_own_and_failed_workbooks_are_forgotten_a_day_on_and_kept_ones_stay(session, engine, closing):
    kept_one = session.scalars(select(Workbook)).one()
    session.commit()
    write(engine, kept_one.id)
    reader = make_user(session, Role.EXECUTIVE)
    own = ask(session, reader, quarter=Q4, up_to=LARGE).workbook
    write(engine, own.id)
    workbooks.forget_old(session=session, now=utc_now() + timedelta(hours=23))
    assert sorted(session.scalars(select(Workbook.id))) == sorted([kept_one.id, own.id])
    workbooks.forget_old(session=session, now=utc_now() + workbooks.FORGOTTEN_AFTER + timedelta(seconds=1))
    assert session.scalars(select(Workbook.id)).all() == [kept_one.id]


def test_a_workbook_forgotten_while_written_is_dropped_quietly_and_its_id_never_given_again(
        session, engine, closing, monkeypatch):
    """A redaction commits while the job writes: the job keeps nothing, and the next workbook has a new id, so the
    old job could never write into it. The job holds no lock meanwhile: another writer goes straight in."""
    queued = session.scalars(select(Workbook)).one()
    session.commit()
    real = workbooks.write_workbook

    def meanwhile(**arguments):
        with open_session(engine) as other:  # would wait, then fail, were the job holding SQLite's write lock
            other.add(Site(name="Kapolei clinic"))
            other.commit()
        real(**arguments)
        with open_session(engine) as other:
            workbooks.forget(other)
            other.commit()

    monkeypatch.setattr(workbooks, "write_workbook", meanwhile)
    write(engine, queued.id)
    assert session.scalars(select(Workbook)).all() == []
    assert session.scalar(select(func.count()).select_from(WorkbookPart)) == 0
    again = ask(session, make_user(session, Role.EXECUTIVE), closing=closing)
    assert again.workbook.id > queued.id


def test_a_quarter_reopened_since_the_request_read_it_gets_no_kept_workbook(session, closing, program):
    reopen_quarter(session=session, quarter=Q3, actor_id=None, reason="A retirement was dated in the wrong month.")
    assert ask(session, make_user(session, Role.EXECUTIVE), closing=closing) is None  # written in the request
    assert session.scalars(select(Workbook)).all() == []


def test_a_kept_workbook_still_queued_is_written_at_once_for_a_small_program(session, closing):
    queued = session.scalars(select(Workbook)).one()  # its job has not run: the worker is busy, or down
    asked = ask(session, make_user(session, Role.EXECUTIVE), closing=closing)
    assert asked == workbooks.UnderWay(queued, new=True, at_once=True)


def test_new_ehr_metrics_forget_the_kept_workbooks_whose_measured_sheet_they_change(session, engine, closing):
    kept_one = session.scalars(select(Workbook)).one()
    session.commit()
    write(engine, kept_one.id)
    export = ("Department,Month,Metric,Numerator,Denominator,Clinicians\n"
              "Emergency Department,2026-08-01,WOW8,12.5,400,20\n")
    assert import_metrics(session=session, table=read_upload(io.BytesIO(export.encode()), "metrics.csv")).ok
    assert session.scalars(select(Workbook)).all() == []


def test_a_sites_workbook_of_a_closed_quarter_is_kept_apart_from_the_health_systems(session, engine, closing):
    reader = make_user(session, Role.EXECUTIVE)
    whole = session.scalars(select(Workbook)).one()
    site_id = session.scalars(select(Site.id)).first()
    first = workbooks.ask_for(
        session=session, quarter_key=Q3.key, closing_id=closing.id, reader_id=reader.id, in_request_up_to=SMALL,
        site_id=site_id)
    assert first.workbook.id != whole.id and first.workbook.site_id == site_id
    assert (first.workbook.requested_by_id, first.new) == (None, True)  # kept for every reader of the site
    write(engine, whole.id)
    write(engine, first.workbook.id)
    session.expire_all()  # written through sessions of their own
    again = workbooks.ask_for(session=session, quarter_key=Q3.key, closing_id=closing.id, reader_id=reader.id,
                              in_request_up_to=SMALL, site_id=site_id)
    assert isinstance(again, workbooks.Ready) and again.workbook.id == first.workbook.id
    assert sheet_values(the_file(session, first.workbook.id))["Summary"][0][0] == (
        "Burden Tracker quarterly report 2026-Q3: Main site")
    assert sheet_values(the_file(session, whole.id))["Summary"][0][0] == "Burden Tracker quarterly report 2026-Q3"

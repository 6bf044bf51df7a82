"""The jobs the worker runs (burden_tracker/jobs.py): the morning round at DIGEST_HOUR on the organization's clocks,
through a real SMTP server, and the queues JOBS_URL may name. tests/system/test_worker.py runs a real worker."""

import os
import uuid
from datetime import UTC, date, datetime

import psycopg
import pytest
from sqlalchemy.engine import make_url
from sqlmodel import select

from burden_tracker import create_app
from burden_tracker.enums import NoticeEmail, Role
from burden_tracker.jobs import make_queue, morning_round
from burden_tracker.models import Notification, Settings
from burden_tracker.services.nominations import comment
from burden_tracker.services.notices import set_notice_email
from tests.support.factories import make_nomination, make_user
from tests.support.statistics import forget_statistics, nominations_analyzed

MONDAY_7_IN_CHICAGO = datetime(2026, 12, 7, 13, 0, tzinfo=UTC)  # 07:00 CST
TUESDAY_7_IN_CHICAGO = datetime(2026, 12, 8, 13, 0, tzinfo=UTC)
TUESDAY_8_IN_CHICAGO = datetime(2026, 12, 8, 14, 0, tzinfo=UTC)


@pytest.fixture
def morning(app, session, inbox):
    """A daily reader, a weekly reader, each with a notice not yet emailed, and a board member whose evaluation is
    due on Tuesday 8 December."""
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=inbox.port, MAIL_FROM="tracker@hospital.test",
                      BASE_URL="https://burden.hospital.test/", DIGEST_HOUR=7)
    session.get(Settings, 1).time_zone = "America/Chicago"
    daily = make_user(session, email="daily@hospital.test")
    weekly = make_user(session, email="weekly@hospital.test")
    set_notice_email(session=session, user_id=daily.id, choice=NoticeEmail.DAILY)
    set_notice_email(session=session, user_id=weekly.id, choice=NoticeEmail.WEEKLY)
    for reader in (daily, weekly):
        comment(session=session, nomination_id=make_nomination(session, submitter=reader).id,
                author=make_user(session), body="Same here.")
    owner = make_user(session, Role.BOARD)
    make_nomination(session, title="Due on Tuesday", owner_id=owner.id, due_on=date(2026, 12, 8))
    session.commit()
    return owner


def reminders(session, owner) -> list[str]:
    found = session.exec(select(Notification.message).where(Notification.user_id == owner.id)).all()
    session.commit()
    return list(found)


def test_the_morning_round_reminds_owners_then_sends_the_daily_digests(app, session, inbox, morning):
    morning_round(app, TUESDAY_7_IN_CHICAGO)
    assert reminders(session, morning) == ["“Due on Tuesday” is due for evaluation today: its evaluation is yours."]
    assert [recipients for recipients, _ in inbox.received] == [["daily@hospital.test"]]


def test_the_morning_round_refreshes_the_planners_statistics(app, engine, inbox, morning):
    forget_statistics(engine)
    assert not nominations_analyzed(engine)
    morning_round(app, TUESDAY_8_IN_CHICAGO)  # not its hour
    assert not nominations_analyzed(engine)
    morning_round(app, TUESDAY_7_IN_CHICAGO)
    assert nominations_analyzed(engine)


def test_the_weekly_digests_go_on_mondays_only(app, session, inbox, morning):
    morning_round(app, MONDAY_7_IN_CHICAGO)
    assert sorted(recipients[0] for recipients, _ in inbox.received) == ["daily@hospital.test",
                                                                         "weekly@hospital.test"]


def test_at_any_other_hour_the_round_does_nothing(app, session, inbox, morning):
    morning_round(app, TUESDAY_8_IN_CHICAGO)
    assert reminders(session, morning) == [] and inbox.received == []


def test_without_a_mail_server_the_round_still_reminds_in_the_app(app, session, inbox, morning):
    app.config["SMTP_HOST"] = None
    morning_round(app, TUESDAY_7_IN_CHICAGO)
    assert len(reminders(session, morning)) == 1 and inbox.received == []


def test_a_jobs_url_naming_no_queue_stops_the_app_at_start(database_url):
    with pytest.raises(ValueError, match="JOBS_URL must start with sqlite:///, redis:// or postgresql://"):
        create_app({"DATABASE_URL": database_url, "SECRET_KEY": "k", "JOBS_URL": "amqp://broker/"})


@pytest.fixture
def queue_database():
    """A PostgreSQL database of the test's own: the queue's tables stay out of the app's, which migrations own."""
    admin = make_url(os.environ.get("TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"))
    admin_dsn = admin.set(drivername="postgresql").render_as_string(hide_password=False)
    name = f"bt_jobs_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    with psycopg.connect(admin_dsn, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    yield admin.set(database=name).render_as_string(hide_password=False)
    with psycopg.connect(admin_dsn, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.parametrize("server", ["redis", "postgresql"])
def test_a_redis_or_postgresql_queue_keeps_what_is_queued_for_a_worker(server, request):
    """The servers the tests run: make test starts Redis and PostgreSQL where none answers."""
    url = "redis://127.0.0.1:6379/15" if server == "redis" else request.getfixturevalue("queue_database")
    queue = make_queue(url)
    try:
        queue.flush()
        queue.task(name="noted")(lambda: None)()
        assert queue.pending_count() == 1
        assert queue.dequeue() is not None and queue.pending_count() == 0
    finally:
        queue.flush()
        queue.storage.close()

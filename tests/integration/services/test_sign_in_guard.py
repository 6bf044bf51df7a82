"""The database's count of failed sign-ins (services/sign_in_guard.py), on SQLite and PostgreSQL: the waits it
gives, what it forgets and when, two workers counting one key at once, and `serve` without Redis refusing the
sixth failure whichever workers the first five reached."""

import json
import threading
import time
import uuid
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from burden_tracker import limits
from burden_tracker.db import open_session
from burden_tracker.enums import Role
from burden_tracker.models import FailureTally
from burden_tracker.queries.sign_in_guard import standings
from burden_tracker.services import sign_in_guard
from burden_tracker.services.users import add_user
from tests.support.serving import Visit, at_once, served
from tests.support.web import ACCOUNT_MESSAGE, PASSWORD

MINUTE, HOUR = 60, 3600
START = 1_900_000_000.0  # a fixed moment, so that every wait below is exact


@pytest.fixture
def counters(app):
    with app.app_context():
        yield limits.sign_in_counters("nurse@example.org", "10.0.0.7")


def fail_at(app, session, counters, *moments) -> list[dict]:
    """One failure against the counters at each moment; what each one began, by scope, in seconds."""
    began = []
    with app.app_context():
        for moment in moments:
            waits = limits.count_failure(counters, session=session, now=START + moment)
            began.append({counter.scope: seconds for counter, seconds in waits.items()})
    return began


def wait_at(app, session, counters, moment) -> tuple[str, int] | None:
    with app.app_context():
        refused = limits.refusal(counters, session=session, now=START + moment)
    return refused and (refused.scope, refused.seconds)


def test_the_fifth_failure_within_the_window_begins_a_quarter_hours_wait(app, session, counters):
    began = fail_at(app, session, counters, 0, 60, 120, 180, 240)
    assert began == [{}, {}, {}, {}, {"account": 15 * MINUTE}]
    assert wait_at(app, session, counters, 240) == ("account", 15 * MINUTE)
    assert wait_at(app, session, counters, 240 + 10 * MINUTE) == ("account", 5 * MINUTE)
    assert wait_at(app, session, counters, 240 + 15 * MINUTE) is None


def test_each_failure_after_a_wait_doubles_it_up_to_four_hours(app, session, counters):
    fail_at(app, session, counters, 0, 1, 2, 3, 4)
    moment, waits = 4, []
    for _ in range(6):
        moment += 15 * MINUTE if not waits else waits[-1]
        [began] = fail_at(app, session, counters, moment)
        waits.append(began["account"])
    assert waits == [30 * MINUTE, HOUR, 2 * HOUR, 4 * HOUR, 4 * HOUR, 4 * HOUR]


def test_failures_age_out_of_the_window_one_by_one(app, session, counters):
    """A moving window: a failure counts for a quarter of an hour exactly, not until some clock's quarter ends."""
    fail_at(app, session, counters, 0, 1, 2, 3)
    assert fail_at(app, session, counters, 15 * MINUTE + 0.5) == [{}]  # the first has just aged out
    assert fail_at(app, session, counters, 15 * MINUTE + 0.6) == [{"account": 15 * MINUTE}]


def test_a_burst_at_the_edge_of_the_window_cannot_double_the_allowance(app, session, counters):
    assert fail_at(app, session, counters, 14 * MINUTE, 14 * MINUTE, 14 * MINUTE, 14 * MINUTE) == [{}] * 4
    assert fail_at(app, session, counters, 16 * MINUTE) == [{"account": 15 * MINUTE}]


def test_a_day_after_the_last_wait_ends_the_account_starts_afresh(app, session, counters):
    fail_at(app, session, counters, 0, 1, 2, 3, 4)
    ended = 4 + 15 * MINUTE
    assert fail_at(app, session, counters, ended + 24 * HOUR + 1) == [{}]
    assert fail_at(app, session, counters, *(ended + 24 * HOUR + n for n in (2, 3, 4, 5))) == [{}, {}, {},
                                                                                           {"account": 15 * MINUTE}]


def test_the_address_has_its_own_allowance(app, session):
    with app.app_context():
        guesses = [limits.sign_in_counters(f"someone{n}@example.org", "10.0.0.7") for n in range(21)]
    began = [fail_at(app, session, counters, n)[0] for n, counters in enumerate(guesses[:20])]
    assert began[:19] == [{}] * 19 and began[19] == {"address": 15 * MINUTE}
    assert wait_at(app, session, guesses[20], 19) == ("address", 15 * MINUTE)


def test_a_good_sign_in_forgets_the_account_but_not_the_address(app, session, counters):
    fail_at(app, session, counters, 0, 1, 2, 3)
    with app.app_context():
        limits.forget_failures(counters, session=session)
    assert fail_at(app, session, counters, 4) == [{}]
    with app.app_context():
        standing = standings(session=session, keys=[counter.key for counter in counters],
                                           now=START + 4)
    assert [len(standing[counter.key].recent) for counter in counters] == [1, 5]


def test_rows_past_forgetting_are_purged(app, session, counters):
    fail_at(app, session, counters, 0)
    assert sign_in_guard.purge(session=session, now=START + 15 * MINUTE - 1) == 0
    assert sign_in_guard.purge(session=session, now=START + 15 * MINUTE + 1) == 2
    session.commit()
    assert session.scalar(select(func.count()).select_from(FailureTally)) == 0


def test_the_database_holds_no_email_or_address_in_clear(app, session, counters):
    fail_at(app, session, counters, 0)
    stored = json.dumps([list(row) for row in session.execute(select(FailureTally.__table__))], default=str)
    assert "nurse@example.org" not in stored and "10.0.0.7" not in stored


def test_workers_counting_one_account_at_once_each_count(app, engine, counters):
    """Each thread is a worker with a session of its own; none of their failures is lost."""
    errors = []

    def worker(moment: float) -> None:
        try:
            with app.app_context(), open_session(engine) as own:
                limits.count_failure(counters, session=own, now=START + moment)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=worker, args=(n / 10,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    with open_session(engine) as own:
        assert fail_at(app, own, counters, 1) == [{"account": 15 * MINUTE}]


# `serve` without Redis: the workers count in the database together.


def test_the_sixth_failure_is_refused_across_workers_without_redis(session, database_url, tmp_path):
    """Two `serve --workers 2` on one database, so that the failures surely reach different worker processes:
    three go to one server at once, two to the other, and both refuse the sixth, at once."""
    email = f"nurse-{uuid.uuid4().hex[:8]}@guard.test"
    add_user(session=session, email=email, roles={Role.STAFF}, password=PASSWORD)
    logs = [tmp_path / "first.log", tmp_path / "second.log"]
    with (served(database_url, logs[0], workers=2) as (first, _first_process),
          served(database_url, logs[1], workers=2) as (second, _second_process)):
        visits = [Visit(first, "127.0.0.1"), Visit(second, "127.0.0.1")]
        statuses = at_once(lambda: visits[0].sign_in(email, "not the password")[0], 3)
        statuses += at_once(lambda: visits[1].sign_in(email, "not the password")[0], 2)
        sixth = [visit.sign_in(email, PASSWORD) for visit in visits]
        refusals = [timed(visits[n % 2].sign_in, email, PASSWORD) for n in range(10)]
    assert statuses == [422] * 5
    for status, headers, page in sixth:
        assert status == 429 and ACCOUNT_MESSAGE in page and 0 < int(headers["Retry-After"]) <= 15 * MINUTE
    assert [answer[0] for answer, _seconds in refusals] == [429] * 10
    slowest = max(seconds for _answer, seconds in refusals)
    assert slowest < 1, f"a refusal took {slowest:.2f} s: something waits"
    pids = {line["pid"] for path in logs for line in audit_lines(path)
            if line["email"] == email and line["event"] == "sign-in refused"}
    assert len(pids) >= 2


def audit_lines(path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines() if line.startswith('{"time"')]


def timed(call, *args):
    started = time.perf_counter()
    answer = call(*args)
    return answer, time.perf_counter() - started


def test_the_database_keeps_waits_in_utc(app, session, counters):
    fail_at(app, session, counters, 0, 1, 2, 3, 4)
    held_until = session.scalar(select(FailureTally.held_until).where(FailureTally.held_until.is_not(None)))
    assert held_until.utcoffset() == timedelta(0)
    assert held_until.timestamp() == START + 4 + 15 * MINUTE

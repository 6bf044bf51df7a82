"""Failed sign-ins are limited per account and per address, before any password is checked; past the allowance
each further failure doubles the wait; and the count holds across the worker processes of `burden-tracker serve`
when Redis keeps it. (tests/integration/services/test_sign_in_guard.py has the database's count, on both databases.)

These tests run on SQLite only: the database's part is the same on both.
"""

import json
import os
import random
import re
import socket
import statistics
import threading
import time
import uuid
from urllib.parse import urlsplit

import pytest
import redis
from argon2 import PasswordHasher
from sqlalchemy import func, select

from burden_tracker import create_app, limits
from burden_tracker.enums import Role
from burden_tracker.models import FailureTally
from burden_tracker.services import auth as auth_service
from burden_tracker.services.invites import issue_invite
from burden_tracker.services.users import add_user, hasher, hasher_for
from tests.support.factories import make_user, time_passes
from tests.support.serving import Visit, at_once, served
from tests.support.web import ACCOUNT_MESSAGE, PASSWORD, csrf_token, sign_in

pytestmark = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)

ADDRESS_MESSAGE = "Too many failed sign-ins from this network address. Try again in 15 minutes."
MINUTES = 60
REDIS_URL = os.environ.get("REDIS_URL_FOR_TESTS", "redis://127.0.0.1:6379/0")


@pytest.fixture
def nurse(session):
    return make_user(session, can_sign_in=True)


@pytest.fixture
def verifies(monkeypatch):
    """Every argon2 verify the sign-in makes, whatever its outcome."""
    calls = []
    real = PasswordHasher.verify

    def counted(self, hash_, password):
        calls.append(hash_)
        return real(self, hash_, password)

    monkeypatch.setattr(PasswordHasher, "verify", counted)
    return calls


def client_at(app, address: str):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def fail(client, email: str, times: int) -> list[int]:
    return [sign_in(client, email, "not the password").status_code for _ in range(times)]


def wait_asked(response) -> tuple[int, int, str]:
    """Status, Retry-After and the problem the page states."""
    problem = re.search(r'id="sign-in-problem"[^>]*>([^<]*)<', response.get_data(as_text=True))
    return response.status_code, int(response.headers.get("Retry-After", 0)), problem and problem[1]


def test_the_sixth_failed_sign_in_is_refused_even_with_the_right_password(client, nurse):
    assert fail(client, nurse.email, 5) == [422] * 5
    refused = sign_in(client, nurse.email)
    assert refused.status_code == 429
    assert ACCOUNT_MESSAGE in refused.get_data(as_text=True)
    assert 0 < int(refused.headers["Retry-After"]) <= 15 * 60
    assert client.get("/nominations").status_code == 302  # not signed in


def test_an_unknown_email_is_limited_exactly_like_a_known_one(client, nurse):
    fail(client, nurse.email, 5)
    fail(client, "nobody@example.org", 5)
    known, unknown = sign_in(client, nurse.email), sign_in(client, "nobody@example.org")
    assert known.status_code == unknown.status_code == 429
    assert ACCOUNT_MESSAGE in known.get_data(as_text=True) and ACCOUNT_MESSAGE in unknown.get_data(as_text=True)


def test_the_account_is_counted_however_its_email_is_typed(client, nurse):
    fail(client, nurse.email, 3)
    fail(client, f"  {nurse.email.upper()} ", 2)
    assert sign_in(client, nurse.email).status_code == 429


def test_someone_who_signs_in_fine_is_never_held_up(client, nurse):
    for _ in range(8):
        assert sign_in(client, nurse.email).status_code == 302
        client.post("/logout", data={"csrf_token": csrf_token(client, "/nominations")})


def test_a_good_sign_in_starts_the_account_afresh(client, nurse):
    fail(client, nurse.email, 4)
    assert sign_in(client, nurse.email).status_code == 302
    client.post("/logout", data={"csrf_token": csrf_token(client, "/nominations")})
    assert fail(client, nurse.email, 4) == [422] * 4
    assert sign_in(client, nurse.email).status_code == 302


def test_failed_sign_ins_from_one_address_are_limited_whichever_accounts_they_try(app, nurse):
    guesser = client_at(app, "10.9.8.7")
    for n in range(20):
        assert sign_in(guesser, f"someone{n}@example.org", "Winter2026!").status_code == 422
    refused = sign_in(guesser, nurse.email)
    assert refused.status_code == 429 and ADDRESS_MESSAGE in refused.get_data(as_text=True)
    colleague = client_at(app, "10.9.8.8")
    assert sign_in(colleague, nurse.email).status_code == 302


def test_a_refused_sign_in_checks_no_password(client, nurse, verifies):
    fail(client, nurse.email, 5)
    verifies.clear()
    assert sign_in(client, nurse.email).status_code == 429
    assert verifies == []


def test_an_incomplete_form_is_not_counted_as_a_failure(client, nurse):
    token = csrf_token(client)
    for _ in range(8):
        client.post("/login", data={"email": nurse.email, "password": "", "csrf_token": token})
    assert sign_in(client, nurse.email).status_code == 302


def test_unknown_email_and_wrong_password_each_cost_one_verify_of_the_same_strength(client, nurse, verifies):
    """The same work is the same time: both are one argon2 verify with the hasher's current parameters."""
    sign_in(client, nurse.email, "not the password")
    sign_in(client, "nobody@example.org", "not the password")
    assert len(verifies) == 2
    assert not any(hasher.check_needs_rehash(checked) for checked in verifies)
    assert verifies[1] == auth_service._decoy_hash()


def test_wrong_invite_links_from_one_address_are_slowed_too(app, session):
    guesser = client_at(app, "10.9.8.7")
    assert [guesser.get(f"/invite/guess-{n}").status_code for n in range(10)] == [404] * 10
    refused = guesser.get("/invite/guess-11")
    assert refused.status_code == 429 and "Try again in 15 minutes" in refused.get_data(as_text=True)
    assert int(refused.headers["Retry-After"]) > 0
    newcomer, admin = make_user(session), make_user(session, Role.ADMIN)
    token = issue_invite(session=session, user_id=newcomer.id, issued_by_id=admin.id)
    session.commit()
    assert client_at(app, "10.9.8.8").get(f"/invite/{token}").status_code == 200


def test_each_further_failure_doubles_the_accounts_wait_up_to_four_hours(client, session, nurse):
    assert fail(client, nurse.email, 5) == [422] * 5
    asked = [wait_asked(sign_in(client, nurse.email))]
    for wait in (15, 30, 60, 120, 240, 240):
        time_passes(session, wait * MINUTES)
        assert fail(client, nurse.email, 1) == [422]  # the wait is over: one more try
        asked.append(wait_asked(sign_in(client, nurse.email)))
    assert [(status, problem) for status, _seconds, problem in asked] == [
        (429, "Too many failed sign-ins for this account. Try again in 15 minutes."),
        (429, "Too many failed sign-ins for this account. Try again in 30 minutes."),
        (429, "Too many failed sign-ins for this account. Try again in 1 hour."),
        (429, "Too many failed sign-ins for this account. Try again in 2 hours."),
        (429, "Too many failed sign-ins for this account. Try again in 4 hours."),
        (429, "Too many failed sign-ins for this account. Try again in 4 hours."),
        (429, "Too many failed sign-ins for this account. Try again in 4 hours."),
    ]
    expected = [15, 30, 60, 120, 240, 240, 240]
    assert all(wait * MINUTES - 30 < seconds <= wait * MINUTES
               for (_status, seconds, _problem), wait in zip(asked, expected, strict=True)), asked


def test_each_further_failure_doubles_the_addresss_wait_too(app, session, nurse):
    guesser = client_at(app, "10.9.8.7")
    assert fail_each(guesser, 20) == [422] * 20
    first = wait_asked(sign_in(guesser, nurse.email))
    time_passes(session, 15 * MINUTES)
    assert fail_each(guesser, 1, start=20) == [422]
    second = wait_asked(sign_in(guesser, nurse.email))
    assert first[0] == second[0] == 429
    assert 15 * MINUTES - 30 < first[1] <= 15 * MINUTES and 30 * MINUTES - 30 < second[1] <= 30 * MINUTES
    assert second[2] == "Too many failed sign-ins from this network address. Try again in 30 minutes."


def fail_each(client, times: int, start: int = 0) -> list[int]:
    """Failures against a new account each time, so that only the address's count can fill."""
    return [sign_in(client, f"someone{n}@example.org", "Winter2026!").status_code for n in range(start, start + times)]


def test_a_refusal_is_answered_at_once(client, nurse):
    fail(client, nurse.email, 5)
    started = time.perf_counter()
    statuses = [sign_in(client, nurse.email).status_code for _ in range(10)]
    seconds = time.perf_counter() - started
    assert statuses == [429] * 10
    assert seconds < 3, f"ten refusals took {seconds:.2f} s: something waits"  # each is a page, not a verify


def test_counting_moves_to_the_database_when_redis_does_not_answer(engine, database_url, session, nurse):
    """Counted where every worker sees it: another app on the same database (another worker) is held too."""
    apps = [create_app({"TESTING": True, "DATABASE_URL": database_url, "SECRET_KEY": "a key for tests only",
                        "REDIS_URL": redis_url}) for redis_url in ("redis://127.0.0.1:1/0", None)]  # port 1: nobody
    try:
        assert fail(apps[0].test_client(), nurse.email, 5) == [422] * 5
        assert sign_in(apps[0].test_client(), nurse.email).status_code == 429
        assert sign_in(apps[1].test_client(), nurse.email).status_code == 429
    finally:
        for app in apps:
            app.extensions["db_engine"].dispose()


# Several worker processes, one count: Redis.


def redis_answers(url: str) -> bool:
    parts = urlsplit(url)
    try:
        with socket.create_connection((parts.hostname, parts.port or 6379), timeout=1):
            return True
    except OSError:
        return False


@pytest.fixture
def redis_url():
    if not redis_answers(REDIS_URL):
        pytest.fail(f"No Redis answers at {REDIS_URL}. Install and start one (tests/setup-services.sh does): "
                    "apt-get install -y redis-server && redis-server --daemonize yes --port 6379 --save ''; "
                    "or point REDIS_URL_FOR_TESTS at one.")
    return REDIS_URL


@pytest.fixture
def guesser_address(redis_url):
    """A loopback address of this run's own, so that runs at the same time on one Redis never share a count."""
    return f"127.{random.randint(1, 254)}.{random.randint(0, 255)}.{random.randint(1, 254)}"


def redis_keys(app, email: str, address: str) -> list[str]:
    """Where Redis keeps this account's and this address's counts (keyed hashes of them)."""
    with app.app_context():
        return ["burden-tracker/" + counter.key for counter in limits.sign_in_counters(email, address)]


@pytest.fixture
def redis_app(app, redis_url):
    app.config["REDIS_URL"] = redis_url
    limits.init_app(app)
    return app


def test_with_redis_the_waits_grow_there_and_the_database_counts_nothing(redis_app, session, nurse,
                                                                          guesser_address):
    email = f"nurse-{uuid.uuid4().hex[:8]}@limits.test"
    add_user(session=session, email=email, roles={Role.STAFF}, password=PASSWORD)
    keys = redis_keys(redis_app, email, guesser_address)
    store = redis.Redis.from_url(redis_app.config["REDIS_URL"])
    try:
        guesser = client_at(redis_app, guesser_address)
        assert fail(guesser, email, 5) == [422] * 5
        assert sign_in(guesser, email).status_code == 429
        for key in keys:  # as if the wait had passed: the stored times move back
            recent, held_until, wait, forget_at = json.loads(store.get(key))
            store.set(key, json.dumps([[at - 15 * MINUTES for at in recent], held_until and held_until - 15 * MINUTES,
                                       wait, forget_at - 15 * MINUTES]), keepttl=True)
        assert fail(guesser, email, 1) == [422]
        status, seconds, problem = wait_asked(sign_in(guesser, email))
    finally:
        store.delete(*keys)
        store.close()
    assert status == 429 and 30 * MINUTES - 30 < seconds <= 30 * MINUTES, (status, seconds, problem)
    assert session.scalar(select(func.count()).select_from(FailureTally)) == 0


def test_the_sixth_failed_sign_in_is_refused_across_workers_and_servers(app, session, database_url, redis_url,
                                                                        guesser_address, tmp_path):
    """Two `serve --workers 2` sharing Redis, so that the failures surely reach different worker processes: three
    go to one server at once, two to the other, and both refuse the sixth. The database counts nothing meanwhile."""
    email = f"nurse-{uuid.uuid4().hex[:8]}@limits.test"
    add_user(session=session, email=email, roles={Role.STAFF}, password=PASSWORD)
    logs = [tmp_path / "first.log", tmp_path / "second.log"]
    redis_env = {"REDIS_URL": redis_url}
    try:
        with (served(database_url, logs[0], workers=2, extra_env=redis_env) as (first, _first_process),
              served(database_url, logs[1], workers=2, extra_env=redis_env) as (second, _second_process)):
            visits = [Visit(first, guesser_address), Visit(second, guesser_address)]
            statuses = at_once(lambda: visits[0].sign_in(email, "not the password")[0], 3)
            statuses += at_once(lambda: visits[1].sign_in(email, "not the password")[0], 2)
            sixth = [visit.sign_in(email, PASSWORD) for visit in visits]
    finally:
        _forget(redis_url, redis_keys(app, email, guesser_address))
    assert statuses == [422] * 5
    for status, headers, page in sixth:
        assert status == 429 and ACCOUNT_MESSAGE in page and int(headers["Retry-After"]) > 0
    lines = [json.loads(line) for path in logs for line in path.read_text().splitlines() if line.startswith('{"time"')]
    refusals = [line for line in lines if line["email"] == email and line["event"] == "sign-in refused"]
    assert len(refusals) == 5 and len({line["pid"] for line in refusals}) >= 2
    assert [line["address"] for line in lines if line["event"] == "rate limited"] == [guesser_address] * 2
    assert session.scalar(select(func.count()).select_from(FailureTally)) == 0


def _forget(redis_url: str, keys: list[str]) -> None:
    client = redis.Redis.from_url(redis_url)
    try:
        client.delete(*keys)
    finally:
        client.close()


def test_refusals_are_answered_at_once_while_other_sign_ins_are_being_checked(session, database_url, tmp_path):
    """A password check is the slowest step of any request; on SQLite it used to hold the write lock throughout,
    so during a burst of sign-ins a refusal queued behind every one of them. Timed against the burst itself, so
    that a busy machine slows both sides alike. Passwords are checked at the real cost here, not the tests'."""
    emails = [f"nurse-{uuid.uuid4().hex[:8]}@limits.test" for _ in range(9)]
    real_cost = hasher_for(None).hash(PASSWORD)
    for email in emails:
        add_user(session=session, email=email, roles={Role.STAFF}, password=PASSWORD).password_hash = real_cost
    session.commit()
    with served(database_url, tmp_path / "server.log", workers=2, extra_env={"PASSWORD_HASHING": ""}) as (base, _):
        held = Visit(base, "127.0.0.2")
        assert [held.sign_in(emails[0], "not the password")[0] for _ in range(5)] == [422] * 5
        checked, refused = [], []

        def burst(number: int) -> None:
            visit = Visit(base, f"127.0.1.{number}")
            for _ in range(3):
                started = time.perf_counter()
                assert visit.sign_in(emails[number + 1], "not the password")[0] == 422
                checked.append(time.perf_counter() - started)

        threads = [threading.Thread(target=burst, args=(number,)) for number in range(8)]
        for thread in threads:
            thread.start()
        while any(thread.is_alive() for thread in threads):
            started = time.perf_counter()
            assert held.sign_in(emails[0], PASSWORD)[0] == 429
            refused.append(time.perf_counter() - started)
        for thread in threads:
            thread.join()
    assert statistics.median(refused) < statistics.median(checked) / 3, (statistics.median(refused),
                                                                         statistics.median(checked))

"""Failed sign-ins are limited per account and per address, before any password is checked, and the count
holds across the worker processes of `burden-tracker serve` when Redis keeps it.

The limits do not touch the database, so these tests run on SQLite only.
"""

import http.client
import json
import os
import random
import re
import socket
import threading
import uuid
from urllib.parse import urlencode, urlsplit

import pytest
import redis
from argon2 import PasswordHasher

from burden_tracker import create_app, limits
from burden_tracker.enums import Role
from burden_tracker.services import auth as auth_service
from burden_tracker.services.invites import issue_invite
from burden_tracker.services.users import add_user, hasher
from tests.factories import make_user
from tests.serving import served
from tests.web import PASSWORD, csrf_token, sign_in

pytestmark = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)

ACCOUNT_MESSAGE = "Too many failed sign-ins for this account. Try again in 15 minutes."
ADDRESS_MESSAGE = "Too many failed sign-ins from this network address. Try again in 15 minutes."
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


def test_counting_goes_on_in_this_process_when_redis_does_not_answer(engine, database_url, session, nurse):
    app = create_app({"TESTING": True, "DATABASE_URL": database_url, "SECRET_KEY": "k",
                      "REDIS_URL": "redis://127.0.0.1:1/0"})  # nothing listens on port 1
    try:
        client = app.test_client()
        assert fail(client, nurse.email, 5) == [422] * 5
        assert sign_in(client, nurse.email).status_code == 429
    finally:
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
    """A loopback address of this run's own, so that runs at the same time on one Redis never share a count;
    its keys (and the account's) are removed afterwards."""
    address = f"127.{random.randint(1, 254)}.{random.randint(0, 255)}.{random.randint(1, 254)}"
    yield address
    client = redis.Redis.from_url(redis_url)
    try:
        for key in client.scan_iter(match=f"*burden-tracker/sign-in/address/{address}/*"):
            client.delete(key)
    finally:
        client.close()


def test_the_sixth_failed_sign_in_is_refused_across_four_workers(session, database_url, redis_url, guesser_address,
                                                                   tmp_path):
    email = f"nurse-{uuid.uuid4().hex[:8]}@limits.test"
    add_user(session=session, email=email, roles={Role.STAFF}, password=PASSWORD)
    log_path = tmp_path / "server.log"
    try:
        with served(database_url, log_path, workers=4, extra_env={"REDIS_URL": redis_url}) as (base, _process):
            visit = Visit(base, guesser_address)
            statuses = []
            # At once, on fresh connections: while one worker verifies a password the next request goes to another.
            threads = [threading.Thread(target=lambda: statuses.append(visit.sign_in(email, "not the password")[0]))
                       for _ in range(5)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            status, headers, page = visit.sign_in(email, PASSWORD)
    finally:
        _forget_account(redis_url, email)
    assert statuses == [422] * 5
    assert status == 429 and ACCOUNT_MESSAGE in page and int(headers["Retry-After"]) > 0
    lines = [json.loads(line) for line in log_path.read_text().splitlines() if line.startswith('{"time"')]
    refusals = [line for line in lines if line["email"] == email and line["event"] == "sign-in refused"]
    assert len(refusals) == 5
    assert len({line["pid"] for line in refusals}) > 1, "the failures all reached one worker: nothing was shared"
    assert [line["address"] for line in lines if line["event"] == "rate limited"] == [guesser_address]


def _forget_account(redis_url: str, email: str) -> None:
    client = redis.Redis.from_url(redis_url)
    try:
        account = limits.sign_in_counters(email, None)[0].key
        for key in client.scan_iter(match=f"*burden-tracker/{account}/*"):
            client.delete(key)
    finally:
        client.close()


class Visit:
    """One browser whose every request comes from `address` on a new connection, so it may reach any worker."""

    TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')

    def __init__(self, base: str, address: str):
        parts = urlsplit(base)
        self.host, self.port, self.address = parts.hostname, parts.port, address
        status, headers, page = self.send("GET", "/login")
        self.cookie = headers["Set-Cookie"].split(";")[0]
        self.token = self.TOKEN.search(page)[1]

    def sign_in(self, email: str, password: str) -> tuple[int, http.client.HTTPMessage, str]:
        body = urlencode({"email": email, "password": password, "csrf_token": self.token})
        return self.send("POST", "/login", body, {"Cookie": self.cookie,
                                                  "Content-Type": "application/x-www-form-urlencoded"})

    def send(self, method: str, path: str, body: str | None = None, headers: dict | None = None):
        connection = http.client.HTTPConnection(self.host, self.port, timeout=60, source_address=(self.address, 0))
        try:
            connection.request(method, path, body=body, headers=headers or {})
            response = connection.getresponse()
            return response.status, response.headers, response.read().decode()
        finally:
            connection.close()

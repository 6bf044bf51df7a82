"""The account holder is emailed, through a real SMTP server, when their account starts to wait: once, not once
per failure; by the job queue, after the response; with the address and the time, and nothing a request chose or
a guess typed.

These tests run on SQLite only: the count is the same on both databases (integration/services/test_sign_in_guard.py).
"""

import re
import time
from datetime import UTC, datetime, timedelta

import pytest

from burden_tracker import limits
from burden_tracker.jobs import queue_state
from burden_tracker.models import Settings
from tests.support.factories import make_user, time_passes
from tests.support.serving import Visit, free_port, served
from tests.support.web import PASSWORD, csrf_token

pytestmark = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)

BASE_URL = "https://burden.hospital.test/"
GUESS = "Winter2026!"
GUESSER = "203.0.113.9"
GUESSER_LOOPBACK = "127.0.0.9"  # a served test's guesser: its own address on this machine
TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


@pytest.fixture
def mailing_app(app, inbox):
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=inbox.port, MAIL_FROM="tracker@hospital.test",
                      BASE_URL=BASE_URL)
    return app


@pytest.fixture
def nurse(session):
    return make_user(session, can_sign_in=True)


@pytest.fixture
def guesser(mailing_app):
    client = mailing_app.test_client()
    client.environ_base["REMOTE_ADDR"] = GUESSER
    return client


def guess(client, email: str, password: str = GUESS, host: str = "http://localhost") -> int:
    """A sign-in POST, closed as a WSGI server closes it once sent: that is when the email goes."""
    token = TOKEN.search(client.get("/login", base_url=host).get_data(as_text=True))[1]
    with client.post("/login", data={"email": email, "password": password, "csrf_token": token},
                     base_url=host) as response:
        return response.status_code


def test_repeated_failures_email_the_account_holder_once(guesser, session, inbox, nurse):
    assert [guess(guesser, nurse.email) for _ in range(5)] == [422] * 5
    assert guess(guesser, nurse.email) == 429
    time_passes(session, 15 * 60)
    assert guess(guesser, nurse.email) == 422  # a second wait begins, twice as long
    assert guess(guesser, nurse.email) == 429
    [message] = inbox.to(nurse.email)
    assert len(inbox.received) == 1
    assert message["From"] == "tracker@hospital.test"
    assert message["Subject"] == "Burden Tracker: failed sign-ins to your account"


def test_the_email_says_from_where_and_when_and_holds_nothing_a_request_chose(guesser, inbox, nurse):
    for _ in range(5):
        guess(guesser, nurse.email, host="http://evil.example")
    body = inbox.to(nurse.email)[0].get_content()
    assert f"from the network address {GUESSER} at " in body
    at = re.search(r"at (\d{4}-\d\d-\d\d \d\d:\d\d) UTC", body)[1]
    assert abs(datetime.strptime(at, "%Y-%m-%d %H:%M").replace(tzinfo=UTC) - datetime.now(UTC)) < timedelta(minutes=2)
    assert "paused for 15 minutes" in body and BASE_URL in body
    assert "evil.example" not in body and GUESS not in body and "localhost" not in body


def test_the_email_says_when_on_the_organizations_clocks(guesser, inbox, nurse, session):
    session.get(Settings, 1).time_zone = "Pacific/Honolulu"  # no daylight time: always ten hours behind UTC
    session.commit()
    for _ in range(5):
        guess(guesser, nurse.email)
    at = re.search(r"at (\d{4}-\d\d-\d\d \d\d:\d\d) HST", inbox.to(nurse.email)[0].get_content())[1]
    honolulu = datetime.now(UTC) - timedelta(hours=10)
    assert abs(datetime.strptime(at, "%Y-%m-%d %H:%M") - honolulu.replace(tzinfo=None)) < timedelta(minutes=2)


def test_the_email_goes_once_the_response_has(guesser, inbox, nurse):
    for _ in range(4):
        guess(guesser, nurse.email)
    token = csrf_token(guesser, "/login")
    response = guesser.post("/login", data={"email": nurse.email, "password": GUESS, "csrf_token": token})
    assert response.status_code == 422 and inbox.received == []
    response.close()
    assert len(inbox.to(nurse.email)) == 1


def test_failures_against_an_unknown_email_email_nobody(guesser, inbox):
    assert [guess(guesser, "nobody@example.org") for _ in range(6)] == [422] * 5 + [429]
    assert inbox.received == []


def test_failures_in_the_holders_own_browser_email_nobody(mailing_app, inbox, nurse):
    own = mailing_app.test_client()
    assert guess(own, nurse.email, PASSWORD) == 302
    assert [guess(own, nurse.email) for _ in range(5)] == [422] * 5  # counted against the device, not the account
    assert inbox.received == []


def test_a_day_later_the_holder_is_told_again_if_it_goes_on(guesser, session, inbox, nurse):
    for _ in range(5):
        guess(guesser, nurse.email)
    time_passes(session, 24 * 3600)
    assert guess(guesser, nurse.email) == 422
    assert len(inbox.to(nurse.email)) == 2


def test_a_mail_server_that_is_down_changes_no_answer_and_the_email_waits_to_be_tried_again(guesser, inbox, nurse):
    """The worker tries it again until the mail server answers (tests/system/test_worker.py shows a real one)."""
    guesser.application.config["SMTP_PORT"] = free_port()  # nobody listens there
    assert [guess(guesser, nurse.email) for _ in range(5)] == [422] * 5
    assert inbox.received == []
    with guesser.application.app_context():
        assert queue_state().retrying == 1


def test_an_alert_that_could_not_even_be_queued_leaves_the_next_wait_free_to_alert(guesser, session, inbox, nurse):
    guesser.application.config["JOBS_URL"] = "redis://127.0.0.1:1/0"  # a queue nobody answers for
    assert [guess(guesser, nurse.email) for _ in range(5)] == [422] * 5
    assert inbox.received == []
    with guesser.application.app_context():
        assert limits.claim_alert(nurse.email, session=session)  # released: not held for a day with nothing sent
    session.commit()


def test_servers_sharing_a_database_email_the_holder_once_between_them(session, database_url, inbox, tmp_path):
    """The throttle is kept where the count is: a second wait begun on another server sends no second email."""
    nurse = make_user(session, can_sign_in=True)
    mail = {"SMTP_HOST": "127.0.0.1", "SMTP_PORT": str(inbox.port), "MAIL_FROM": "tracker@hospital.test",
            "BASE_URL": BASE_URL}
    with (served(database_url, tmp_path / "first.log", workers=2, extra_env=mail, with_worker=True) as (first, _),
          served(database_url, tmp_path / "second.log", workers=2, extra_env=mail, with_worker=True) as (second, _)):
        visits = [Visit(first, GUESSER_LOOPBACK), Visit(second, GUESSER_LOOPBACK)]
        assert [visits[0].sign_in(nurse.email, GUESS)[0] for _ in range(5)] == [422] * 5
        wait_for_mail(inbox, 1)
        time_passes(session, 15 * 60)
        assert visits[1].sign_in(nurse.email, GUESS)[0] == 422  # a second wait, begun on the other server
        assert visits[1].sign_in(nurse.email, PASSWORD)[0] == 429
        time.sleep(1)  # room for a second email, were one on its way
    assert len(inbox.to(nurse.email)) == 1
    assert f"from the network address {GUESSER_LOOPBACK} at " in inbox.to(nurse.email)[0].get_content()


def wait_for_mail(inbox, count: int, seconds: float = 10) -> None:
    deadline = time.monotonic() + seconds
    while len(inbox.received) < count and time.monotonic() < deadline:
        time.sleep(0.05)
    assert len(inbox.received) == count

"""The device cookie: a browser that has signed in to an account before is spared that account's count, so that
someone else's failures cannot lock a person out of their own device; it survives signing out, which clears every
cookie of the site, by a one-time handover to the sign-in page after it; and only a cookie of ours, unaltered, for
the very account typed, spares anything.

The test client ignores Clear-Site-Data: sign_out() does what Chromium does with it (tests/browser has the real one).
These tests run on SQLite only: the count is the same on both databases (integration/services/test_sign_in_guard.py).
"""

import base64
import json
import os
import re
import zlib
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime

import pytest
import redis
from sqlalchemy import func, select

from burden_tracker import create_app, limits
from burden_tracker.models import FailureTally
from tests.support.factories import make_user
from tests.support.web import PASSWORD, csrf_token, sign_in

pytestmark = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)

YEAR = 365 * 24 * 3600
REDIS_URL = os.environ.get("REDIS_URL_FOR_TESTS", "redis://127.0.0.1:6379/0")
HANDOVER = re.compile(r"/login\?signed_out=yes&device=([A-Za-z0-9_-]{32})")


@pytest.fixture
def nurse(session):
    return make_user(session, can_sign_in=True)


@pytest.fixture
def colleague(session):
    return make_user(session, can_sign_in=True)


def browser(app, address: str):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def sign_out(client):
    """As Chromium does: the sign-out's Clear-Site-Data honoured, so every cookie of ours dropped when it says
    "cookies" (even one that response sets), then its redirect followed. Returns the sign-out's response."""
    response = client.post("/logout", data={"csrf_token": csrf_token(client, "/nominations")})
    assert response.status_code == 303
    if '"cookies"' in response.headers["Clear-Site-Data"]:
        for name in ("session", "device"):
            client.delete_cookie(name)
    client.get(response.headers["Location"])
    return response


def known_browser(app, person, address: str = "10.1.1.1"):
    """A browser that signed in as the person once, and signed out."""
    own = browser(app, address)
    assert sign_in(own, person.email).status_code == 302
    sign_out(own)
    return own


def hold_account(app, person) -> None:
    guesser = browser(app, "10.6.6.6")
    assert [sign_in(guesser, person.email, "Winter2026!").status_code for _ in range(5)] == [422] * 5
    assert sign_in(browser(app, "10.7.7.7"), person.email).status_code == 429  # a browser it does not know


def set_cookie(response, name: str) -> str | None:
    return next((value for value in response.headers.getlist("Set-Cookie") if value.startswith(f"{name}=")), None)


def test_a_browser_that_signed_in_before_still_signs_in_while_the_account_is_held(app, nurse):
    own = known_browser(app, nurse)
    hold_account(app, nurse)
    assert sign_in(own, nurse.email).status_code == 302
    assert own.get("/nominations").status_code == 200


def test_a_device_cookie_for_another_account_spares_nothing(app, nurse, colleague):
    shared = known_browser(app, colleague)
    hold_account(app, nurse)
    assert sign_in(shared, nurse.email).status_code == 429


def test_a_shared_computer_spares_each_of_its_regular_users(app, nurse, colleague):
    ward = known_browser(app, nurse)
    assert sign_in(ward, colleague.email).status_code == 302
    sign_out(ward)
    hold_account(app, nurse)
    hold_account(app, colleague)
    assert sign_in(ward, nurse.email).status_code == 302
    sign_out(ward)
    assert sign_in(ward, colleague.email).status_code == 302


@pytest.mark.parametrize("alter", ["signature", "payload", "garbage", "empty"])
def test_an_altered_device_cookie_spares_nothing(app, nurse, alter):
    own = known_browser(app, nurse)
    real = own.get_cookie("device").value
    # Not the signature's last character: in base64 some of its bits are padding, so another letter may mean the
    # same bytes.
    altered = {"signature": real[:-2] + other_letter(real[-2]) + real[-1],
               "payload": other_letter(real[0]) + real[1:],
               "garbage": "not.a.cookie\x7f", "empty": ""}[alter]
    own.set_cookie("device", altered)
    hold_account(app, nurse)
    assert sign_in(own, nurse.email).status_code == 429


def test_a_device_cookie_signed_with_another_key_spares_nothing(app, engine, database_url, nurse):
    elsewhere = create_app({"TESTING": True, "DATABASE_URL": database_url, "SECRET_KEY": "another server's key"})
    try:
        forged = known_browser(elsewhere, nurse).get_cookie("device").value
    finally:
        elsewhere.extensions["db_engine"].dispose()
    own = browser(app, "10.1.1.1")
    own.set_cookie("device", forged)
    hold_account(app, nurse)
    assert sign_in(own, nurse.email).status_code == 429


def test_a_device_cookies_own_failures_are_limited_so_a_stolen_one_buys_few_guesses(app, nurse):
    stolen = known_browser(app, nurse).get_cookie("device").value
    hold_account(app, nurse)
    thief = browser(app, "10.8.8.8")
    thief.set_cookie("device", stolen)
    assert [sign_in(thief, nurse.email, f"guess {n}").status_code for n in range(5)] == [422] * 5
    assert sign_in(thief, nurse.email).status_code == 429  # the cookie is held now: the account's wait applies


def test_failures_in_a_known_browser_do_not_hold_the_account_elsewhere(app, nurse):
    own = known_browser(app, nurse)
    assert [sign_in(own, nurse.email, "a typo").status_code for _ in range(4)] == [422] * 4
    elsewhere = browser(app, "10.9.9.9")
    assert [sign_in(elsewhere, nurse.email, "a typo").status_code for _ in range(4)] == [422] * 4
    assert sign_in(elsewhere, nurse.email).status_code == 302


def test_a_known_browser_is_still_counted_per_address(app, nurse):
    own = known_browser(app, nurse, address="10.3.3.3")
    neighbour = browser(app, "10.3.3.3")
    assert [sign_in(neighbour, f"someone{n}@example.org", "Winter2026!").status_code for n in range(20)] == [422] * 20
    refused = sign_in(own, nurse.email)
    assert refused.status_code == 429 and "from this network address" in refused.get_data(as_text=True)


def test_the_device_cookie_is_kept_from_scripts_and_names_no_email(client, nurse):
    response = sign_in(client, nurse.email)
    value, attributes = set_cookie(response, "device").split("; ", 1)
    expires = re.match(r"Expires=([^;]+); ", attributes)[1]
    assert attributes == f"Expires={expires}; Max-Age={YEAR}; HttpOnly; Path=/; SameSite=Lax"
    assert parsedate_to_datetime(expires) - datetime.now(UTC) > timedelta(days=364)
    [[account, nonce]] = json.loads(readable(value.removeprefix("device=")))
    assert nurse.email not in account and len(account) == 32 and len(nonce) >= 22


def test_over_https_the_device_cookie_is_also_secure(client, nurse):
    client.application.config["PREFERRED_URL_SCHEME"] = "https"
    client.environ_base["HTTP_REFERER"] = "https://localhost/login"
    token = csrf_token(client, "/login")
    response = client.post("/login", data={"email": nurse.email, "password": PASSWORD, "csrf_token": token},
                           base_url="https://localhost")
    assert response.status_code == 302
    assert "; Secure;" in set_cookie(response, "device")


def test_signing_out_clears_every_cookie_and_hands_the_device_cookie_to_the_sign_in_page(client, nurse):
    sign_in(client, nurse.email)
    device = client.get_cookie("device").value
    response = client.post("/logout", data={"csrf_token": csrf_token(client, "/nominations")})
    assert response.status_code == 303
    assert response.headers["Clear-Site-Data"] == '"cookies", "storage"'
    assert "Expires=Thu, 01 Jan 1970 00:00:00 GMT" in set_cookie(response, "session")
    assert set_cookie(response, "device") is None  # the browser would clear it at once
    location = response.headers["Location"]
    assert HANDOVER.fullmatch(location)
    assert [part for entry in entries(device) for part in entry if part in location] == []  # no mark, no nonce
    client.delete_cookie("session")
    client.delete_cookie("device")  # what Clear-Site-Data: "cookies" does

    page = client.get(response.headers["Location"])

    assert page.status_code == 200 and "You are signed out." in page.get_data(as_text=True)
    value, attributes = set_cookie(page, "device").removeprefix("device=").split("; ", 1)
    assert re.fullmatch(rf"Expires=[^;]+; Max-Age={YEAR}; HttpOnly; Path=/; SameSite=Lax", attributes)
    assert entries(value) == entries(device)
    assert client.get("/nominations").status_code == 302


def test_a_handover_sets_the_device_cookie_once(app, session, nurse):
    own = browser(app, "10.1.1.1")
    sign_in(own, nurse.email)
    device = own.get_cookie("device").value
    location = sign_out(own).headers["Location"]
    assert entries(own.get_cookie("device").value) == entries(device)
    assert tallies(session) == 0  # taken, and gone with it

    replayed = browser(app, "10.1.1.1").get(location)

    assert replayed.status_code == 200 and "You are signed out." in replayed.get_data(as_text=True)
    assert set_cookie(replayed, "device") is None


@pytest.mark.parametrize("handover", ["", "A" * 32, "not a name\x7f", "x" * 5000, "%00"])
def test_a_handover_never_given_sets_nothing_and_is_no_error(client, handover):
    page = client.get("/login", query_string={"signed_out": "yes", "device": handover})
    assert page.status_code == 200 and "You are signed out." in page.get_data(as_text=True)
    assert set_cookie(page, "device") is None


def test_a_handover_not_taken_within_a_minute_sets_nothing(app, session, nurse):
    own = browser(app, "10.1.1.1")
    sign_in(own, nurse.email)
    location = own.post("/logout", data={"csrf_token": csrf_token(own, "/nominations")}).headers["Location"]
    assert tallies(session) == 1  # one account on this browser, one row
    for row in session.scalars(select(FailureTally)):  # as if a minute had gone by
        row.forget_at -= timedelta(seconds=61)
    session.commit()
    assert set_cookie(browser(app, "10.1.1.1").get(location), "device") is None
    assert tallies(session) == 0


def test_every_account_of_a_shared_computer_is_handed_over(app, nurse, colleague):
    ward = known_browser(app, nurse)
    sign_in(ward, colleague.email)
    both = ward.get_cookie("device").value
    assert len(entries(both)) == 2
    sign_out(ward)
    assert entries(ward.get_cookie("device").value) == entries(both)


def test_with_redis_the_handover_is_kept_there_and_taken_once(app, session, nurse):
    if not redis_answers(REDIS_URL):
        pytest.fail(f"No Redis answers at {REDIS_URL} (tests/setup-services.sh starts one).")
    app.config["REDIS_URL"] = REDIS_URL
    limits.init_app(app)
    own = browser(app, "10.1.1.1")
    sign_in(own, nurse.email)
    device = own.get_cookie("device").value
    location = own.post("/logout", data={"csrf_token": csrf_token(own, "/nominations")}).headers["Location"]
    assert tallies(session) == 0
    assert entries(set_cookie(own.get(location), "device").split(";")[0].removeprefix("device=")) == entries(device)
    assert set_cookie(browser(app, "10.1.1.1").get(location), "device") is None


def test_an_installation_that_keeps_cookies_at_sign_out_clears_storage_only(app, session, nurse):
    app.config["SIGN_OUT_CLEARS_COOKIES"] = False
    own = browser(app, "10.1.1.1")
    sign_in(own, nurse.email)
    device = own.get_cookie("device").value
    response = sign_out(own)
    assert response.headers["Clear-Site-Data"] == '"storage"'
    assert response.headers["Location"] == "/login?signed_out=yes"
    assert "Expires=Thu, 01 Jan 1970 00:00:00 GMT" in set_cookie(response, "session")
    assert set_cookie(response, "device") is None
    assert own.get_cookie("device").value == device
    hold_account(app, nurse)
    assert sign_in(own, nurse.email).status_code == 302
    assert tallies(session) == 2  # the account's wait and the guesser's address: no handover


def tallies(session) -> int:
    count = session.scalar(select(func.count()).select_from(FailureTally))
    session.rollback()  # on SQLite an open transaction would hold the lock the app needs
    return count


def entries(cookie: str) -> list[list[str]]:
    """The accounts a device cookie names, each with its nonce."""
    return json.loads(readable(cookie))


def redis_answers(url: str) -> bool:
    try:
        return redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.RedisError:
        return False


def other_letter(letter: str) -> str:
    return "B" if letter == "A" else "A"


def readable(value: str) -> str:
    """What anyone holding the cookie can read of it: itsdangerous signs its payload but does not hide it."""
    payload = value.split(".")[1] if value.startswith(".") else value.split(".")[0]
    raw = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
    return (zlib.decompress(raw) if value.startswith(".") else raw).decode()

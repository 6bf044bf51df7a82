"""The device cookie: a browser that has signed in to an account before is spared that account's count, so that
someone else's failures cannot lock a person out of their own device; it survives signing out; and only a cookie
of ours, unaltered, for the very account typed, spares anything.

These tests run on SQLite only: the count is the same on both databases (test_sign_in_guard.py).
"""

import base64
import json
import re
import zlib
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime

import pytest

from burden_tracker import create_app
from tests.factories import make_user
from tests.web import PASSWORD, csrf_token, sign_in

pytestmark = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)

YEAR = 365 * 24 * 3600


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


def sign_out(client) -> None:
    client.post("/logout", data={"csrf_token": csrf_token(client, "/nominations")})


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


def test_signing_out_keeps_the_device_cookie_and_expires_the_session_cookie(client, nurse):
    sign_in(client, nurse.email)
    device = client.get_cookie("device").value
    response = client.post("/logout", data={"csrf_token": csrf_token(client, "/nominations")})
    assert response.status_code == 303
    assert response.headers["Clear-Site-Data"] == '"storage"'
    assert "Expires=Thu, 01 Jan 1970 00:00:00 GMT" in set_cookie(response, "session")
    assert set_cookie(response, "device") is None
    assert client.get_cookie("device").value == device
    assert client.get("/nominations").status_code == 302


def other_letter(letter: str) -> str:
    return "B" if letter == "A" else "A"


def readable(value: str) -> str:
    """What anyone holding the cookie can read of it: itsdangerous signs its payload but does not hide it."""
    payload = value.split(".")[1] if value.startswith(".") else value.split(".")[0]
    raw = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
    return (zlib.decompress(raw) if value.startswith(".") else raw).decode()

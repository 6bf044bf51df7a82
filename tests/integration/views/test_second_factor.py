"""A second factor: admins enrol at their first sign-in (the key shown as text beside a QR code), then sign in with
a code from their phone; a code is never accepted twice, a recovery code works once, wrong codes are slowed like
wrong passwords, and anyone with a password may turn it on from /me/two-step."""

import re
from datetime import timedelta

import pyotp
import pytest

from burden_tracker import create_app
from burden_tracker.enums import Role
from burden_tracker.models import User, utc_now
from tests.support.factories import make_user
from tests.support.web import csrf_token, sign_in


@pytest.fixture
def app(engine, database_url):
    app = create_app({"TESTING": True, "DATABASE_URL": database_url, "SECRET_KEY": "a key for tests only",
                      "SECOND_FACTOR_FOR_ADMINS": True})
    yield app
    app.extensions["db_engine"].dispose()


def post(client, path: str, data: dict):
    return client.post(path, data={**data, "csrf_token": csrf_token(client, path)})


def key_shown(page: str) -> str:
    return re.search(r'id="second-factor-key"[^>]*>([A-Z2-7 ]+)<', page)[1].replace(" ", "")


def enrolled_admin(app, session) -> tuple[User, str, list[str]]:
    """An admin who enrolled at their first sign-in; their secret and recovery codes."""
    admin = make_user(session, Role.ADMIN, can_sign_in=True)
    client = app.test_client()
    sign_in(client, admin.email)
    secret = key_shown(client.get("/login/enrol").get_data(as_text=True))
    post(client, "/login/enrol", {"code": pyotp.TOTP(secret).now()})
    codes = re.findall(r"<li><code>([0-9a-f]{5}-[0-9a-f]{5})</code></li>", client.get("/me/two-step/codes").get_data(
        as_text=True))
    return admin, secret, codes


def test_an_admin_enrols_at_their_first_sign_in(app, session):
    admin = make_user(session, Role.ADMIN, can_sign_in=True)
    client = app.test_client()
    answer = sign_in(client, admin.email)
    assert answer.headers["Location"] == "/login/enrol"
    page = client.get("/login/enrol").get_data(as_text=True)
    assert 'src="data:image/svg+xml' in page and 'href="otpauth://totp/Burden%20Tracker:' in page
    assert client.get("/admin").status_code == 302  # not signed in yet

    wrong = post(client, "/login/enrol", {"code": "000000"})
    assert wrong.status_code == 422 and 'id="code-error"' in wrong.get_data(as_text=True)
    done = post(client, "/login/enrol", {"code": pyotp.TOTP(key_shown(page)).now()})
    assert done.headers["Location"].startswith("/me/two-step/codes")
    codes_page = client.get(done.headers["Location"]).get_data(as_text=True)
    assert len(re.findall(r"<li><code>[0-9a-f]{5}-[0-9a-f]{5}</code></li>", codes_page)) == 10
    assert client.get("/me/two-step/codes").status_code == 303  # shown once
    assert client.get("/admin").status_code == 200
    assert " · second factor on" in client.get(f"/admin/users/{admin.id}").get_data(as_text=True)
    session.expire_all()
    assert session.get(User, admin.id).totp_secret == key_shown(page)


def test_an_enrolled_person_signs_in_with_a_code_never_accepted_twice(app, session):
    admin, secret, _ = enrolled_admin(app, session)
    code = pyotp.TOTP(secret).at(utc_now() + timedelta(seconds=30))  # the next step's: the enrolment used this one
    first = app.test_client()
    assert sign_in(first, admin.email).headers["Location"] == "/login/code"
    assert post(first, "/login/code", {"code": code}).status_code == 302
    assert first.get("/admin").status_code == 200

    second = app.test_client()
    sign_in(second, admin.email)
    replayed = post(second, "/login/code", {"code": code})
    assert replayed.status_code == 422
    assert "That code did not work" in replayed.get_data(as_text=True)
    assert second.get("/admin").status_code == 302


def test_a_recovery_code_signs_in_once(app, session):
    admin, _, codes = enrolled_admin(app, session)
    client = app.test_client()
    sign_in(client, admin.email)
    assert post(client, "/login/code", {"code": codes[0].upper().replace("-", " ")}).status_code == 302
    again = app.test_client()
    sign_in(again, admin.email)
    assert post(again, "/login/code", {"code": codes[0]}).status_code == 422


def test_wrong_codes_are_slowed_like_wrong_passwords(app, session):
    admin, _, _ = enrolled_admin(app, session)
    client = app.test_client()
    sign_in(client, admin.email)
    answers = [post(client, "/login/code", {"code": f"{n:06d}"}).status_code for n in range(6)]
    assert answers == [422] * 5 + [429]


def test_the_code_page_needs_the_password_first(app):
    answer = app.test_client().get("/login/code")
    assert answer.headers["Location"] == "/login"


def test_staff_sign_in_with_a_password_alone_until_they_turn_it_on(app, session):
    nurse = make_user(session, can_sign_in=True)
    client = app.test_client()
    assert sign_in(client, nurse.email).headers["Location"] == "/"
    secret = key_shown(client.get("/me/two-step").get_data(as_text=True))
    on = post(client, "/me/two-step", {"code": pyotp.TOTP(secret).now()})
    assert on.headers["Location"] == "/me/two-step/codes"
    assert sign_in(app.test_client(), nurse.email).headers["Location"] == "/login/code"

    later = pyotp.TOTP(secret).at(utc_now() + timedelta(seconds=30))
    off = post(client, "/me/two-step/off", {"code": later})
    assert off.status_code == 303
    assert sign_in(app.test_client(), nurse.email).headers["Location"] == "/"


def test_an_admin_cannot_turn_it_off(app, session):
    admin, secret, _ = enrolled_admin(app, session)
    client = app.test_client()
    sign_in(client, admin.email)
    post(client, "/login/code", {"code": pyotp.TOTP(secret).at(utc_now() + timedelta(seconds=30))})
    page = client.get("/me/two-step").get_data(as_text=True)
    assert "Administrators keep a second factor here." in page and "Turn it off" not in page


def test_a_wrong_password_never_reaches_the_code(app, session):
    admin, _, _ = enrolled_admin(app, session)
    client = app.test_client()
    assert sign_in(client, admin.email, "not the password").status_code == 422
    assert client.get("/login/code").headers["Location"] == "/login"

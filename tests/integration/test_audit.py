"""Every sign-in attempt, sign-out, expired session, rate limit and refusal leaves one audit line saying who,
what and when (UTC); nothing a person types can break a line or forge one.

The lines are read as the app writes them, from standard error.
"""

import hashlib
import json
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import update

from burden_tracker.enums import Role
from burden_tracker.models import UserSession, utc_now
from tests.support.factories import make_nomination, make_user
from tests.support.web import PASSWORD, csrf_token, sign_in

pytestmark = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)


@pytest.fixture
def audit_lines(capsys):
    """A function giving the audit lines written since it was last called, each parsed."""
    capsys.readouterr()

    def read() -> list[dict]:
        return [json.loads(line) for line in capsys.readouterr().err.splitlines() if line.startswith('{"time"')]

    return read


@pytest.fixture
def nurse(session):
    return make_user(session, can_sign_in=True)


def test_a_good_sign_in_says_who_when_and_from_where(client, nurse, audit_lines):
    sign_in(client, nurse.email)
    [line] = audit_lines()
    assert line["event"] == "sign-in ok"
    assert (line["user_id"], line["email"], line["address"], line["method"], line["path"]) == \
        (nurse.id, nurse.email, "127.0.0.1", "POST", "/login")
    written = datetime.fromisoformat(line["time"])
    assert line["time"].endswith("Z") and abs(datetime.now(UTC) - written) < timedelta(minutes=1)


def test_refused_sign_ins_name_the_email_tried_and_never_the_password(client, nurse, audit_lines):
    sign_in(client, nurse.email, "Winter2026!")
    sign_in(client, "nobody@example.org", "Winter2026!")
    lines = audit_lines()
    assert [(line["event"], line["email"], line["user_id"]) for line in lines] == [
        ("sign-in refused", nurse.email, None), ("sign-in refused", unknown("nobody@example.org"), None)]
    assert "Winter2026!" not in json.dumps(lines)


def test_a_sign_in_held_up_by_the_limit_is_logged(client, nurse, audit_lines):
    for _ in range(5):
        sign_in(client, nurse.email, "not the password")
    sign_in(client, nurse.email, PASSWORD)
    line = audit_lines()[-1]
    assert (line["event"], line["email"]) == ("rate limited", nurse.email)
    assert line["detail"].startswith("account")
    assert PASSWORD not in json.dumps(line)


@pytest.mark.parametrize("password", ["Winter2026!", "P@ssw0rd", "Pa@ss.word"])
def test_a_password_typed_into_the_email_field_is_not_logged(client, audit_lines, password):
    sign_in(client, password, password)
    [line] = audit_lines()
    assert line["email"] == unknown(password) and password not in json.dumps(line)


def unknown(typed: str) -> str:
    """How the log names an email that matches no account: a short hash, never the text."""
    return "unknown:" + hashlib.sha256(typed.encode()).hexdigest()[:12]


@pytest.mark.parametrize("email", [
    'x@example.org\n{"time": "2026-01-01T00:00:00.000Z", "event": "sign-in ok", "user_id": 1}',
    "x@example.org\r\nsign-in ok for admin@example.org",
    "x@example.org\x1b[2K\x1b[1Ahidden\x00\u2028\u0085\U0001f600",
])
def test_no_typed_value_can_break_or_forge_a_line(client, audit_lines, capsys, email):
    token = csrf_token(client)
    capsys.readouterr()
    client.post("/login", data={"email": email, "password": "guess", "csrf_token": token})
    client.get("/nominations%0a%7B%22event%22:%22sign-in%20ok%22%7D")  # a path with a line break in it
    written = capsys.readouterr().err
    lines = [json.loads(line) for line in written.splitlines() if "event" in line]
    assert len(lines) == 1 and lines[0]["event"] == "sign-in refused"
    assert all(32 <= ord(char) < 127 for char in written.replace("\n", "")), "every other character escaped"
    assert lines[0]["email"] == unknown(email.replace("\x00", ""))  # no account: only a hash of what was typed


def test_a_refused_page_is_logged_with_who_and_what(client, session, audit_lines):
    executive = make_user(session, Role.EXECUTIVE, can_sign_in=True)
    sign_in(client, executive.email)
    audit_lines()
    assert client.get("/nominations/new").status_code == 403
    [line] = audit_lines()
    assert (line["event"], line["user_id"], line["path"]) == ("forbidden", executive.id, "/nominations/new")
    assert line["detail"] == "needs staff or board"


def test_an_admin_page_refused_to_staff_is_logged(client, nurse, audit_lines):
    sign_in(client, nurse.email)
    audit_lines()
    assert client.get("/admin").status_code == 403
    assert [(line["event"], line["user_id"]) for line in audit_lines()] == [("forbidden", nurse.id)]


def test_a_refused_csrf_token_is_logged(client, session, nurse, audit_lines):
    nomination = make_nomination(session)
    sign_in(client, nurse.email)
    audit_lines()
    assert client.post(f"/nominations/{nomination.id}/comments", data={"body": "Same here"}).status_code == 400
    [line] = audit_lines()
    assert (line["event"], line["user_id"], line["method"]) == ("csrf refused", nurse.id, "POST")
    assert "CSRF token is missing" in line["detail"]


def test_signing_out_and_an_expired_session_are_logged(client, session, nurse, audit_lines):
    sign_in(client, nurse.email)
    client.post("/logout", data={"csrf_token": csrf_token(client, "/nominations")})
    sign_in(client, nurse.email)
    session.execute(update(UserSession).values(last_seen_at=utc_now() - timedelta(hours=2)))
    session.commit()
    client.get("/nominations")
    events = [(line["event"], line["user_id"], line["detail"]) for line in audit_lines()]
    assert events == [("sign-in ok", nurse.id, None), ("signed out", nurse.id, None), ("sign-in ok", nurse.id, None),
                      ("session expired", nurse.id, "idle")]


def test_wrong_invite_links_are_logged(client, audit_lines):
    assert client.get("/invite/a-guessed-token").status_code == 404
    [line] = audit_lines()
    assert (line["event"], line["path"], line["detail"]) == ("invite refused", "/invite/a-guessed-token", "404")

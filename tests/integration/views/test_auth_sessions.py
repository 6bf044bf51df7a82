"""Sessions end after SESSION_IDLE_MINUTES without a request and SESSION_MAX_HOURS after sign-in, with a message
on the sign-in page; activity is noted at most once a minute, and never by turning a page's read into a write.

Time is moved by editing the session row's timestamps, as if the person had been away.
"""

from datetime import timedelta

import pytest
from flask import session as flask_session
from sqlalchemy import func, select, text, update
from sqlalchemy.exc import OperationalError

from burden_tracker import create_app
from burden_tracker.db import get_session, open_session
from burden_tracker.enums import Role, State
from burden_tracker.models import Comment, UserSession, utc_now
from burden_tracker.views.auth import load_account
from tests.support.factories import make_nomination, make_user
from tests.support.web import HTMX, csrf_token, sign_in

IDLE_MESSAGE = "You were signed out after 60 minutes without activity."
LIFETIME_MESSAGE = "You were signed out because a session lasts at most 12 hours."


@pytest.fixture
def nurse(session):
    return make_user(session, can_sign_in=True)


def age(session, user_id: int, *, seen: timedelta, created: timedelta | None = None) -> None:
    """As if the person signed in `created` ago and last asked for a page `seen` ago."""
    now = utc_now()
    session.execute(update(UserSession).where(UserSession.user_id == user_id)
                    .values(last_seen_at=now - seen, created_at=now - (created or seen)))
    session.commit()


def last_seen(session, user_id: int):
    session.expire_all()
    return session.scalar(select(UserSession.last_seen_at).where(UserSession.user_id == user_id))


def sessions_of(session, user_id: int) -> int:
    return session.scalar(select(func.count()).select_from(UserSession).where(UserSession.user_id == user_id))


def test_an_idle_session_ends_and_the_sign_in_page_says_why(client, session, nurse):
    sign_in(client, nurse.email)
    age(session, nurse.id, seen=timedelta(minutes=61))
    response = client.get("/nominations")
    assert response.status_code == 302 and response.headers["Location"] == "/login?next=%2Fnominations"
    assert IDLE_MESSAGE in client.get("/login").get_data(as_text=True)
    assert sessions_of(session, nurse.id) == 0
    assert client.get("/nominations").status_code == 302  # and stays ended


def test_a_session_ends_after_the_maximum_however_busy(client, session, nurse):
    sign_in(client, nurse.email)
    age(session, nurse.id, seen=timedelta(seconds=5), created=timedelta(hours=12, minutes=1))
    assert client.get("/nominations").status_code == 302
    assert LIFETIME_MESSAGE in client.get("/login").get_data(as_text=True)
    assert sessions_of(session, nurse.id) == 0


def test_a_session_just_inside_both_limits_goes_on(client, session, nurse):
    sign_in(client, nurse.email)
    age(session, nurse.id, seen=timedelta(minutes=59), created=timedelta(hours=11, minutes=59))
    assert client.get("/nominations").status_code == 200


def test_activity_is_noted_at_most_once_a_minute(client, session, nurse):
    sign_in(client, nurse.email)
    age(session, nurse.id, seen=timedelta(minutes=30))
    assert client.get("/nominations").status_code == 200
    noted = last_seen(session, nurse.id)
    assert utc_now() - noted < timedelta(seconds=30)
    assert client.get("/mine").status_code == 200
    assert last_seen(session, nurse.id) == noted  # within the minute: no write


def test_a_post_notes_activity_and_does_its_work(client, session, nurse):
    nomination = make_nomination(session)
    sign_in(client, nurse.email)
    token = csrf_token(client, f"/nominations/{nomination.id}")
    age(session, nurse.id, seen=timedelta(minutes=5))
    response = client.post(f"/nominations/{nomination.id}/comments", data={"body": "Same on 4 West",
                                                                          "csrf_token": token})
    assert response.status_code < 400
    assert utc_now() - last_seen(session, nurse.id) < timedelta(seconds=30)
    assert session.scalar(select(func.count()).select_from(Comment)) == 1


def test_a_post_from_an_ended_session_changes_nothing(client, session, nurse):
    nomination = make_nomination(session)
    sign_in(client, nurse.email)
    token = csrf_token(client, f"/nominations/{nomination.id}")
    age(session, nurse.id, seen=timedelta(hours=2))
    response = client.post(f"/nominations/{nomination.id}/comments", data={"body": "Too late", "csrf_token": token})
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")
    assert session.scalar(select(func.count()).select_from(Comment)) == 0


def test_the_polled_vote_tally_does_not_keep_a_session_alive(client, session):
    member = make_user(session, Role.BOARD, can_sign_in=True)
    nomination = make_nomination(session, state=State.EVALUATED)
    sign_in(client, member.email)
    age(session, member.id, seen=timedelta(minutes=30))
    before = last_seen(session, member.id)
    assert client.get(f"/nominations/{nomination.id}/tally", headers=HTMX).status_code == 200
    assert last_seen(session, member.id) == before


def test_the_timeouts_come_from_the_settings(engine, database_url, session, nurse):
    app = create_app({"TESTING": True, "DATABASE_URL": database_url, "SECRET_KEY": "k",
                      "SESSION_IDLE_MINUTES": 5, "SESSION_MAX_HOURS": 1})
    try:
        client = app.test_client()
        sign_in(client, nurse.email)
        age(session, nurse.id, seen=timedelta(minutes=6))
        client.get("/nominations")
        assert "You were signed out after 5 minutes without activity." in client.get("/login").get_data(as_text=True)
        sign_in(client, nurse.email)
        age(session, nurse.id, seen=timedelta(minutes=1), created=timedelta(minutes=61))
        client.get("/nominations")
        assert "a session lasts at most 1 hours" in client.get("/login").get_data(as_text=True)
    finally:
        app.extensions["db_engine"].dispose()


def test_signing_in_clears_the_persons_ended_sessions(app, session, nurse):
    left_on_a_ward = app.test_client()
    sign_in(left_on_a_ward, nurse.email)
    age(session, nurse.id, seen=timedelta(hours=3))
    sign_in(app.test_client(), nurse.email)
    assert sessions_of(session, nurse.id) == 1


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_noting_activity_on_a_get_never_turns_the_pages_read_into_a_write(app, engine, session, nurse):
    """On SQLite a GET reads in a DEFERRED transaction; once another worker has written since it began, a write
    in it fails at once with "database is locked". The note goes through a short transaction of its own."""
    client = app.test_client()
    sign_in(client, nurse.email)
    age(session, nurse.id, seen=timedelta(minutes=10))
    cookie = client.get_cookie("session").value
    with app.test_request_context("/nominations", headers={"Cookie": f"session={cookie}"}):
        page = get_session()
        page.execute(text("SELECT count(*) FROM nominations")).scalar()  # the page's read has begun
        with open_session(engine) as other_worker:
            make_nomination(other_worker)
        with pytest.raises(OperationalError, match="database is locked"):  # why the page's session is not used
            page.execute(text("UPDATE users SET name = name WHERE id = :id"), {"id": nurse.id})
        page.rollback()
        page.execute(text("SELECT count(*) FROM nominations")).scalar()
        with open_session(engine) as other_worker:
            make_nomination(other_worker, title="Another burden charted twice")
        assert load_account(flask_session["_user_id"]) is not None
    assert utc_now() - last_seen(session, nurse.id) < timedelta(seconds=30)

"""/me/sessions: where a person is signed in (browser, address, when), on the organization's clocks; they sign
out any other browser, or all others at once, and never anyone else's."""

from burden_tracker.models import Settings, UserSession
from tests.support.factories import make_user
from tests.support.web import count, csrf_token, sign_in

PHONE = ("Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
         "Version/18.1 Mobile/15E148 Safari/604.1")
WARD_PC = ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 "
           "Safari/537.36 Edg/131.0.0.0")


def browser(app, email: str, user_agent: str, address: str):
    client = app.test_client()
    client.environ_base.update(HTTP_USER_AGENT=user_agent, REMOTE_ADDR=address)
    sign_in(client, email)
    return client


def test_a_person_sees_each_browser_they_are_signed_in_on(app, session):
    session.get(Settings, 1).time_zone = "America/Chicago"
    session.commit()
    nurse = make_user(session, can_sign_in=True)
    browser(app, nurse.email, PHONE, "10.1.2.3")
    desk = browser(app, nurse.email, WARD_PC, "10.9.8.7")
    page = desk.get("/me/sessions").get_data(as_text=True)
    assert "Edge on Windows <small class=\"this-browser\">(this browser)</small>" in page
    assert "Safari on iPhone" in page and "10.1.2.3" in page and "10.9.8.7" in page
    assert " CST</time>" in page  # on the organization's clocks
    assert page.index("Edge on Windows") < page.index("Safari on iPhone")


def test_signing_out_another_browser_ends_only_that_one(app, session):
    nurse = make_user(session, can_sign_in=True)
    phone = browser(app, nurse.email, PHONE, "10.1.2.3")
    desk = browser(app, nurse.email, WARD_PC, "10.9.8.7")
    key = session.scalars(UserSession.__table__.select().with_only_columns(UserSession.token_hash)
                          .where(UserSession.user_agent == PHONE)).one()
    session.commit()
    answer = desk.post("/me/sessions/end", data={"csrf_token": csrf_token(desk, "/me/sessions"), "session": key},
                       follow_redirects=True)
    assert "That session is signed out." in answer.get_data(as_text=True)
    assert phone.get("/me/sessions").status_code == 302  # to /login
    assert desk.get("/me/sessions").status_code == 200


def test_nobody_ends_someone_elses_session(app, session):
    nurse, other = make_user(session, can_sign_in=True), make_user(session, can_sign_in=True)
    browser(app, other.email, PHONE, "10.1.2.3")
    key = session.scalars(UserSession.__table__.select().with_only_columns(UserSession.token_hash)
                          .where(UserSession.user_id == other.id)).one()
    session.commit()
    desk = browser(app, nurse.email, WARD_PC, "10.9.8.7")
    answer = desk.post("/me/sessions/end", data={"csrf_token": csrf_token(desk, "/me/sessions"), "session": key},
                       follow_redirects=True)
    assert "That session had already ended." in answer.get_data(as_text=True)
    assert count(session, UserSession, user_id=other.id) == 1


def test_signing_out_everywhere_else_keeps_this_browser(app, session):
    nurse = make_user(session, can_sign_in=True)
    others = [browser(app, nurse.email, PHONE, f"10.1.2.{n}") for n in range(3)]
    desk = browser(app, nurse.email, WARD_PC, "10.9.8.7")
    answer = desk.post("/me/sessions/end-others", data={"csrf_token": csrf_token(desk, "/me/sessions")},
                       follow_redirects=True)
    assert "Signed out everywhere else (3 sessions)." in answer.get_data(as_text=True)
    assert [other.get("/me/sessions").status_code for other in others] == [302, 302, 302]
    assert count(session, UserSession, user_id=nurse.id) == 1

"""A person's own password: changing it (the current one asked again), and "Forgot your password?", which emails a
one-hour, single-use link through a real SMTP server and answers the same whether or not the email is known."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import update

from burden_tracker.models import Invite, User, UserSession, utc_now
from burden_tracker.services.users import password_matches
from tests.support.factories import make_user
from tests.support.web import PASSWORD, count, csrf_token, sign_in

NEW = "ward seven pager beeps"
BASE_URL = "https://burden.hospital.test/"


def post(client, path: str, data: dict, page: str | None = None):
    response = client.post(path, data={**data, "csrf_token": csrf_token(client, page or path)})
    response.close()  # the link is emailed once the response is done
    return response


def error_beside(response, field: str) -> str:
    found = re.search(rf'id="{field}-error"[^>]*>([^<]*)<', response.get_data(as_text=True))
    return found[1] if found else ""


@pytest.fixture
def mailing_app(app, inbox):
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=inbox.port, MAIL_FROM="tracker@hospital.test",
                      BASE_URL=BASE_URL)
    return app


def test_a_person_changes_their_password_and_their_other_browsers_are_signed_out(app, session):
    nurse = make_user(session, name="Dana Whitfield", can_sign_in=True)
    elsewhere, here = app.test_client(), app.test_client()
    sign_in(elsewhere, nurse.email)
    sign_in(here, nurse.email)
    answer = post(here, "/me/password", {"current": PASSWORD, "password": NEW, "confirm": NEW})
    assert answer.status_code == 303
    session.expire_all()
    assert password_matches(session.get(User, nurse.id), NEW)
    assert elsewhere.get("/me/password").status_code == 302 and here.get("/me/password").status_code == 200
    assert count(session, UserSession, user_id=nurse.id) == 1


@pytest.mark.parametrize(("fields", "field", "message"), [
    ({"current": "not it", "password": NEW, "confirm": NEW}, "current", "Is not your current password"),
    ({"current": PASSWORD, "password": "password", "confirm": "password"}, "password",
     "Is too easy to guess: this is a top-10 common password"),
    ({"current": PASSWORD, "password": "Whitfield2026", "confirm": "Whitfield2026"}, "password",
     "Is too easy to guess: it is built from your name or email address"),
    ({"current": PASSWORD, "password": NEW, "confirm": "something else"}, "confirm",
     "The two passwords are not the same."),
])
def test_a_refused_change_says_why_beside_the_field_and_changes_nothing(app, session, fields, field, message):
    nurse = make_user(session, name="Dana Whitfield", can_sign_in=True)
    client = app.test_client()
    sign_in(client, nurse.email)
    answer = post(client, "/me/password", fields)
    assert answer.status_code == 422
    assert error_beside(answer, field).startswith(message)
    session.expire_all()
    assert password_matches(session.get(User, nurse.id), PASSWORD)


def test_a_forgotten_password_is_chosen_again_through_an_emailed_link(mailing_app, session, inbox):
    nurse = make_user(session, can_sign_in=True)
    visitor = mailing_app.test_client()
    asked = post(visitor, "/login/forgot", {"email": nurse.email.upper()})
    assert (asked.status_code, asked.headers["Location"]) == (303, "/login")
    [message] = inbox.to(nurse.email)
    assert message["Subject"] == "Burden Tracker: choose a new password"
    link = re.search(r"https://burden\.hospital\.test/login/reset/\S+", message.get_content())[0]
    path = link.removeprefix(BASE_URL.rstrip("/"))
    assert "Choose a new password" in visitor.get(path).get_data(as_text=True)

    weak = post(visitor, path, {"password": "password", "confirm": "password"})
    assert weak.status_code == 422 and error_beside(weak, "password").startswith("Is too easy to guess")
    assert post(visitor, path, {"password": NEW, "confirm": NEW}).status_code == 303
    assert sign_in(mailing_app.test_client(), nurse.email, NEW).status_code == 302
    again = post(visitor, path, {"password": "another good passphrase here", "confirm": "another good passphrase here"},
                 page="/login")
    assert again.status_code == 410 and "has been used already" in again.get_data(as_text=True)


def test_an_unknown_email_gets_the_same_answer_and_no_email(mailing_app, session, inbox):
    nurse = make_user(session, can_sign_in=True)
    known = post(mailing_app.test_client(), "/login/forgot", {"email": nurse.email})
    unknown = post(mailing_app.test_client(), "/login/forgot", {"email": "nobody@hospital.test"})
    assert (known.status_code, known.headers["Location"]) == (unknown.status_code, unknown.headers["Location"])
    flashed = [mailing_app.test_client() for _ in range(2)]
    assert [message["To"] for _, message in inbox.received] == [nurse.email]
    assert flashed  # both answers lead to the same sign-in page, with the same words (tests/browser too)


def test_a_reset_link_works_for_an_hour(mailing_app, session, inbox):
    nurse = make_user(session, can_sign_in=True)
    post(mailing_app.test_client(), "/login/forgot", {"email": nurse.email})
    link = re.search(r"/login/reset/\S+", inbox.to(nurse.email)[0].get_content())[0]
    session.execute(update(Invite).values(expires_at=utc_now() - timedelta(minutes=1)))
    session.commit()
    answer = mailing_app.test_client().get(link)
    assert answer.status_code == 410 and "works for one hour" in answer.get_data(as_text=True)


def test_an_invite_token_is_no_reset_link(mailing_app, session):
    from burden_tracker.services.invites import issue_invite

    person = make_user(session)
    token = issue_invite(session=session, user_id=person.id, issued_by_id=None)
    session.commit()
    assert mailing_app.test_client().get(f"/login/reset/{token}").status_code == 404


def test_asking_again_and_again_is_slowed(mailing_app, session, inbox):
    nurse = make_user(session, can_sign_in=True)
    answers = [post(mailing_app.test_client(), "/login/forgot", {"email": nurse.email}).status_code
               for _ in range(5)]
    assert answers[:3] == [303, 303, 303] and answers[-1] == 429
    assert len(inbox.to(nurse.email)) == 3


def test_without_mail_the_page_says_to_ask_an_administrator(app):
    page = app.test_client().get("/login/forgot").get_data(as_text=True)
    assert "This server cannot send email" in page and 'name="email"' not in page

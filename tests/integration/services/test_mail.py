"""Emailing notices and invite links through a real SMTP server (aiosmtpd) started by the test on 127.0.0.1."""

import logging
import re
import threading
import time

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select

from burden_tracker.enums import Role
from burden_tracker.jobs import email_notices_now
from burden_tracker.models import Notification
from burden_tracker.services.nominations import comment, support
from burden_tracker.services.transitions import move_nomination
from burden_tracker.views import mailing
from burden_tracker.workflow import Move
from tests.support.factories import make_nomination, make_user
from tests.support.serving import Browser, free_port, served
from tests.support.web import PASSWORD, csrf_token, sign_in

TITLE = "Pain score charted twice"
BASE_URL = "https://burden.hospital.test/"


@pytest.fixture
def mailing_app(app, inbox):
    """The app sending through the test's SMTP server; init_app does nothing if create_app already did it."""
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=inbox.port, MAIL_FROM="tracker@hospital.test",
                      BASE_URL=BASE_URL)
    mailing.init_app(app)
    return app


@pytest.fixture
def people(session):
    submitter = make_user(session, can_sign_in=True)
    supporters = [make_user(session, can_sign_in=True) for _ in range(2)]
    nomination = make_nomination(session, submitter=submitter, title=TITLE)
    for supporter in supporters:
        support(session=session, nomination_id=nomination.id, user=supporter, occurrences_per_week=10)
    return submitter, supporters, nomination


def post_comment(client, nomination_id: int, body: str = "Same on our unit.") -> int:
    """A comment POST, closed as a WSGI server closes it once sent: that is when notices are emailed."""
    token = csrf_token(client, f"/nominations/{nomination_id}")
    with client.post(f"/nominations/{nomination_id}/comments", data={"csrf_token": token, "body": body}) as response:
        return response.status_code


def unsent(session) -> int:
    count = session.scalar(select(func.count()).select_from(Notification).where(Notification.emailed_at.is_(None)))
    session.commit()  # end the read, so the app's writers are not kept waiting on SQLite
    return count


def test_a_comment_post_emails_the_submitter_and_other_supporters_once_each(mailing_app, session, inbox, people):
    submitter, (commenter, other), nomination = people
    client = mailing_app.test_client()
    sign_in(client, commenter.email)
    assert post_comment(client, nomination.id) == 200
    assert sorted(recipients[0] for recipients, _ in inbox.received) == sorted([submitter.email, other.email])
    for address in (submitter.email, other.email):
        [message] = inbox.to(address)
        assert message["To"] == address and message["From"] == "tracker@hospital.test"
        assert message["Subject"] == f"Burden Tracker: New comment on “{TITLE}”."
        assert message.get_content_type() == "text/plain"
        body = message.get_content()
        assert f"New comment on “{TITLE}”." in body and f"{BASE_URL}nominations/{nomination.id}" in body
    assert inbox.to(commenter.email) == []
    assert unsent(session) == 0


def test_delivering_again_sends_nothing_twice(mailing_app, session, inbox, people):
    _submitter, (commenter, _other), nomination = people
    client = mailing_app.test_client()
    sign_in(client, commenter.email)
    post_comment(client, nomination.id)
    assert email_notices_now(mailing_app) == 0
    with client.post("/notices/read", data={"csrf_token": csrf_token(client, "/notices")}):
        pass
    assert len(inbox.received) == 2


def test_two_deliveries_at_once_send_each_notice_exactly_once(mailing_app, session, inbox, people):
    submitter, supporters, nomination = people
    board_member = make_user(session, Role.STAFF, Role.BOARD)
    for number in range(5):
        nomination = make_nomination(session, submitter=submitter, title=f"Burden number {number}")
        for supporter in supporters:
            support(session=session, nomination_id=nomination.id, user=supporter, occurrences_per_week=1)
        move_nomination(session=session, nomination_id=nomination.id, move=Move.REJECT, actor=board_member,
                        expected_version=nomination.version, fields={"note": "Required by CMS."})
    sent = []
    workers = [threading.Thread(target=lambda: sent.append(email_notices_now(mailing_app))) for _ in range(2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=60)
    assert sum(sent) == 15 and len(inbox.received) == 15
    subjects = [(recipients[0], message["Subject"]) for recipients, message in inbox.received]
    assert len(set(subjects)) == 15
    assert unsent(session) == 0


def test_a_move_email_names_the_nomination_the_change_and_the_boards_note(mailing_app, session, inbox, people):
    submitter, _supporters, nomination = people
    board_member = make_user(session, Role.STAFF, Role.BOARD)
    move_nomination(session=session, nomination_id=nomination.id, move=Move.REJECT, actor=board_member,
                    expected_version=nomination.version, fields={"note": "Required by the state board of nursing."})
    email_notices_now(mailing_app)
    [message] = inbox.to(submitter.email)
    assert message["Subject"] == f"Burden Tracker: “{TITLE}” moved from proposed to rejected."
    body = message.get_content()
    assert "Note: Required by the state board of nursing." in body
    assert f"{BASE_URL}nominations/{nomination.id}" in body
    assert inbox.to(board_member.email) == []


def test_emails_about_an_anonymous_nomination_never_name_its_submitter(mailing_app, session, inbox):
    submitter = make_user(session, name="Dana Secret", email="dana.secret@hospital.test")
    supporter = make_user(session, can_sign_in=True)
    other = make_user(session)
    nomination = make_nomination(session, submitter=submitter, title=TITLE, anonymous=True)
    support(session=session, nomination_id=nomination.id, user=other, occurrences_per_week=2)
    client = mailing_app.test_client()
    sign_in(client, supporter.email)
    support_token = csrf_token(client, f"/nominations/{nomination.id}")
    with client.post(f"/nominations/{nomination.id}/support",
                     data={"csrf_token": support_token, "occurrences_per_week": "3"}):
        pass
    post_comment(client, nomination.id)
    assert len(inbox.received) == 2  # the submitter and the other supporter
    [about_it] = inbox.to(other.email)
    assert "Dana" not in about_it.as_string() and "dana.secret" not in about_it.as_string()


def test_with_the_smtp_server_down_the_post_succeeds_and_notices_wait_for_a_later_attempt(
        mailing_app, session, inbox, people, caplog):
    submitter, (commenter, other), nomination = people
    mailing_app.config["SMTP_PORT"] = free_port()  # nothing listens there
    client = mailing_app.test_client()
    sign_in(client, commenter.email)
    with caplog.at_level(logging.ERROR, logger="burden_tracker"):
        assert post_comment(client, nomination.id) == 200
    assert "the rest stay pending" in caplog.text
    assert unsent(session) == 2 and inbox.received == []
    mailing_app.config["SMTP_PORT"] = inbox.port  # the server is back
    with client.post("/notices/read", data={"csrf_token": csrf_token(client, "/notices")}):
        pass
    assert sorted(recipients[0] for recipients, _ in inbox.received) == sorted([submitter.email, other.email])
    assert unsent(session) == 0


def test_a_refused_recipient_stays_pending_while_the_others_are_sent(mailing_app, session, inbox, people, caplog):
    submitter, (commenter, other), nomination = people
    inbox.refused.add(submitter.email)
    client = mailing_app.test_client()
    sign_in(client, commenter.email)
    with caplog.at_level(logging.ERROR, logger="burden_tracker"):
        post_comment(client, nomination.id)
    assert [recipients for recipients, _ in inbox.received] == [[other.email]]
    assert unsent(session) == 1 and "stays pending" in caplog.text and submitter.email not in caplog.text
    inbox.refused.clear()
    assert email_notices_now(mailing_app) == 1 and len(inbox.to(submitter.email)) == 1


def test_without_an_smtp_host_nothing_is_emailed(app, session, inbox, people):
    _submitter, (commenter, _other), nomination = people
    app.config.update(SMTP_HOST=None, SMTP_PORT=inbox.port)
    mailing.init_app(app)
    client = app.test_client()
    sign_in(client, commenter.email)
    assert post_comment(client, nomination.id) == 200
    assert inbox.received == [] and unsent(session) == 2


def test_init_app_registers_the_delivery_once_however_often_it_is_called(app):
    mailing.init_app(app)
    hooks = list(app.after_request_funcs[None])
    mailing.init_app(app)
    assert app.after_request_funcs[None] == hooks


# Links in emails come from BASE_URL alone: never from a host a request names.

HOSTILE = {"Host": "evil.example", "X-Forwarded-Host": "forwarded.evil.example"}


def hostile(text: str) -> bool:
    return "evil" in text


class HostileClient(FlaskClient):
    """A browser whose every request names a host of the client's choosing, cookies and all."""

    def open(self, *args, **kwargs):
        kwargs.setdefault("base_url", f"http://{HOSTILE['Host']}")
        kwargs["headers"] = {"X-Forwarded-Host": HOSTILE["X-Forwarded-Host"], **kwargs.get("headers", {})}
        return super().open(*args, **kwargs)


def hostile_client(app) -> HostileClient:
    return HostileClient(app, app.response_class, use_cookies=True)


def test_without_base_url_notices_go_out_without_a_link_and_the_log_says_why(app, session, inbox, people, caplog):
    submitter, (commenter, other), nomination = people
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=inbox.port, BASE_URL=None)
    mailing.init_app(app)
    client = hostile_client(app)
    sign_in(client, commenter.email)
    with caplog.at_level(logging.WARNING, logger="burden_tracker"):
        assert post_comment(client, nomination.id) == 200
    assert sorted(recipients[0] for recipients, _ in inbox.received) == sorted([submitter.email, other.email])
    for _, message in inbox.received:
        body = message.get_content()
        assert f"New comment on “{TITLE}”." in body
        assert "/nominations/" not in body and "http" not in body and not hostile(message.as_string())
    assert "BASE_URL is not set" in caplog.text


@pytest.fixture
def admin_client(app, session):
    admin = make_user(session, Role.ADMIN, can_sign_in=True)
    client = hostile_client(app)
    sign_in(client, admin.email)
    return client


def add_person(client, email: str):
    token = csrf_token(client, "/admin/users/new")
    return client.post("/admin/users/new", follow_redirects=True,
                       data={"csrf_token": token, "email": email, "name": "New Person", "roles": ["staff"]})


def test_an_invite_link_is_emailed_under_base_url_whatever_host_the_admin_request_named(app, inbox, admin_client):
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=inbox.port, BASE_URL=BASE_URL)
    page = add_person(admin_client, "new.person@hospital.test").get_data(as_text=True)
    [message] = inbox.to("new.person@hospital.test")
    [link] = re.findall(r"\S+/invite/\S+", message.get_content())
    assert link.startswith(f"{BASE_URL}invite/") and not hostile(message.as_string())
    assert "was emailed to new.person@hospital.test" in page and link in page


def test_a_base_url_with_a_path_keeps_its_path_in_every_emailed_link(app, session, inbox, admin_client, people):
    """A hospital may serve the app under a path of a shared host, behind its proxy."""
    under_a_path = "https://intranet.hospital.test/burden/"
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=inbox.port, BASE_URL=under_a_path)
    add_person(admin_client, "new.person@hospital.test")
    submitter, [supporter, _], nomination = people
    comment(session=session, nomination_id=nomination.id, author=supporter, body="Same on our ward.")
    email_notices_now(app)
    [invite] = inbox.to("new.person@hospital.test")
    [notice] = inbox.to(submitter.email)
    assert re.search(r"\S+/invite/\S+", invite.get_content())[0].startswith(f"{under_a_path}invite/")
    assert f"See the nomination: {under_a_path}nominations/{nomination.id}" in notice.get_content().splitlines()


def test_without_base_url_an_invite_link_is_not_emailed_and_the_admin_is_told(app, inbox, admin_client, caplog):
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=inbox.port, BASE_URL=None)
    with caplog.at_level(logging.WARNING, logger="burden_tracker"):
        page = add_person(admin_client, "new.person@hospital.test").get_data(as_text=True)
    assert inbox.received == []
    assert "The invite link was not emailed (this server has no BASE_URL set)" in page and "/invite/" in page
    assert "BASE_URL is not set" in caplog.text


def wait_for_mail(inbox, count: int, seconds: float = 20) -> None:
    """Delivery runs after the response has gone out, in the job worker beside the server."""
    deadline = time.monotonic() + seconds
    while len(inbox.received) < count:
        assert time.monotonic() < deadline, f"{len(inbox.received)} emails arrived, not {count}"
        time.sleep(0.05)


def test_no_request_to_the_served_app_gets_a_host_it_named_into_an_email(database_url, session, inbox, tmp_path):
    """Signed in or not, with a good CSRF token, a bad one or none, trusting a proxy's X-Forwarded-*: every
    email the requests cause links to BASE_URL, and none names the host the requests gave."""
    submitter = make_user(session, email="submitter@hospital.test")
    board_member = make_user(session, Role.STAFF, Role.BOARD)
    commenter = make_user(session, can_sign_in=True)
    admin = make_user(session, Role.ADMIN, can_sign_in=True)

    def another_pending_notice(number: int) -> int:
        nomination = make_nomination(session, submitter=submitter, title=f"Burden number {number}")
        move_nomination(session=session, nomination_id=nomination.id, move=Move.REJECT, actor=board_member,
                        expected_version=nomination.version, fields={"note": "Required by CMS."})
        return nomination.id

    env = {"SMTP_HOST": "127.0.0.1", "SMTP_PORT": str(inbox.port), "MAIL_FROM": "tracker@hospital.test",
           "BASE_URL": BASE_URL, "PROXY_FIX": "1"}
    with served(database_url, tmp_path / "server.log", extra_env=env, with_worker=True) as (base, _server):
        stranger = Browser(base, headers=HOSTILE)
        another_pending_notice(1)
        assert stranger.send("POST", "/login", {"email": commenter.email, "password": "x"})[0] == 400  # no token
        wait_for_mail(inbox, 1)

        person = Browser(base, headers=HOSTILE)
        person.sign_in(commenter.email, PASSWORD)
        nomination_id = another_pending_notice(2)
        assert person.send("POST", f"/nominations/{nomination_id}/comments",
                           {"body": "Same here.", "csrf_token": "not the token"})[0] == 400
        wait_for_mail(inbox, 2)
        open_one = make_nomination(session, submitter=submitter, title="Burden number 3")
        assert person.post(f"/nominations/{open_one.id}/comments", body="Same on our unit.") == 200
        wait_for_mail(inbox, 3)

        administrator = Browser(base, headers=HOSTILE)
        administrator.sign_in(admin.email, PASSWORD)
        assert administrator.post("/admin/users/new", email="new.person@hospital.test", name="New Person",
                                  roles=["staff"]) == 303
        wait_for_mail(inbox, 4)

    assert [recipients for recipients, _ in inbox.received] == [[submitter.email]] * 3 + [["new.person@hospital.test"]]
    for _, message in inbox.received:
        links = re.findall(r"\S+/(?:nominations|invite)/\S+", message.get_content())
        assert links and all(link.startswith(BASE_URL) for link in links)
        assert not hostile(message.as_string())

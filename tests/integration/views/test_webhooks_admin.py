"""/admin/webhooks: adding an endpoint (its secret shown once), its log with the answers, pausing and removing it;
and a change made on a page reaching a real receiver once the page has answered. On SQLite and PostgreSQL."""

import re

import pytest
from sqlmodel import select

from burden_tracker.enums import Role
from burden_tracker.models import WebhookDelivery, WebhookEndpoint
from tests.support.factories import make_department, make_user
from tests.support.web import csrf_token, sign_in
from tests.support.webhook_receiver import running_receiver

PAGE = "/admin/webhooks"


@pytest.fixture
def admin_client(client, session):
    sign_in(client, make_user(session, Role.ADMIN, can_sign_in=True).email)
    return client


@pytest.fixture
def receiver():
    with running_receiver() as receiver:
        yield receiver


def add(client, **changes):
    data = {"csrf_token": csrf_token(client, PAGE), "name": "Intranet wins page", "url": "https://hooks.test/x",
            "events": ["nomination.created", "nomination.moved"], "format": "standard", **changes}
    return client.post(PAGE, data={name: value for name, value in data.items() if value is not None})


def test_an_admin_adds_an_endpoint_and_sees_its_secret_once(admin_client, session):
    page = add(admin_client).get_data(as_text=True)
    secret = session.exec(select(WebhookEndpoint.secret)).one()
    assert f'value="{secret}"' in page and "shown this once" in page
    assert "nomination.created, nomination.moved" in page
    again = admin_client.get(PAGE).get_data(as_text=True)
    assert "Intranet wins page" in again and secret not in again


def test_a_bad_endpoint_is_refused_beside_each_field_and_nothing_is_kept(admin_client, session):
    answer = add(admin_client, url="http://hooks.test/x", events=None, format="fax")
    page = answer.get_data(as_text=True)
    assert answer.status_code == 422
    assert 'id="url-error"' in page and "Must start with https://" in page
    assert 'id="events-error"' in page and "Choose at least one event." in page
    assert session.exec(select(WebhookEndpoint)).all() == []


def test_what_an_admin_typed_is_shown_as_text(admin_client):
    page = add(admin_client, name="<script>alert(1)</script>").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_a_nomination_made_on_its_page_reaches_the_receiver_and_the_log_shows_the_answer(
        app, admin_client, session, receiver):
    receiver.answers = [500]
    add(admin_client, url=receiver.url, events=["nomination.created"])
    endpoint = session.exec(select(WebhookEndpoint)).one()
    receiver.secrets.append(endpoint.secret)
    session.commit()
    make_department(session, "Surgery")
    staff = app.test_client()
    sign_in(staff, make_user(session, can_sign_in=True).email)
    nominated = staff.post("/nominations/new", data={
        "csrf_token": csrf_token(staff, "/nominations/new"), "title": "Pain score charted twice",
        "description": "Nurses chart the same pain score twice.", "category": "documentation",
        "department": "Surgery", "affected_role": "nurse", "minutes_per_occurrence": "0.4",
        "occurrences_per_week": "36", "clinicians_affected": "900", "requirement_source": "internal policy"})
    assert nominated.status_code == 303
    nominated.close()  # the response has gone: what it queued runs (at once, in tests)
    [received] = receiver.received  # sent as the page answered; the refusal waits for its try again
    assert received.message["data"]["nomination"]["title"] == "Pain score charted twice"
    assert received.signed_by == endpoint.secret
    log = admin_client.get(f"{PAGE}/{endpoint.id}").get_data(as_text=True)
    assert "nomination.created" in log and "500: answered 500" in log
    assert re.search(r"pending, tried again", log)


def test_an_admin_pauses_resumes_and_removes_an_endpoint(admin_client, session):
    add(admin_client)
    endpoint_id = session.exec(select(WebhookEndpoint.id)).one()
    session.commit()  # end the read: on SQLite it holds the lock the requests write under
    token = csrf_token(admin_client, f"{PAGE}/{endpoint_id}")
    paused = admin_client.post(f"{PAGE}/{endpoint_id}/pause", data={"csrf_token": token}, follow_redirects=True)
    assert "is paused" in paused.get_data(as_text=True) and ">Resume<" in paused.get_data(as_text=True)
    session.expire_all()
    assert session.get(WebhookEndpoint, endpoint_id).active is False
    session.commit()
    admin_client.post(f"{PAGE}/{endpoint_id}/resume", data={"csrf_token": token})
    session.expire_all()
    assert session.get(WebhookEndpoint, endpoint_id).active is True
    session.commit()
    removed = admin_client.post(f"{PAGE}/{endpoint_id}/remove", data={"csrf_token": token}, follow_redirects=True)
    assert "is removed, with its log" in removed.get_data(as_text=True)
    assert session.exec(select(WebhookEndpoint)).all() == [] and session.exec(select(WebhookDelivery)).all() == []
    session.commit()
    assert admin_client.get(f"{PAGE}/{endpoint_id}").status_code == 404


def test_people_who_are_not_admins_are_refused(client, session):
    sign_in(client, make_user(session, Role.BOARD, can_sign_in=True).email)
    assert client.get(PAGE).status_code == 403

"""Sending webhooks to a real receiver on loopback, which checks each signature with the Standard Webhooks
library: in order, tried again after a refusal with the same webhook-id, given up when the waits run out, and sent
by one worker at a time. On SQLite and PostgreSQL."""

import time
from datetime import timedelta

import pytest
from sqlalchemy import delete, update
from sqlmodel import select

from burden_tracker.enums import DeliveryOutcome, Role, WebhookEvent
from burden_tracker.models import WebhookDelivery, WebhookEndpoint, utc_now
from burden_tracker.services.webhook_delivery import deliver_due, forget_old_deliveries
from burden_tracker.services.webhooks import announce, register_endpoint, set_active
from tests.support.factories import make_user
from tests.support.serving import free_port
from tests.support.webhook_receiver import running_receiver

WAITS = (0.3, 0.3)  # two tries again, then given up
BASE = "https://burden.hospital.test"


def link(event: WebhookEvent, data: dict) -> str:
    return f"{BASE}/nominations/{data['nomination']['id']}"


@pytest.fixture
def receiver():
    with running_receiver() as receiver:
        yield receiver


@pytest.fixture
def admin(session):
    return make_user(session, Role.ADMIN)


def endpoint_at(session, admin, receiver, url=None, message_format="standard") -> WebhookEndpoint:
    endpoint, secret = register_endpoint(session=session, actor=admin, name="Wins page", url=url or receiver.url,
                                         events=["nomination.moved"], message_format=message_format,
                                         http_allowed=False)
    receiver.secrets.append(secret)
    return endpoint


def moved(session, nomination_id: int, title: str = "Fax cover sheet", to_state: str = "retired") -> None:
    announce(session, WebhookEvent.NOMINATION_MOVED, {"nomination": {"id": nomination_id, "title": title},
                                                      "from_state": "evaluated", "to_state": to_state})
    session.commit()


def deliver(session, endpoint) -> float | None:
    return deliver_due(session=session, endpoint_id=endpoint.id, waits=WAITS, link=link)


def log(session) -> list[tuple]:
    session.expire_all()
    found = session.exec(select(WebhookDelivery).order_by(WebhookDelivery.id)).all()
    return [(delivery.outcome, delivery.tries, delivery.last_status) for delivery in found]


def test_a_delivery_is_signed_as_the_specification_says_and_logged_with_its_answer(session, admin, receiver):
    endpoint = endpoint_at(session, admin, receiver)
    moved(session, 7)
    assert deliver(session, endpoint) is None
    [received] = receiver.received
    assert received.signed_by == endpoint.secret
    assert received.headers["content-type"] == "application/json"
    assert received.headers["webhook-id"] == session.exec(select(WebhookDelivery.message_id)).one()
    assert abs(int(received.headers["webhook-timestamp"]) - time.time()) < 60
    message = received.message
    assert (message["type"], message["data"]) == ("nomination.moved", {
        "nomination": {"id": 7, "title": "Fax cover sheet"}, "from_state": "evaluated", "to_state": "retired",
        "url": f"{BASE}/nominations/7"})
    assert log(session) == [(DeliveryOutcome.DELIVERED, 1, 204)]


def test_a_refused_delivery_is_tried_again_with_the_same_id_and_later_ones_wait_behind_it(session, admin, receiver):
    endpoint = endpoint_at(session, admin, receiver)
    receiver.answers = [503]
    moved(session, 1, "First")
    moved(session, 2, "Second")
    wait = deliver(session, endpoint)
    assert 0 < wait <= WAITS[0]
    assert [r.message["data"]["nomination"]["title"] for r in receiver.received] == ["First"]
    assert log(session) == [(DeliveryOutcome.PENDING, 1, 503), (DeliveryOutcome.PENDING, 0, None)]

    assert deliver(session, endpoint) is None  # not yet due: nothing is sent, and the second still waits
    assert len(receiver.received) == 1
    time.sleep(wait)
    assert deliver(session, endpoint) is None
    assert [(r.message["data"]["nomination"]["title"], r.answered) for r in receiver.received] == [
        ("First", 503), ("First", 204), ("Second", 204)]
    assert receiver.received[0].headers["webhook-id"] == receiver.received[1].headers["webhook-id"]
    assert receiver.received[1].headers["webhook-id"] != receiver.received[2].headers["webhook-id"]
    assert all(r.signed_by == endpoint.secret for r in receiver.received)
    assert log(session) == [(DeliveryOutcome.DELIVERED, 2, 204), (DeliveryOutcome.DELIVERED, 1, 204)]


def test_a_delivery_refused_through_every_wait_is_given_up_and_the_next_goes(session, admin, receiver):
    endpoint = endpoint_at(session, admin, receiver)
    receiver.answers = [500, 500, 500]
    moved(session, 1, "Never taken")
    moved(session, 2, "Taken")
    while (wait := deliver(session, endpoint)) is not None:
        time.sleep(wait)
    assert [(r.message["data"]["nomination"]["title"], r.answered) for r in receiver.received] == [
        ("Never taken", 500), ("Never taken", 500), ("Never taken", 500), ("Taken", 204)]
    assert log(session) == [(DeliveryOutcome.GIVEN_UP, 3, 500), (DeliveryOutcome.DELIVERED, 1, 204)]
    assert session.get(WebhookDelivery, 1).last_answer == "answered 500"


def test_an_endpoint_that_does_not_answer_is_logged_as_such(session, admin, receiver):
    endpoint = endpoint_at(session, admin, receiver, url=f"http://127.0.0.1:{free_port()}/nobody")
    moved(session, 1)
    assert deliver(session, endpoint) > 0
    delivery = session.exec(select(WebhookDelivery)).one()
    assert (delivery.outcome, delivery.last_status) == (DeliveryOutcome.PENDING, None)
    assert delivery.last_answer.startswith("No answer: ConnectionError")


def test_one_worker_at_a_time_sends_an_endpoints_deliveries(session, admin, receiver):
    endpoint = endpoint_at(session, admin, receiver)
    moved(session, 1)
    session.execute(update(WebhookEndpoint).values(delivering_until=utc_now() + timedelta(minutes=1)))
    session.commit()
    assert deliver(session, endpoint) is None
    assert receiver.received == []
    session.execute(update(WebhookEndpoint).values(delivering_until=utc_now() - timedelta(seconds=1)))
    session.commit()  # the other worker died: its hold lapsed
    deliver(session, endpoint)
    assert len(receiver.taken()) == 1
    session.expire_all()
    assert session.get(WebhookEndpoint, endpoint.id).delivering_until is None


def test_a_paused_endpoint_is_sent_nothing_until_it_resumes(session, admin, receiver):
    endpoint = endpoint_at(session, admin, receiver)
    moved(session, 1)
    set_active(session=session, actor=admin, endpoint_id=endpoint.id, active=False)
    assert deliver(session, endpoint) is None
    assert receiver.received == []
    set_active(session=session, actor=admin, endpoint_id=endpoint.id, active=True)
    deliver(session, endpoint)
    assert len(receiver.taken()) == 1


def test_a_teams_endpoint_gets_an_adaptive_card_and_a_slack_one_a_message_with_its_text_escaped(session, admin,
                                                                                                 receiver):
    teams = endpoint_at(session, admin, receiver, message_format="teams")
    moved(session, 3, "Fax <b>cover</b> & sheet")
    deliver(session, teams)
    set_active(session=session, actor=admin, endpoint_id=teams.id, active=False)
    slack = endpoint_at(session, admin, receiver, message_format="slack")
    moved(session, 4, "Fax <!channel> & sheet", to_state="rejected")
    deliver(session, slack)
    card, message = (r.message for r in receiver.received)
    assert card["type"] == "message"
    [attachment] = card["attachments"]
    assert attachment["contentType"] == "application/vnd.microsoft.card.adaptive"
    assert attachment["content"]["body"] == [{"type": "TextBlock", "wrap": True,
                                              "text": "“Fax <b>cover</b> & sheet” moved from evaluated to retired."}]
    assert attachment["content"]["actions"] == [{"type": "Action.OpenUrl", "title": "Open it",
                                                 "url": f"{BASE}/nominations/3"}]
    assert message == {"text": "“Fax &lt;!channel&gt; &amp; sheet” moved from evaluated to rejected. "
                               f"<{BASE}/nominations/4|Open it>"}
    assert all(r.signed_by for r in receiver.received)


def test_the_log_forgets_what_went_or_was_given_up_a_month_ago_but_keeps_what_waits(session, admin, receiver):
    endpoint = endpoint_at(session, admin, receiver)
    for number in (1, 2, 3):
        moved(session, number)
    deliver(session, endpoint)
    session.execute(update(WebhookDelivery).where(WebhookDelivery.id == 3).values(outcome=DeliveryOutcome.PENDING))
    session.execute(update(WebhookDelivery).where(WebhookDelivery.id == 2).values(outcome=DeliveryOutcome.GIVEN_UP))
    session.commit()
    assert forget_old_deliveries(session=session, now=utc_now() + timedelta(days=29)) == 0
    assert forget_old_deliveries(session=session, now=utc_now() + timedelta(days=31)) == 2
    assert session.exec(select(WebhookDelivery.id)).all() == [3]


def test_a_worker_whose_hold_was_taken_while_it_waited_records_nothing(session, engine, admin, receiver):
    endpoint = endpoint_at(session, admin, receiver)
    moved(session, 1)

    def another_worker_takes_the_endpoint():
        with engine.begin() as connection:
            connection.execute(update(WebhookEndpoint).values(held_by="another",
                                                              delivering_until=utc_now() + timedelta(minutes=1)))

    receiver.meanwhile = another_worker_takes_the_endpoint
    assert deliver(session, endpoint) is None
    assert len(receiver.received) == 1
    assert log(session) == [(DeliveryOutcome.PENDING, 0, None)]  # the other worker sends it, and records that
    assert session.get(WebhookEndpoint, endpoint.id).held_by == "another"


def test_an_endpoint_removed_while_it_is_sent_to_is_let_go_without_a_failure(session, engine, admin, receiver):
    endpoint = endpoint_at(session, admin, receiver)
    moved(session, 1)

    def an_admin_removes_it():
        with engine.begin() as connection:
            connection.execute(delete(WebhookDelivery))
            connection.execute(delete(WebhookEndpoint))

    receiver.meanwhile = an_admin_removes_it
    assert deliver(session, endpoint) is None
    assert log(session) == []

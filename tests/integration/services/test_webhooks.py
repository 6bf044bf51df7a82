"""Registering webhook endpoints, and the changes that announce themselves to them in their own transaction, on
SQLite and PostgreSQL. Sending is tested in test_webhook_delivery.py."""

import json
import threading
from datetime import date

import pytest
from sqlmodel import select

from burden_tracker import hours
from burden_tracker.db import open_session
from burden_tracker.enums import DeliveryOutcome, Role, WebhookEvent, WebhookFormat
from burden_tracker.errors import DomainError
from burden_tracker.models import Nomination, User, WebhookDelivery, WebhookEndpoint
from burden_tracker.schemas import NominationIn
from burden_tracker.services.closing import close_quarter
from burden_tracker.services.nominations import comment, nominate
from burden_tracker.services.revisions import revise_nomination
from burden_tracker.services.transitions import move_nomination
from burden_tracker.services.webhooks import announce, register_endpoint, remove_endpoint, set_active
from burden_tracker.workflow import Move
from tests.support.factories import as_it_stands, make_department, make_nomination, make_user

EVERY_EVENT = [event.value for event in WebhookEvent]


@pytest.fixture
def admin(session):
    return make_user(session, Role.ADMIN, name="Ada Admin")


def register(session, admin, *, events=EVERY_EVENT, url="https://hooks.hospital.test/burden", **more):
    return register_endpoint(session=session, actor=admin, name=more.pop("name", "Intranet wins page"), url=url,
                             events=events, message_format=more.pop("message_format", "standard"),
                             http_allowed=more.pop("http_allowed", False))


def deliveries(session) -> list[WebhookDelivery]:
    found = session.exec(select(WebhookDelivery).order_by(WebhookDelivery.id)).all()
    return [(delivery.endpoint_id, delivery.event, json.loads(delivery.payload)) for delivery in found]


def new_nomination(session, submitter, anonymous=False) -> Nomination:
    make_department(session, "Cardiology")
    return nominate(session=session, submitter=submitter, data=NominationIn(
        title="Second signature on every restraint order", description="Signed twice by Dana Whitfield.",
        category="task", department="Cardiology", affected_role="nurse", minutes_per_occurrence=2,
        occurrences_per_week=5, clinicians_affected=30, requirement_source="internal policy", anonymous=anonymous))


def test_an_endpoint_is_kept_with_a_secret_the_specification_accepts(session, admin):
    endpoint, secret = register(session, admin, events=["nomination.moved", "comment.created"],
                                message_format="teams")
    kept = session.get(WebhookEndpoint, endpoint.id)
    assert (kept.name, kept.events, kept.format, kept.active) == (
        "Intranet wins page", "nomination.moved comment.created", WebhookFormat.TEAMS, True)
    assert secret.startswith("whsec_") and kept.secret == secret
    assert register(session, admin)[1] != secret


@pytest.mark.parametrize(("url", "http_allowed", "field_says"), [
    ("", False, "is required"),
    ("ftp://hooks.hospital.test/", False, "must start with https://"),
    ("http://hooks.hospital.test/", False, "must start with https://, so that what is sent cannot be read on the way"),
    ("https://user:secret@hooks.hospital.test/", False, "must not hold a user name or password"),
    ("https://[::1/", False, "is not a web address"),
])
def test_a_bad_address_is_refused_beside_its_field_and_nothing_is_kept(session, admin, url, http_allowed,
                                                                      field_says):
    with pytest.raises(DomainError) as refused:
        register(session, admin, url=url, http_allowed=http_allowed)
    assert refused.value.fields["url"].startswith(field_says)
    session.rollback()
    assert session.exec(select(WebhookEndpoint)).all() == []


@pytest.mark.parametrize("url", ["http://127.0.0.1:8080/hook", "http://localhost/hook", "http://[::1]:9000/"])
def test_plain_http_is_taken_for_this_machine_only(session, admin, url):
    assert register(session, admin, url=url)[0].url == url


def test_plain_http_elsewhere_is_taken_when_the_setting_allows_it(session, admin):
    assert register(session, admin, url="http://intranet.hospital.test/hook", http_allowed=True)[0].id


def test_no_event_an_unknown_event_an_unknown_format_and_a_long_name_are_each_refused(session, admin):
    with pytest.raises(DomainError) as refused:
        register(session, admin, events=["nomination.created", "nomination.deleted"], message_format="fax",
                 name="x" * 81)
    assert set(refused.value.fields) == {"events", "format", "name"}
    with pytest.raises(DomainError) as refused:
        register(session, admin, events=[])
    assert set(refused.value.fields) == {"events"}


def test_only_admins_manage_endpoints(session, admin):
    board = make_user(session, Role.BOARD)
    with pytest.raises(DomainError, match="Only admins"):
        register(session, board)
    endpoint, _ = register(session, admin)
    with pytest.raises(DomainError, match="Only admins"):
        set_active(session=session, actor=board, endpoint_id=endpoint.id, active=False)
    with pytest.raises(DomainError, match="Only admins"):
        remove_endpoint(session=session, actor=board, endpoint_id=endpoint.id)


def test_each_change_announces_itself_to_the_endpoints_that_want_it_and_names_nobody(session, admin):
    everything, _ = register(session, admin)
    moves_only, _ = register(session, admin, name="Board channel", events=["nomination.moved"])
    board = make_user(session, Role.BOARD, name="Dr. Alex Chen")
    nurse = make_user(session, name="Priya Nair")

    nomination = new_nomination(session, nurse, anonymous=True)
    comment(session=session, nomination_id=nomination.id, author=board, body="Priya Nair, can you say more?")
    move_nomination(session=session, nomination_id=nomination.id, move=Move.EVALUATE, actor=board,
                    expected_version=nomination.version, fields={
                        "minutes_per_occurrence": 3, "occurrences_per_week": 5, "clinicians_affected": 40,
                        "confirmed_source": "Internal policy", "note": "Priya Nair confirmed it."})
    revise_nomination(session=session, nomination_id=nomination.id, actor=board, expected_version=nomination.version,
                      values=as_it_stands(nomination, clinicians_affected=60))

    written = deliveries(session)
    assert [(endpoint, event) for endpoint, event, _ in written] == [
        (everything.id, WebhookEvent.NOMINATION_CREATED), (everything.id, WebhookEvent.COMMENT_CREATED),
        (everything.id, WebhookEvent.NOMINATION_MOVED), (moves_only.id, WebhookEvent.NOMINATION_MOVED),
        (everything.id, WebhookEvent.NOMINATION_REVISED)]
    created, commented, moved, _, revised = (data for _, _, data in written)
    assert created["nomination"] == {
        "id": nomination.id, "title": "Second signature on every restraint order", "state": "proposed",
        "department": "Cardiology", "category": "task", "affected_role": "nurse",
        "submitted_on": nomination.submitted_on.isoformat(),
        "estimate": {"minutes_per_occurrence": 2, "occurrences_per_week": 5, "clinicians_affected": 30}}
    assert commented["comment"]["id"] > 0
    assert (moved["from_state"], moved["to_state"], moved["nomination"]["state"]) == ("proposed", "evaluated",
                                                                                     "evaluated")
    assert revised["changes"] == [{"field": "estimate", "from": "3 min × 5 a week × 40 people",
                                   "to": "3 min × 5 a week × 60 people"}]
    every_word = json.dumps([data for _, _, data in written])
    for private in ("Priya", "Nair", "Alex Chen", "Dana", "say more", "confirmed it", nurse.email, board.email):
        assert private not in every_word


def test_a_change_refused_announces_nothing(session, admin):
    register(session, admin)
    nomination = make_nomination(session)
    board = make_user(session, Role.BOARD)
    with pytest.raises(DomainError):
        move_nomination(session=session, nomination_id=nomination.id, move=Move.RETIRE, actor=board,
                        expected_version=nomination.version, fields={"retired_on": date(2026, 3, 1)})
    assert deliveries(session) == []


def test_a_paused_endpoint_is_told_of_nothing_new_and_a_removed_one_loses_its_log(session, admin):
    endpoint, _ = register(session, admin)
    new_nomination(session, make_user(session))
    set_active(session=session, actor=admin, endpoint_id=endpoint.id, active=False)
    new_nomination(session, make_user(session))
    assert len(deliveries(session)) == 1
    assert remove_endpoint(session=session, actor=admin, endpoint_id=endpoint.id) == "Intranet wins page"
    assert deliveries(session) == [] and session.exec(select(WebhookEndpoint)).all() == []


def test_closing_a_quarter_announces_its_figures(session, admin):
    register(session, admin, events=["quarter.closed"])
    close_quarter(session=session, quarter=hours.Quarter(2026, 2), actor_id=admin.id, closed_by=admin.name)
    [(_, event, data)] = deliveries(session)
    assert event == WebhookEvent.QUARTER_CLOSED
    assert data == {"quarter": "2026-Q2", "label": "2026-Q2", "first_day": "2026-04-01", "last_day": "2026-06-30",
                    "received": 0, "retired": 0, "realized_hours": 0.0, "annualized_hours": 0.0}
    assert session.exec(select(WebhookDelivery.outcome)).all() == [DeliveryOutcome.PENDING]


def remove_as(engine, admin_id: int, endpoint_id: int) -> str:
    with open_session(engine) as removing:
        return remove_endpoint(session=removing, actor=removing.get(User, admin_id), endpoint_id=endpoint_id)


def test_an_endpoint_removed_while_a_change_announces_to_it_takes_that_change_away_too(session, engine, admin):
    """The change holds the endpoint until it commits; the removal waits, then removes what the change wrote."""
    endpoint, _ = register(session, admin)
    session.commit()  # end the read: on SQLite it would hold the lock both sessions below need
    removed = []
    with open_session(engine) as changing:
        announce(changing, WebhookEvent.NOMINATION_MOVED, {"nomination": {"id": 1}})
        remover = threading.Thread(target=lambda: removed.append(remove_as(engine, admin.id, endpoint.id)))
        remover.start()
        remover.join(timeout=1)
        assert remover.is_alive(), "the removal waits for the change"
        changing.commit()
    remover.join(timeout=30)
    assert removed == ["Intranet wins page"]
    assert deliveries(session) == [] and session.exec(select(WebhookEndpoint)).all() == []

"""Burden cards on /admin/commons and a retired nomination's page: an admin marks one for sharing, names the health
system, and uploads another system's cards; a file that is not valid is refused beside the field and changes
nothing."""

import io
import json
from datetime import date

import pytest
from sqlalchemy import func, select

from burden_tracker.enums import Role, State
from burden_tracker.models import CommonsCard, Settings, SharedCard
from tests.support.factories import make_nomination, make_user
from tests.support.web import csrf_token, sign_in

CARD = {"id": "urn:uuid:0b8e4c4e-3f6a-4d2b-9c1e-5a7d2f1e8b90", "title": "IV site charted twice",
        "what_was_done": "Each IV was assessed in two places.", "what_changed": "One row left.",
        "category": "documentation", "affected_role": "nurse", "requirement": {"source": "internal policy"},
        "effect": {"estimated_hours_per_year": 1200.5}, "retired_on": "2026-03-01"}


@pytest.fixture
def admin_client(client, session):
    sign_in(client, make_user(session, Role.STAFF, Role.ADMIN, can_sign_in=True).email)
    return client


def count(session, model) -> int:
    found = session.scalar(select(func.count()).select_from(model))
    session.rollback()
    return found


def upload(client, body: bytes):
    return client.post("/admin/commons/import", content_type="multipart/form-data", data={
        "csrf_token": csrf_token(client, "/admin/commons"), "file": (io.BytesIO(body), "cards.json")})


def test_an_admin_marks_a_retired_burden_for_sharing_from_its_page_and_stops(admin_client, session):
    retired = make_nomination(session, state=State.RETIRED, retired_on=date(2026, 3, 1)).id
    proposed = make_nomination(session).id
    session.rollback()
    assert "Share as a burden card" not in admin_client.get(f"/nominations/{proposed}").get_data(as_text=True)
    page = f"/nominations/{retired}"
    assert "Share as a burden card" in admin_client.get(page).get_data(as_text=True)
    shared = admin_client.post(f"/admin/commons/share/{retired}", data={
        "csrf_token": csrf_token(admin_client, page), "ehr_vendor": "Epic", "build_type": "flowsheet row"})
    assert shared.status_code == 303
    assert "Marked for sharing" in admin_client.get(shared.headers["Location"]).get_data(as_text=True)
    assert session.get(SharedCard, retired).ehr_vendor == "Epic"
    session.rollback()
    listed = admin_client.get("/admin/commons").get_data(as_text=True)
    assert "Marked for sharing (1)" in listed and "Epic" in listed
    stopped = admin_client.post(f"/admin/commons/share/{retired}/stop",
                                data={"csrf_token": csrf_token(admin_client, "/admin/commons")})
    assert stopped.status_code == 303 and count(session, SharedCard) == 0


def test_a_burden_not_yet_retired_is_not_shared(admin_client, session):
    proposed = make_nomination(session).id
    session.rollback()
    refused = admin_client.post(f"/admin/commons/share/{proposed}",
                                data={"csrf_token": csrf_token(admin_client, f"/nominations/{proposed}")})
    assert "Only a retired burden" in admin_client.get(refused.headers["Location"]).get_data(as_text=True)
    assert count(session, SharedCard) == 0


def test_the_name_cards_are_shared_under_is_saved(admin_client, session):
    saved = admin_client.post("/admin/commons/share-as", data={
        "csrf_token": csrf_token(admin_client, "/admin/commons"), "share_as": " Queen's Health System "})
    assert saved.status_code == 303
    assert session.get(Settings, 1).share_as == "Queen's Health System"


def test_another_systems_cards_are_uploaded_and_a_bad_file_changes_nothing(admin_client, session):
    good = json.dumps({"format": "burden-cards", "version": 1, "exported_at": "2026-12-07T10:00:00Z", "cards": [CARD]})
    refused = upload(admin_client, good.replace('"nurse"', '"surgeon"').encode())
    assert refused.status_code == 422
    text = refused.get_data(as_text=True)
    assert "not a valid file of burden cards" in text and "cards.0.affected_role" in text
    assert count(session, CommonsCard) == 0
    assert upload(admin_client, b"\x89PNG not json").status_code == 422 and count(session, CommonsCard) == 0
    accepted = upload(admin_client, good.encode())
    assert accepted.status_code == 303
    assert "Imported 1 new card" in admin_client.get("/admin/commons").get_data(as_text=True)
    assert upload(admin_client, good.encode()).status_code == 303 and count(session, CommonsCard) == 1

"""Burden cards in Chromium as admin@demo.test: marking a retired burden for sharing from its page, then uploading
another health system's file, first one that is not valid."""

import json

import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select

from burden_tracker.enums import State
from burden_tracker.models import CommonsCard, Nomination
from tests.support.pages import violations

pytestmark = pytest.mark.browser
CARD = {"id": "urn:uuid:0b8e4c4e-3f6a-4d2b-9c1e-5a7d2f1e8b90", "title": "IV site charted twice",
        "what_was_done": "Each IV was assessed in two places.", "what_changed": "One row left.",
        "category": "documentation", "affected_role": "nurse", "requirement": {"source": "internal policy"},
        "effect": {"estimated_hours_per_year": 1200.5}, "retired_on": "2026-03-01"}


def test_an_admin_shares_a_retired_burden_and_reads_another_systems_cards(page, live_server, sign_in_as, live_db,
                                                                          screen, tmp_path):
    retired = live_db.scalar(select(Nomination.id).where(Nomination.state == State.RETIRED).order_by(Nomination.id))
    held = live_db.scalar(select(func.count()).select_from(CommonsCard))  # the demo's
    live_db.rollback()
    sign_in_as("admin@demo.test")
    page.goto(f"{live_server}/nominations/{retired}")
    page.get_by_text("Share as a burden card").click()
    page.get_by_label("EHR vendor").fill("Epic")
    page.get_by_label("Build type").fill("flowsheet row")
    page.get_by_role("button", name="Mark it for sharing").click()
    expect(page.get_by_role("status").first).to_contain_text("Marked for sharing")
    assert violations(page) == []

    page.goto(live_server + "/admin/commons")
    expect(page.get_by_role("heading", name="Marked for sharing (1)")).to_be_visible()
    bad, good = tmp_path / "bad.json", tmp_path / "cards.json"
    document = {"format": "burden-cards", "version": 1, "exported_at": "2026-12-07T10:00:00Z", "cards": [CARD]}
    bad.write_text(json.dumps({**document, "cards": [{**CARD, "affected_role": "surgeon"}]}), encoding="utf-8")
    good.write_text(json.dumps(document), encoding="utf-8")
    page.get_by_label("A file of burden cards").set_input_files(str(bad))
    page.get_by_role("button", name="Import the cards").click()
    expect(page.locator("#file-error")).to_contain_text("not a valid file of burden cards")
    expect(page.get_by_text("cards.0.affected_role")).to_be_visible()
    page.get_by_label("A file of burden cards").set_input_files(str(good))
    page.get_by_role("button", name="Import the cards").click()
    expect(page.get_by_role("status").first).to_contain_text("Imported 1 new card")
    expect(page.get_by_text(f"{held + 1} cards imported so far")).to_be_visible()
    assert violations(page) == []

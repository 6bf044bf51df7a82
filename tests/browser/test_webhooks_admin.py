"""/admin/webhooks in Chromium as admin@demo.test, on a phone's screen and a desktop's: a form sent empty says what
is missing beside each field; an endpoint pointed at a real receiver on loopback is added, its secret copied; a
change reaches the receiver, and the endpoint's log shows the receiver's answer; then the admin pauses it."""

import re

import pytest
from playwright.sync_api import expect

from burden_tracker.db import open_session
from burden_tracker.enums import WebhookEvent
from burden_tracker.jobs import jobs
from burden_tracker.services.webhooks import announce
from tests.support.webhook_receiver import running_receiver

pytestmark = pytest.mark.browser


def a_nomination_moves(live_app) -> None:
    """As the board's panel would announce it (the panel itself is clicked through in test_board_decisions.py)."""
    with live_app.app_context(), open_session(live_app.extensions["db_engine"]) as session:
        announce(session, WebhookEvent.NOMINATION_MOVED, {"nomination": {"id": 1, "title": "Fax cover sheet"},
                                                          "from_state": "evaluated", "to_state": "retired"})
        session.commit()
        jobs().deliver_webhooks()


def test_an_admin_adds_an_endpoint_copies_its_secret_and_reads_its_log(page, live_app, live_server, sign_in_as,
                                                                        screen, screenshot):
    with running_receiver() as receiver:
        sign_in_as("admin@demo.test")
        page.get_by_role("link", name="Admin").click()
        page.get_by_role("link", name="Webhooks").click()
        expect(page.get_by_role("heading", name="Webhooks", exact=True)).to_be_visible()
        expect(page.get_by_text("No endpoint is told of anything yet.")).to_be_visible()
        page.wait_for_load_state()
        page.get_by_role("button", name="Add the endpoint").click()
        expect(page.get_by_text("Name the endpoint after what it feeds.")).to_be_visible()
        expect(page.get_by_text("Choose at least one event.")).to_be_visible()

        page.get_by_label("Name", exact=True).fill("Board channel")
        page.get_by_label("Address").fill(receiver.url)
        page.get_by_label("A nomination moved (evaluated, retired, rejected…)").check()
        page.get_by_label("A card in a Microsoft Teams channel (Workflows webhook)").check()
        page.get_by_role("button", name="Add the endpoint").click()
        shown = page.get_by_role("textbox", name="Signing secret")
        expect(shown).to_have_value(re.compile(r"^whsec_"))
        receiver.secrets.append(shown.input_value())
        page.wait_for_load_state()
        page.get_by_role("button", name="Copy").click()
        expect(page.get_by_role("button", name="Copied")).to_be_visible()
        screenshot(f"webhooks-new-{screen[0]}")

        a_nomination_moves(live_app)
        [received] = receiver.received
        assert received.signed_by and received.message["attachments"][0]["content"]["body"][0]["text"] == (
            "“Fax cover sheet” moved from evaluated to retired.")

    page.goto(f"{live_server}/admin/webhooks")
    expect(page.get_by_role("textbox", name="Signing secret")).to_have_count(0)  # shown once
    page.get_by_role("link", name="Board channel").click()
    row = page.get_by_role("row", name=re.compile("nomination.moved"))
    expect(row).to_contain_text("delivered")
    expect(row).to_contain_text("204")
    screenshot(f"webhook-log-{screen[0]}")
    page.wait_for_load_state()
    page.get_by_role("button", name="Pause").click()
    expect(page.get_by_text("“Board channel” is paused: it is told of nothing new until it resumes.")).to_be_visible()
    expect(page.get_by_role("button", name="Resume")).to_be_visible()

"""/me/tokens in Chromium, on a phone's screen and a desktop's: a token made, copied with the Copy button, used by a
program, and revoked; and the API's docs page as a person reads it."""

import re
import urllib.request

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def called(live_server: str, secret: str) -> int:
    request = urllib.request.Request(f"{live_server}/api/v1/nominations?limit=1",
                                     headers={"Authorization": f"Bearer {secret}"})
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            return answer.status
    except urllib.error.HTTPError as refused:
        return refused.code


def test_a_person_makes_copies_uses_and_revokes_a_token(page, live_server, sign_in_as, screen, screenshot):
    sign_in_as("nurse@demo.test")
    page.goto(f"{live_server}/me/tokens")
    page.wait_for_load_state()
    page.get_by_label("What will use it").fill("Unit huddle board")
    page.get_by_role("button", name="Make the token").click()
    shown = page.get_by_role("textbox", name="Your new token")
    expect(shown).to_have_value(re.compile(r"^bt_"))
    secret = shown.input_value()
    page.wait_for_load_state()
    page.get_by_role("button", name="Copy").click()
    expect(page.get_by_role("button", name="Copied")).to_be_visible()
    screenshot(f"tokens-new-{screen[0]}")
    assert called(live_server, secret) == 200
    page.goto(f"{live_server}/me/tokens")
    expect(page.get_by_role("textbox", name="Your new token")).to_have_count(0)  # shown once
    row = page.get_by_role("row", name=re.compile("Unit huddle board"))
    expect(row).to_contain_text("read")
    expect(row).not_to_contain_text("never")  # its last use
    page.get_by_role("button", name="Revoke Unit huddle board").click()
    expect(page.get_by_text("“Unit huddle board” is revoked: it works no more.")).to_be_visible()
    assert called(live_server, secret) == 401


def test_the_api_docs_page_reads_as_a_page(page, live_server, screen):
    page.goto(f"{live_server}/api/v1/docs")
    expect(page.get_by_role("heading", name="Burden Tracker API, version 1")).to_be_visible()
    expect(page.get_by_role("heading", name="GET /api/v1/nominations", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="openapi.json")).to_be_visible()

"""Signing out in Chromium: the server answers Clear-Site-Data, and the browser keeps nothing of the session."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_signing_out_leaves_no_cookie_or_storage_of_the_session_and_says_so(page, live_server, sign_in_as):
    sign_in_as("nurse@demo.test")
    expect(page).to_have_url(live_server + "/nominations")
    signed_in = {cookie["name"]: cookie["value"] for cookie in page.context.cookies()}
    page.evaluate("localStorage.setItem('draft', 'Pain score charted twice')")

    page.get_by_role("button", name="Sign out").click()

    expect(page).to_have_url(live_server + "/login?signed_out=yes")
    expect(page.get_by_text("You are signed out.")).to_have_count(1)
    assert page.evaluate("localStorage.length") == 0
    # Chromium leaves the tab's own sessionStorage: htmx keeps no copy of a page there (historyCacheSize 0).
    assert page.evaluate("sessionStorage.getItem('htmx-history-cache')") is None
    cookies = {cookie["name"]: cookie["value"] for cookie in page.context.cookies()}
    assert cookies.get("session") != signed_in["session"], "only the new sign-in page's own cookie, if any"
    page.goto(live_server + "/nominations")
    expect(page).to_have_url(live_server + "/login?next=%2Fnominations")

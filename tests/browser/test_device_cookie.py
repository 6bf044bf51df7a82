"""In Chromium: the device cookie outlives signing out (Clear-Site-Data asks for storage only), and with it the
person still signs in while someone elsewhere has made their account wait."""

import pytest
from playwright.sync_api import expect

from burden_tracker.services.demo import DEMO_PASSWORD
from tests.web import sign_in

pytestmark = pytest.mark.browser

NURSE = "nurse@demo.test"


def hold_the_account(app, email: str) -> None:
    """Someone on another computer guesses until the account waits."""
    guesser = app.test_client()
    guesser.environ_base["REMOTE_ADDR"] = "10.6.6.6"
    for _ in range(5):
        assert sign_in(guesser, email, "Winter2026!").status_code == 422
    assert sign_in(guesser, email, DEMO_PASSWORD).status_code == 429


def test_signing_out_keeps_the_device_cookie_and_drops_the_session(page, live_server, live_app, sign_in_as):
    sign_in_as(NURSE)
    expect(page).to_have_url(live_server + "/nominations")
    before = {cookie["name"]: cookie for cookie in page.context.cookies()}
    assert before["device"]["httpOnly"] and before["device"]["sameSite"] == "Lax"
    page.evaluate("localStorage.setItem('draft', 'Pain score charted twice')")

    page.get_by_role("button", name="Sign out").click()

    expect(page).to_have_url(live_server + "/login?signed_out=yes")
    assert page.evaluate("localStorage.length") == 0
    after = {cookie["name"]: cookie["value"] for cookie in page.context.cookies()}
    assert after["device"] == before["device"]["value"]
    assert after.get("session") != before["session"]["value"]
    page.goto(live_server + "/nominations")
    expect(page).to_have_url(live_server + "/login?next=%2Fnominations")


def test_a_known_browser_signs_in_while_the_account_waits_for_everyone_else(page, live_server, live_app,
                                                                            sign_in_as):
    sign_in_as(NURSE)
    expect(page).to_have_url(live_server + "/nominations")
    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(live_server + "/login?signed_out=yes")
    hold_the_account(live_app, NURSE)

    sign_in_as(NURSE)
    expect(page).to_have_url(live_server + "/nominations")

    page.context.clear_cookies()  # the same person on a browser the account has not seen
    sign_in_as(NURSE)
    expect(page.get_by_role("alert")).to_contain_text("Too many failed sign-ins for this account. Try again in 15")
